"""A Nominatim stand-in on 127.0.0.1 for GUI tests: never the real service.

``serve(answer)`` starts a threaded HTTP server whose ``/search`` replies come
from ``answer(query) -> (status, results)``; ``server.hits`` lists the query
dicts it was asked.  Stop it with ``server.shutdown(); server.server_close()``.
"""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable
from urllib.parse import parse_qs, urlparse

Answer = Callable[[dict], "tuple[int, list | None]"]


def serve(answer: Answer) -> ThreadingHTTPServer:
    hits: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            query = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
            hits.append(query)
            status, results = answer(query)
            body = json.dumps(results or []).encode()
            self.send_response(status)
            if status == 200:
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status == 200:
                self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.hits = hits  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
