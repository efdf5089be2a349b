"""A Nominatim stand-in on 127.0.0.1 for the tests: never the real service.

``serve(answer)`` starts a threaded HTTP server whose ``/search`` replies come
from ``answer(query) -> (status, results)`` (an answer may sleep, to be slow);
``server.hits`` lists the query dicts it was asked and ``server.agents`` the
User-Agent of each.  Stop it with ``server.shutdown(); server.server_close()``.
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
    agents: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            query = {k: v[0] for k, v in parse_qs(urlparse(self.path).query).items()}
            hits.append(query)
            agents.append(self.headers.get("User-Agent", ""))
            status, results = answer(query)
            body = json.dumps(results or []).encode()
            try:
                self.send_response(status)
                if status == 200:
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if status == 200:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (a slow answer): that is the point

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.hits = hits  # type: ignore[attr-defined]
    server.agents = agents  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
