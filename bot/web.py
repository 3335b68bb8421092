"""The HTTP app: ``GET /healthz``, ``GET /status`` and each enabled platform's routes (DESIGN §8).

For as long as it serves, the app runs the reminder scheduler (``reminders=True``, as
``duban serve`` does), DingTalk's Stream mode and WeCom's long connection when configured
(the app's lifespan).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bot.admin import admin_routes
from bot.direct_routes import DirectApp
from bot.platforms.dingtalk import DingTalkPlatform
from bot.platforms.dingtalk_push import OtoClient
from bot.platforms.local import LocalPlatform
from bot.platforms.wecom import WeComPlatform
from bot.platforms.wecom_push import GroupRobot
from bot.runtime import Bot
from bot.security_headers import SecurityHeaders
from bot.status import status_routes
from bot.web_errors import EXCEPTION_HANDLERS

WS_START_WAIT_S = 5


def create_app(bot: Bot, *, reminders: bool = False, demo_day: bool = False) -> Starlette:
    """The Starlette app over ``bot`` (``demo_day``: started with ``--today``, so that day's reminders
    go out at start-up); ``app.state.local`` is the local chat (its feed),
    ``app.state.dingtalk`` the DingTalk platform, ``app.state.reminders`` the scheduler."""
    local = LocalPlatform(bot)
    dingtalk = DingTalkPlatform(bot)
    wecom_robot = GroupRobot(bot.config, bot.clock)
    dingtalk_oto = OtoClient(bot.config, bot.clock)
    wecom = WeComPlatform(bot)

    async def healthz(request: Request) -> JSONResponse:
        plan = await bot.offload(bot.store.active_plan, bot.clock.today())
        return JSONResponse({"ok": True, "plan": plan.title if plan else None,
                             "today": bot.clock.today().isoformat()})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        runner = service = long_connection = None
        if bot.config.wecom.aibot.mode == "websocket":
            from bot.platforms.wecom_ws import LongConnection

            long_connection = wecom_robot.long_connection = LongConnection(bot)
            app.state.wecom_ws = long_connection
            await long_connection.start()
            # Give it a moment, so that a start-up tick's pushes find the connection up.
            with contextlib.suppress(asyncio.TimeoutError):  # not builtin TimeoutError before 3.11
                await asyncio.wait_for(long_connection.authenticated.wait(), WS_START_WAIT_S)
        settings = bot.config.dingtalk
        if settings.mode == "stream" and settings.app_key and settings.app_secret:
            from bot.platforms.dingtalk_stream import StreamRunner

            runner = StreamRunner(bot)
            runner.start()
        if reminders:
            from reminders.scheduler import ReminderService

            service = ReminderService(bot, {"local": local.send, "dingtalk": dingtalk.send, "wecom": wecom_robot.send,
                                            "wecom_app": wecom.app_client.send, "dingtalk_otm": dingtalk_oto.send},
                                      catch_up_any_time=demo_day)
            app.state.reminders = service
            await service.start()
            from bot.ops.backups import schedule_nightly

            schedule_nightly(service.scheduler, bot)  # [backup] keep = N
        try:
            yield
        finally:
            if service:
                service.shutdown()
            if runner:
                runner.stop()
            await dingtalk.drain()
            if long_connection:
                long_connection.stop()
            await dingtalk.http.aclose()
            await wecom_robot.http.aclose()
            await dingtalk_oto.http.aclose()
            await wecom.http.aclose()

    app = DirectApp(routes=[Route("/healthz", healthz, methods=["GET"]), *local.routes(), *status_routes(bot),
                            *admin_routes(bot),
                            *dingtalk.routes(), *wecom.routes()], lifespan=lifespan,
                    middleware=[Middleware(SecurityHeaders)], exception_handlers=EXCEPTION_HANDLERS,
                    direct=wecom.routes())
    app.state.bot = bot
    app.state.local = local
    app.state.dingtalk = dingtalk
    app.state.wecom = wecom
    return app
