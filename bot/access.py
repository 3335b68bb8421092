"""Who may open the bot's own pages (the local chat, /status): anyone on a loopback address;
elsewhere only a request carrying config ``server.token`` (DESIGN §8; config refuses a
non-loopback host without one, so a set token is the whole rule).
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import Response

from bot.web_errors import error_response

Endpoint = Callable[[Request], Awaitable[Response]]


def has_token(request: Request, token: str) -> bool:
    """True when no ``token`` is configured, or the request carries it in the ``X-Duban-Token``
    header or as ``?token=`` (compared in constant time: no timing hints to a guesser)."""
    if not token:
        return True
    given = request.headers.get("x-duban-token") or request.query_params.get("token", "")
    return hmac.compare_digest(given.encode(), token.encode())


_LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]", "::1")


def foreign(request: Request, token: str) -> bool:
    """True for a request another site made a browser send: an ``Origin`` that is not this
    server's own (a page elsewhere posting 完成 to the local chat), or, with no token set (the
    loopback-only setup), a ``Host`` that is not a loopback name (DNS rebinding)."""
    host = request.headers.get("host", "")
    origin = request.headers.get("origin")
    if origin is not None and origin.split("://", 1)[-1] != host:
        return True
    return not token and host.rsplit(":", 1)[0] not in _LOOPBACK_NAMES and host not in _LOOPBACK_NAMES


def require_token(token: str, endpoint: Endpoint) -> Endpoint:
    """``endpoint`` behind :func:`has_token`: 401 without it, 403 for a :func:`foreign` request,
    each in Chinese (a page for a browser, JSON for a script: :mod:`bot.web_errors`)."""

    async def guarded(request: Request) -> Response:
        if foreign(request, token):
            return error_response(request, 403, "cross_site")
        if not has_token(request, token):
            return error_response(request, 401, "token_required")
        return await endpoint(request)

    return guarded
