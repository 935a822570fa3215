"""An HTTP proxy to the engine that can hold back one worker's completion of one activity.

Armed with an activity id, it forwards everything but ``POST /external-task/{id}/complete`` for a
task of that activity: that request is held (never forwarded), so the worker's effect is
committed while the engine still thinks the task is running — the moment to SIGKILL the worker.
"""

from __future__ import annotations

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import requests

from domain.engine import EngineClient

COMPLETE = re.compile(r"^/engine-rest/external-task/([^/]+)/complete$")


class HoldingProxy:
    def __init__(self, admin: EngineClient) -> None:
        self.admin = admin
        self.target = admin.url.removesuffix("/engine-rest")
        self.activity: str | None = None
        self.held = threading.Event()
        self.release = threading.Event()
        self.server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/engine-rest"

    def arm(self, activity_id: str) -> None:
        self.activity = activity_id

    def start(self) -> HoldingProxy:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                self._forward("GET")

            def do_POST(self):
                self._forward("POST")

            def do_PUT(self):
                self._forward("PUT")

            def _forward(self, method: str) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                match = COMPLETE.match(self.path)
                if method == "POST" and match and proxy._is_target(match.group(1)):
                    proxy.held.set()
                    proxy.release.wait(120)
                    self.close_connection = True
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                answer = requests.request(method, proxy.target + self.path, data=body, headers=headers, timeout=60)
                self.send_response(answer.status_code)
                for name, value in answer.headers.items():
                    if name.lower() not in ("transfer-encoding", "connection", "content-length", "content-encoding"):
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def _is_target(self, task_id: str) -> bool:
        if self.activity is None:
            return False
        return self.admin.get(f"/external-task/{task_id}")["activityId"] == self.activity

    def stop(self) -> None:
        self.release.set()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
