"""企业微信 智能机器人 long-connection mode (PROTOCOLS §2.3; ``[wecom.aibot] mode = "websocket"``).

The bot opens a WebSocket to WeCom (``wecom.aibot.ws_url``) and authenticates with bot id +
secret; WeCom then sends each group @message and 1:1 message as an ``aibot_msg_callback``
frame whose body is the callback JSON of the HTTP mode, unencrypted. No public address is
needed: the mode for an office without one. WeCom's own SDK (``wecom-aibot-python-sdk``,
module ``aibot``) does the subscribe frame, heartbeats, reconnect with backoff and the
per-req_id reply queue; this module turns frames into Messages, answers them through the
same handlers, and pushes reminders into a group by its ``chatid`` (``aibot_send_msg``).

A msgid is applied once (DESIGN §6): a frame delivered again after a reconnect changes
nothing; if its answer's reply had failed (or fails while the redelivery waits for it), the
stored answer is sent on the new req_id instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

from aibot import WSClient, WSClientOptions

from bot.messages import Reply
from bot.ops.outage import OutageLog, SdkLogger
from bot.platforms import SendResult, sizes
from bot.platforms.deliveries import answer_by_push
from bot.platforms.wecom import aibot_message, identified
from bot.platforms.wecom_push import RATE_LIMITED
from bot.runtime import Bot

log = logging.getLogger("duban.wecom")
# The SDK's lines for a failed connect (each reconnect attempt) and for a connect (bot/ops/outage.py).
SDK_DOWN = ("Failed to create WebSocket connection", "WebSocket connection closed", "WebSocket error")
SDK_UP = ("Authentication successful",)


class LongConnection:
    """One authenticated long connection for ``bot``: ``await start()`` inside the app's event
    loop, ``stop()`` at shutdown; ``send(push)`` pushes a reminder into a WeCom group.

    ``reconnect_ms`` is the SDK's first reconnect delay (doubling to 30 s). The SDK gives up
    after ``RECONNECT_ATTEMPTS`` failures in a row (about 8 minutes); from then on this class
    starts a fresh connect every ``restart_s`` until one succeeds: an office bot must come back after a night's network
    cut. (Not the SDK's unlimited mode: each of its failed attempts nests one more coroutine
    frame, which would end in a RecursionError after some hours.) Tests shorten both delays.
    """

    RECONNECT_ATTEMPTS = 20

    def __init__(self, bot: Bot, *, reconnect_ms: int = 1000, heartbeat_ms: int = 30000, restart_s: float = 60):
        settings = bot.config.wecom.aibot
        self.bot = bot
        self.outages = OutageLog(log)
        self.restart_s = restart_s
        self.client = WSClient(WSClientOptions(
            bot_id=settings.bot_id, secret=settings.secret, ws_url=settings.ws_url,
            logger=SdkLogger(log, self.outages, "wecom_ws", down_words=SDK_DOWN, up_words=SDK_UP),
            reconnect_interval=reconnect_ms, max_reconnect_attempts=self.RECONNECT_ATTEMPTS,
            heartbeat_interval=heartbeat_ms))
        self.authenticated = asyncio.Event()
        self._tasks: set[asyncio.Task] = set()
        self.client.on("authenticated", self._on_authenticated)
        self.client.on("disconnected", self._on_disconnected)
        # pyee raises an "error" event nobody listens to; this listener keeps it a log line.
        self.client.on("error", self._on_error)
        self.client.on("message", self._on_message)
        self.client.on("event.enter_chat", self._on_enter_chat)

    async def start(self) -> None:
        """Start connecting in the background and return at once: the SDK's connect only returns
        once connected, which must not hold up the web app's start while WeCom is unreachable."""
        log.info("wecom long connection to %s (bot id %s)", self.bot.config.wecom.aibot.ws_url,
                 self.bot.config.wecom.aibot.bot_id)
        self._spawn(self.client.connect())

    async def _restart(self, delay: float) -> None:
        """Start the SDK's connection over after ``delay`` seconds: close it, wait for the close
        (it runs as a task of its own), connect again."""
        await asyncio.sleep(delay)
        self.client.disconnect()
        for _ in range(50):
            if not self.client.is_connected:
                break
            await asyncio.sleep(0.1)
        await self.client.connect()

    def stop(self) -> None:
        """Close the connection and cancel the frames still being answered (at shutdown)."""
        self.client.disconnect()
        for task in self._tasks:
            task.cancel()

    def _on_authenticated(self) -> None:
        log.info("wecom long connection: subscribed")
        self.outages.up("wecom_ws")
        self.authenticated.set()

    def _on_disconnected(self, reason: str) -> None:
        self.outages.down("wecom_ws", f"wecom long connection closed ({reason})")
        self.authenticated.clear()

    def _on_error(self, error: Exception) -> None:
        if "Max reconnect attempts" in str(error):
            log.error("wecom long connection: %d reconnects failed; trying again every %d s", self.RECONNECT_ATTEMPTS,
                      self.restart_s)
            self._spawn(self._restart(self.restart_s))
        elif "Authentication failed" in str(error):
            log.error("wecom long connection: %s — check wecom.aibot.bot_id and wecom.aibot.secret", error)
        elif self.client.is_connected:
            # The SDK's receive loop died on a frame it could not read (a JSON list, a req_id that is
            # not a string) with the socket still open: nothing would read or reconnect again.
            log.warning("wecom long connection: the SDK stopped reading (%s); reconnecting", error)
            self.authenticated.clear()
            self._spawn(self._restart(0))
        else:
            log.warning("wecom long connection: %s", error)

    def _spawn(self, coroutine) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _on_message(self, frame: dict) -> None:
        self._spawn(self.handle(frame))

    def _on_enter_chat(self, frame: dict) -> None:
        self._spawn(self.welcome(frame))

    async def welcome(self, frame: dict) -> None:
        """Someone opened the 1:1 chat (``enter_chat``): the welcome is what a bare "@bot" gets,
        the usage; WeCom takes it within 5 s of the event. Never raises (logged)."""
        body = frame.get("body") if isinstance(frame.get("body"), dict) else {}
        try:
            message = await self.bot.offload(aibot_message, self.bot, {
                "msgtype": "text", "text": {"content": ""}, "from": body.get("from"),
                "msgid": body.get("msgid") or "enter_chat"})
            reply = await self.bot.offload(self.bot.answer, message)
        except Exception:
            log.exception("wecom long connection: the welcome could not be made")
            return
        await self._reply(frame, self.client.reply_welcome(frame, {"msgtype": "text", "text": {"content": reply.text}}))

    async def handle(self, frame: dict) -> Reply | None:
        """Answer one ``aibot_msg_callback`` frame with a finished stream reply on its req_id.

        Returns the reply, or None when nothing was sent (not a message, or a msgid already
        answered). Never raises: a frame that fails is logged, and the connection goes on."""
        try:
            body = frame.get("body")
            message = aibot_message(self.bot, body, identify=False) if isinstance(body, dict) else None
            if message is None:
                return None  # events, stream refreshes: nothing to answer
            return await answer_by_push(self.bot, message.key, lambda: identified(self.bot, message),
                                        lambda reply: self._stream(frame, message.msg_id, reply), "websocket")
        except Exception:
            log.exception("wecom long connection: a frame could not be handled")
            return None

    async def _stream(self, frame: dict, stream_id: str, reply: Reply) -> bool:
        content = sizes.fit(reply.text, sizes.WECOM_AIBOT_STREAM, lambda more: sizes.tail(self.bot.render, more))
        return await self._reply(frame, self.client.reply_stream(frame, stream_id, content, finish=True))

    @staticmethod
    async def _reply(frame: dict, sending) -> bool:
        try:
            await sending  # resolves on WeCom's errcode-0 receipt, raises on an error or timeout
        except Exception as error:
            req_id = (frame.get("headers") or {}).get("req_id")
            log.warning("wecom long connection: reply to req_id %s failed: %s", req_id, error)
            return False
        return True

    async def send(self, chat_id: str, body: dict) -> SendResult:
        """Push ``body`` (the group robot's markdown body, built and size-checked by
        :class:`~bot.platforms.wecom_push.GroupRobot`) into the group ``chat_id`` (``aibot_send_msg``).
        Sent only on WeCom's errcode-0 receipt; while the connection is down the result is
        retryable, so the outbox keeps the row."""
        if not self.client.is_connected or not self.authenticated.is_set():
            return SendResult(False, -1, "the WeCom long connection is not up", True)
        try:
            receipt = await self.client.send_message(chat_id, body)
        except Exception as error:  # an errcode ≠ 0 receipt, a receipt timeout, a dropped connection
            code = _errcode(error)
            # No receipt, or rate limited: try again later; any other errcode will not get better.
            return SendResult(False, code, str(error)[:200], code in (-1, RATE_LIMITED))
        if receipt.get("errcode", 0) != 0:
            return SendResult(False, receipt.get("errcode"), str(receipt.get("errmsg"))[:200])
        return SendResult(True)


def _errcode(error: Exception) -> int:
    """The errcode in the SDK's "Reply ack error: errcode=N, …" message; -1 when there is none."""
    with contextlib.suppress(ValueError, IndexError):
        return int(str(error).split("errcode=")[1].split(",")[0])
    return -1
