"""A local HTTP server answering JSON POSTs by a script: the outside systems the tests play (city, SMS gateway)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# (the request's headers, its raw body) → (status, the JSON answer)
Answer = Callable[[dict[str, str], bytes], tuple[int, dict]]


@contextmanager
def json_server(answer: Answer, path: str = "/") -> Iterator[str]:
    """Serve POSTs on loopback until the block ends; yield the URL to post to."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            status, content = answer(dict(self.headers.items()), body)
            data = json.dumps(content).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{path}"
    finally:
        server.shutdown()
        server.server_close()
