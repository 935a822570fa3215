"""P4's pure parts: the generator's HTTP reading and counting, the submit's files and credit codes, the summary."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests
from stdnum.cn import uscc

from bench.__main__ import summary
from bench.webui_load.generator import load, read_answer, request_bytes
from bench.webui_load.submit import Enterprise, arrival_times, credit_code, pdf, run_arrivals
from devstack.engine import free_port, port_in_use
from devstack.waiting import wait_for
from domain.applications.storage import sniff
from domain.config import PROJECT_ROOT


def answer_of(raw: bytes):
    async def read():
        reader = asyncio.StreamReader()
        reader.feed_data(raw)
        reader.feed_eof()
        return await read_answer(reader)

    return asyncio.run(read())


def test_an_answer_is_read_by_its_length_or_its_chunks():
    status, headers, length = answer_of(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nSet-Cookie: s=1; Path=/\r\n\r\nhello")
    assert (status, length, headers["set-cookie"]) == (200, 5, ["s=1; Path=/"])
    chunked = b"HTTP/1.1 404 NOT FOUND\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"
    assert answer_of(chunked)[0::2] == (404, 5)


def test_a_request_carries_the_cookies_it_was_given():
    request = request_bytes("127.0.0.1:5000", "/policies", {"session": "abc"})
    assert request.startswith(b"GET /policies HTTP/1.1\r\nHost: 127.0.0.1:5000\r\n")
    assert b"\r\nCookie: session=abc\r\n" in request and request.endswith(b"\r\n\r\n")


def test_the_generator_counts_every_answer_of_its_window():
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "bench.webui_load.fixed_server", str(port), "100"],
                              cwd=PROJECT_ROOT)  # fmt: skip
    try:
        wait_for(lambda: port_in_use(port), "the fixed server", timeout=20)
        result = load(f"http://127.0.0.1:{port}", ["/a", "/b"], connections=2, seconds=0.3, warmup=0.1)
        assert result.latencies_ms and result.errors == 0
        assert result.statuses == {200: len(result.latencies_ms)}
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_nothing_listening_counts_errors_and_no_answer():
    result = load(f"http://127.0.0.1:{free_port()}", ["/"], connections=1, seconds=0.3, warmup=0)
    assert result.latencies_ms == [] and result.errors >= 1


def test_the_submits_files_pass_the_upload_check_and_the_codes_are_valid():
    content = pdf(2048)
    assert len(content) == 2048 and sniff(content) == "application/pdf"
    codes = {credit_code() for _ in range(20)}
    assert len(codes) == 20 and all(uscc.is_valid(code) for code in codes)


def test_the_summary_lists_the_figures_of_this_run_only(tmp_path):
    old = tmp_path / "old-1.json"
    old.write_text(json.dumps({"benchmark": "old", "size": "quick", "outcome": "measured", "figures": []}))
    since = time.time() + 1
    new = tmp_path / "webui_load-2.json"
    new.write_text(json.dumps({"benchmark": "webui_load", "size": "quick", "outcome": "measured", "figures": [
        {"name": "P4 catalogue", "value": 612.04, "unit": "req/s", "digits": 1, "met": True}]}))  # fmt: skip
    os.utime(old, (since - 10, since - 10))
    os.utime(new, (since + 10, since + 10))
    assert summary(tmp_path, since) == ["webui_load (quick, measured):", "  P4 catalogue: 612.0 req/s [met]"]


def test_arrivals_are_a_steady_random_stream_the_same_each_run():
    times = arrival_times(rate=2.0, count=2000)
    assert times == arrival_times(rate=2.0, count=2000) and times[0] == 0.0
    assert times == sorted(times)
    assert 1.9 < (len(times) - 1) / times[-1] < 2.1  # 2 a second over the run


class _SlowApplyPage(BaseHTTPRequestHandler):
    """An apply page with its form, and a submit that takes 0.2 s."""

    def do_GET(self):
        body = (b'<input name="csrf_token" value="c"><input name="token" value="0123abcd">'
                b'<input type="file" name="material_A1">')  # fmt: skip
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        time.sleep(0.2)
        self.send_response(302)
        self.send_header("Location", "/my/applications/HQ-1")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_an_arrival_is_timed_from_when_it_arrived_so_a_server_behind_is_charged_for_the_wait():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SlowApplyPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    one = Enterprise("91350100M000100Y43", "10.20.0.1", requests.Session())
    try:
        # Ten submits at 20 a second by one enterprise, which submits one at a time: each waits for the last.
        times = run_arrivals(f"http://127.0.0.1:{server.server_port}", [one], "GX-1", pdf(1024), 20.0, 10)
    finally:
        one.session.close()
        server.shutdown()
        server.server_close()
    assert len(times) == 10 and min(times) >= 200
    assert max(times) > 1000  # the tenth arrived ~0.5 s in and was answered ~2 s in: its wait is in its time
