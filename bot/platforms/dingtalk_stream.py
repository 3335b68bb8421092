"""钉钉 Stream mode: the robot's messages over DingTalk's outbound WebSocket, through the
official ``dingtalk-stream`` SDK (PROTOCOLS §3.3). No public address is needed, so this is
the mode for an office intranet. The same handlers answer; replies go to sessionWebhook.

The SDK's client reconnects by itself. It runs in a thread of its own with its own event
loop, because its connection set-up makes a blocking HTTP call that must not stall the web
app's loop. ``duban serve`` starts and stops it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading

import dingtalk_stream

from bot.ops.outage import OutageLog, SdkLogger
from bot.platforms.dingtalk import DingTalkPlatform, is_robot_message
from bot.runtime import Bot

log = logging.getLogger("duban.dingtalk")
# The SDK's lines for a failed connect (every 10 s while the network is down) and for a connect.
SDK_DOWN = ("open connection failed", "network exception", "unknown exception")
SDK_UP = ("endpoint is",)


class RobotMessageHandler(dingtalk_stream.ChatbotHandler):
    """Receives ``/v1.0/im/bot/messages/get`` callbacks and answers them through ``platform``."""

    def __init__(self, platform: DingTalkPlatform):
        super().__init__()
        self.platform = platform

    async def process(self, callback: dingtalk_stream.CallbackMessage) -> tuple[int, str]:
        """Answer one callback; returns the SDK's (status, message) ack."""
        payload = callback.data
        if not is_robot_message(payload):
            log.warning("dingtalk stream: not a robot message; ignored")
            return dingtalk_stream.AckMessage.STATUS_BAD_REQUEST, "not a robot message"
        await self.platform.handle(payload)
        return dingtalk_stream.AckMessage.STATUS_OK, "OK"


class StreamRunner:
    """The Stream client in a daemon thread: ``start()`` once, ``stop()`` at shutdown."""

    def __init__(self, bot: Bot):
        self.bot = bot
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        config = self.bot.config.dingtalk
        # The SDK reads the gateway URL from a class attribute; one process serves one DingTalk app.
        dingtalk_stream.DingTalkStreamClient.OPEN_CONNECTION_API = (
            config.api_base.rstrip("/") + "/v1.0/gateway/connections/open")
        client = dingtalk_stream.DingTalkStreamClient(
            dingtalk_stream.Credential(config.app_key, config.app_secret),
            logger=SdkLogger(log, OutageLog(log), "dingtalk_stream", down_words=SDK_DOWN, up_words=SDK_UP))
        self._loop = asyncio.new_event_loop()

        def run() -> None:
            asyncio.set_event_loop(self._loop)
            # The platform (and its HTTP client) is made inside the loop that uses it.
            client.register_callback_handler(dingtalk_stream.ChatbotMessage.TOPIC,
                                             RobotMessageHandler(DingTalkPlatform(self.bot)))
            with contextlib.suppress(RuntimeError):  # stop() stopped the loop
                self._loop.run_until_complete(client.start())

        self._thread = threading.Thread(target=run, name="dingtalk-stream", daemon=True)
        self._thread.start()
        log.info("dingtalk stream mode started (app_key %s)", config.app_key)

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=5)
