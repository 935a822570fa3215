"""A local HTTP server playing the county's SMS gateway: keeps each message, answers by script."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class SmsGatewaySide:
    def __init__(self, answers: list[int] | None = None, token: str = "sms-token") -> None:
        self.answers = list(answers or [])
        self.token = token
        self.messages: list[dict] = []

    @contextmanager
    def running(self) -> Iterator[str]:
        side = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                authorised = self.headers.get("Authorization") == f"Bearer {side.token}"
                status = (side.answers.pop(0) if side.answers else 200) if authorised else 401
                if status == 200:
                    side.messages.append(body)
                answer = json.dumps({"status": status}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        try:
            yield f"http://127.0.0.1:{server.server_port}/sms"
        finally:
            server.shutdown()
            server.server_close()
