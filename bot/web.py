"""The HTTP app: ``GET /healthz`` and each enabled platform's routes (DESIGN §8)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.platforms.local import LocalPlatform
from bot.runtime import Bot


def create_app(bot: Bot) -> Starlette:
    """The Starlette app over ``bot``; ``app.state.local`` is the local chat (its feed)."""
    local = LocalPlatform(bot)

    async def healthz(request: Request) -> JSONResponse:
        plan = await run_in_threadpool(bot.store.active_plan)
        return JSONResponse({"ok": True, "plan": plan.title if plan else None,
                             "today": bot.clock.today().isoformat()})

    app = Starlette(routes=[Route("/healthz", healthz, methods=["GET"]), *local.routes()])
    app.state.bot = bot
    app.state.local = local
    return app
