"""A local HTTP server playing the municipal department (R10): checks signatures, answers by script."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from domain.fulfilment.municipal import signature

SECRET = "county-and-city-shared-secret"


class MunicipalSide:
    """A local HTTP server playing the municipal department: checks the signature, answers by script."""

    def __init__(self, answers: list[int], delay: float = 0.0) -> None:
        self.answers = answers
        self.delay = delay
        self.requests: list[dict] = []

    @contextmanager
    def running(self) -> Iterator[str]:
        side = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                expected = signature(SECRET, self.headers["X-Huiqi-Timestamp"], body)
                side.requests.append(
                    {
                        "body": json.loads(body),
                        "signed": self.headers["X-Huiqi-Signature"] == expected,
                        "key": self.headers["Idempotency-Key"],
                    }
                )
                if side.delay:
                    threading.Event().wait(side.delay)
                status = side.answers.pop(0) if side.answers else 200
                answer = json.dumps({"reference": f"SJ-{len(side.requests):04d}"}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}/reports"
        finally:
            server.shutdown()
            server.server_close()
