"""The HTTP server ``duban serve`` runs: uvicorn, with the limits uvicorn does not set itself
(issue 13: 1,100 idle connections took the bot offline at a 1024-descriptor limit).

- A request must arrive whole (headers and body) within ``READ_TIMEOUT_S`` of its connection
  opening, or of the previous response on a kept-alive connection; else the connection is
  closed. A slow or silent client holds a descriptor for seconds, not forever.
- Idle kept-alive connections close after ``KEEP_ALIVE_S`` (uvicorn's own timer).
- At most ``MAX_CONNECTIONS`` connections are open; one more is closed as soon as it is
  accepted (no 503: a refusal of load is not an answer to a request).
- A request the parser refuses (a bad chunk size, a broken request line) gets uvicorn's 400
  and one warning line, and a body cut off mid-way ends its request quietly (the callbacks
  answer 400 to what they could not read), never a traceback.
"""

from __future__ import annotations

import logging
import socket

import uvicorn
from starlette.applications import Starlette
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

log = logging.getLogger("duban.server")

READ_TIMEOUT_S = 10.0
KEEP_ALIVE_S = 5
MAX_CONNECTIONS = 512


class GuardedHttp(HttpToolsProtocol):
    """uvicorn's httptools protocol with a whole-request read timeout and a connection cap."""

    max_connections = MAX_CONNECTIONS
    read_timeout_s = READ_TIMEOUT_S
    _read_timer = None

    def connection_made(self, transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.max_connections:
            log.warning("more than %d connections open: one more closed", self.max_connections)
            transport.close()
            return
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._read_timer = self.loop.call_later(self.read_timeout_s, self._read_timed_out)

    def _disarm(self) -> None:
        if self._read_timer is not None:
            self._read_timer.cancel()
            self._read_timer = None

    def _read_timed_out(self) -> None:
        self._read_timer = None
        if not self.transport.is_closing():
            log.info("closing a connection that sent no whole request in %g s", self.read_timeout_s)
            self.transport.close()

    def on_message_complete(self) -> None:
        self._disarm()
        super().on_message_complete()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)


def server_config(app: Starlette, *, log_level: str = "info", lifespan: str = "auto") -> uvicorn.Config:
    """uvicorn's config for ``app`` with :class:`GuardedHttp` and the keep-alive limit. No access
    log: a line per callback (with its msg_signature) would cost a tenth of the callback path's
    time (bench/webhook.py) and tell nothing the bot's own log does not. ``log_config=None``:
    uvicorn's lines go through the bot's own handlers (zone, ``[log] file``)."""
    return uvicorn.Config(app, http=GuardedHttp, log_level=log_level, access_log=False, lifespan=lifespan,
                          timeout_keep_alive=KEEP_ALIVE_S, backlog=MAX_CONNECTIONS, log_config=None)


def serve(app: Starlette, sock: socket.socket) -> None:
    """Serve ``app`` on the listening ``sock`` until stopped (SIGINT/SIGTERM)."""
    uvicorn.Server(server_config(app)).run(sockets=[sock])
