"""The web app's class: Starlette, with the platforms' callback POSTs sent straight to their
endpoints (the speed of the callback path, issue 13; bench/webhook_cpu.py).

Starlette passes every request through its error middleware, the exception middleware, the
router's match of each route in turn and a wrapper per endpoint, and every message sent back
through a wrapper per layer: over a tenth of a callback's CPU time in the served bot. A
callback endpoint needs none of it: it answers every input itself, never raising (a bug
becomes a logged 400, PROTOCOLS §1: a 500 would make WeCom retry), and reads only the
request. So a POST to a direct route's exact path goes to its endpoint with the same
security headers as every other response (bot/security_headers.py); any other request (its
GET URL verification, the pages) takes Starlette's way as before.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from bot.security_headers import SecurityHeaders


class DirectApp(Starlette):
    """A Starlette app (same arguments) whose ``direct`` routes (exact paths, no path
    parameters; endpoints that never raise) are called without Starlette's layers for POST."""

    def __init__(self, *args, direct: list[Route] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self._direct = {route.path: route.endpoint for route in direct}
        self._direct_app = SecurityHeaders(self._call_direct)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and scope["path"] in self._direct:
            scope["app"] = self
            await self._direct_app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)

    async def _call_direct(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self._direct[scope["path"]](Request(scope, receive))
        await response(scope, receive, send)
