"""The HTTP app: ``GET /healthz`` and each enabled platform's routes (DESIGN §8).

DingTalk's Stream mode runs beside the app for as long as it serves (started and stopped
with ``duban serve`` through the app's lifespan).
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.platforms.dingtalk import DingTalkPlatform
from bot.platforms.local import LocalPlatform
from bot.runtime import Bot


def create_app(bot: Bot) -> Starlette:
    """The Starlette app over ``bot``; ``app.state.local`` is the local chat (its feed),
    ``app.state.dingtalk`` the DingTalk platform."""
    local = LocalPlatform(bot)
    dingtalk = DingTalkPlatform(bot)

    async def healthz(request: Request) -> JSONResponse:
        plan = await run_in_threadpool(bot.store.active_plan)
        return JSONResponse({"ok": True, "plan": plan.title if plan else None,
                             "today": bot.clock.today().isoformat()})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        runner = None
        settings = bot.config.dingtalk
        if settings.mode == "stream" and settings.app_key and settings.app_secret:
            from bot.platforms.dingtalk_stream import StreamRunner

            runner = StreamRunner(bot)
            runner.start()
        try:
            yield
        finally:
            if runner:
                runner.stop()
            await dingtalk.http.aclose()

    app = Starlette(routes=[Route("/healthz", healthz, methods=["GET"]), *local.routes(), *dingtalk.routes()],
                    lifespan=lifespan)
    app.state.bot = bot
    app.state.local = local
    app.state.dingtalk = dingtalk
    return app
