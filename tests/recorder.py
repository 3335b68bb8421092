"""A recording HTTP server on loopback: the stand-in for sessionWebhook, group robots and APIs.

Every request is kept (method, path, query, headers, JSON body); the answer comes from
``respond(request)`` (default ``{"errcode": 0, "errmsg": "ok"}``). Independent of the product:
plain ``http.server``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, list[str]]
    raw_query: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self):
        return json.loads(self.body)


class Recorder:
    """``with Recorder() as rec:`` — ``rec.url`` is the base URL; ``rec.requests`` what came in."""

    def __init__(self, respond: Callable[[Recorded], tuple[int, dict] | dict] | None = None):
        self.requests: list[Recorded] = []
        self.respond = respond or (lambda request: {"errcode": 0, "errmsg": "ok"})
        self._arrived = threading.Condition()
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("content-length") or 0)
                parts = urlsplit(self.path)
                request = Recorded("POST", parts.path, parse_qs(parts.query), parts.query,
                                   {k.lower(): v for k, v in self.headers.items()}, self.rfile.read(length))
                with recorder._arrived:
                    answer = recorder.respond(request)
                    recorder.requests.append(request)
                    recorder._arrived.notify_all()
                status, payload = answer if isinstance(answer, tuple) else (200, answer)
                body = json.dumps(payload, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def wait_for(self, count: int, timeout: float = 10) -> list[Recorded]:
        """Block until ``count`` requests have arrived (no polling); returns them."""
        with self._arrived:
            self._arrived.wait_for(lambda: len(self.requests) >= count, timeout=timeout)
        return self.requests

    def __enter__(self) -> Recorder:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
