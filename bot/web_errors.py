"""What the bot's own server answers when it refuses a request, in Chinese (issue 13: people saw
"token required", Starlette's "Not Found" and raw JSON error text).

A browser (``Accept`` naming text/html) gets a page, ``bot/templates/error.html``; any other
caller gets JSON ``{"error": "<Chinese sentence>", "code": "<key>"}``. The status codes stay
what they were (401, 403, 404, 405, 413, 422…). The sentences are macros of
``bot/templates/web_errors.j2``, one per key. The platform callbacks (``/wecom/*``,
``/dingtalk/callback``) answer their own protocol's way and do not come here, except for a
path or method the app has no route for.
"""

from __future__ import annotations

import functools
import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response

from bot.render import ROOT, environment

log = logging.getLogger("duban.web")


@functools.cache
def _env():
    return environment(ROOT / "bot" / "templates")


def said(key: str, /, **values: object) -> str:
    """The sentence of ``key`` (a macro of ``web_errors.j2``) with ``values``. Raises
    AttributeError for a key the template does not have (a bug: tests render every key)."""
    return str(getattr(_env().get_template("web_errors.j2").module, key)(**values)).strip()


def wants_page(request: Request) -> bool:
    """The caller is a browser asking for a page (its ``Accept`` names text/html), not a script."""
    return "text/html" in request.headers.get("accept", "")


def error_response(request: Request, status: int, key: str, /, *, headers: dict | None = None,
                   **values: object) -> Response:
    """The refusal ``key`` (with ``values``) as a page or as JSON (see the module), with ``status``."""
    message = said(key, **values)
    if wants_page(request):
        title = str(_env().get_template("web_errors.j2").module.title(status)).strip()
        bot = getattr(request.app.state, "bot", None) if "app" in request.scope else None
        html = _env().get_template("error.html").render(
            bot_name=bot.config.bot.name if bot else "", title=title, message=message, status=status)
        return HTMLResponse(html, status_code=status, headers=headers)
    return JSONResponse({"error": message, "code": key}, status_code=status, headers=headers)


async def http_exception(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals (no such path, a method the route does not take) in Chinese."""
    assert isinstance(exc, HTTPException)
    path = request.url.path
    if exc.status_code == 404:
        return error_response(request, 404, "not_found", path=path)
    if exc.status_code == 405:
        # Starlette lists a route's methods from a set (its order changes between runs): sorted here.
        allowed = ", ".join(sorted(m for m in (exc.headers or {}).get("Allow", "").split(", ") if m))
        return error_response(request, 405, "method_not_allowed", headers={"Allow": allowed},
                              method=request.method, path=path, allowed=allowed)
    return error_response(request, exc.status_code, "bad_request", headers=exc.headers)


async def server_error(request: Request, exc: Exception) -> Response:
    """A bug on one of our own pages: logged with its traceback by the server, answered in
    Chinese (never Starlette's English "Internal Server Error")."""
    return error_response(request, 500, "server_error")


EXCEPTION_HANDLERS = {HTTPException: http_exception, Exception: server_error}
