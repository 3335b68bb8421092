"""钉钉 DingTalk: the enterprise-internal robot receives @messages by HTTP (``POST
/dingtalk/callback``) or Stream mode (``dingtalk_stream.py``); answers go to the message's
``sessionWebhook``; pushes go through each chat's signed custom robot (PROTOCOLS §3).

HTTP mode checks the ``timestamp`` (milliseconds, within one hour) and ``sign`` headers,
``sign = base64(HmacSHA256(key=appSecret, timestamp + "\\n" + appSecret))``, compared in
constant time exactly as received (a form decoder turning "+" into " " must not pass:
cases/bug05). Every custom-robot push is signed with a fresh timestamp and the sign is
URL-encoded (cases/bug06).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import logging
from dataclasses import replace
from datetime import datetime, timedelta
from urllib.parse import quote

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.identity import platform_id
from bot.messages import Message, Reply
from bot.platforms import BadRequest, Outgoing, SendResult, parse_json, post_for_errcode, read_body, sizes
from bot.platforms.deliveries import answer_by_push
from bot.runtime import Bot
from bot.text import clean_id, clean_message

log = logging.getLogger("duban.dingtalk")

SIGN_WINDOW_MS = 3_600_000  # PROTOCOLS §3.1: rejected when more than 1 hour off
MAX_BODY = 1024 * 1024
TOO_FAST = 130101  # "send too fast": the robot is blocked for 10 minutes (PROTOCOLS §3.4)
TOO_FAST_HOLD = timedelta(minutes=10)
SIGN_OR_KEYWORD = 310000  # sign not match / keyword / IP: a config mistake, report it
REPLY_TIMEOUT_S = 5.0  # an answer to a sessionWebhook: its own time limit, then one more try
REPLY_RETRY_AFTER_S = 1.0
ACK_WITHIN_S = 3.0  # the callback waits this long at most for the message to be committed


def is_robot_message(payload: object) -> bool:
    """A robot message payload: a JSON object with a msgId (a string or number) and a
    sessionWebhook (an http(s) URL) to answer to."""
    return (isinstance(payload, dict) and bool(clean_id(payload.get("msgId")))
            and isinstance(payload.get("sessionWebhook"), str)
            and payload["sessionWebhook"].startswith(("https://", "http://")))


def sign(secret: str, timestamp_ms: str) -> str:
    """base64(HmacSHA256(key=secret, msg=timestamp + "\\n" + secret)), not URL-encoded (PROTOCOLS §3.1, §3.4)."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signed_url(webhook: str, secret: str, timestamp_ms: int) -> str:
    """``webhook`` with ``&timestamp=<ms>&sign=<URL-encoded sign>`` (no signing when ``secret`` is empty)."""
    if not secret:
        return webhook
    joiner = "&" if "?" in webhook else "?"
    return f"{webhook}{joiner}timestamp={timestamp_ms}&sign={quote(sign(secret, str(timestamp_ms)), safe='')}"


def _ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


class DingTalkPlatform:
    """DingTalk's face: ``routes()`` (HTTP mode only), ``decode``, ``reply`` (sessionWebhook),
    ``send`` (custom robot). ``http`` is the outgoing client (tests point URLs at a recorder)."""

    name = "dingtalk"

    def __init__(self, bot: Bot, http: httpx.AsyncClient | None = None):
        self.bot = bot
        self.config = bot.config
        self.http = http or httpx.AsyncClient(timeout=10)
        self._held_until: dict[str, datetime] = {}
        self._tasks: set[asyncio.Task] = set()

    def routes(self) -> list[Route]:
        if self.config.dingtalk.mode != "http" or not self.config.dingtalk.app_secret:
            return []
        return [Route("/dingtalk/callback", self.callback, methods=["POST"])]

    # -- receiving -----------------------------------------------------------------------

    def verify(self, timestamp: str | None, given: str | None) -> None:
        """Check the callback headers. Raises BadRequest(401) naming what is wrong."""
        if not timestamp or not given:
            raise BadRequest(401, "missing timestamp or sign header")
        if not (timestamp.isdigit() and len(timestamp) == 13):
            raise BadRequest(401, f"timestamp {timestamp[:20]!r} is not DingTalk's 13-digit milliseconds")
        skew = abs(_ms(self.bot.clock.instant()) - int(timestamp))
        if skew > SIGN_WINDOW_MS:
            raise BadRequest(401, f"timestamp is {skew // 60000} minutes off (limit 60)")
        expected = sign(self.config.dingtalk.app_secret, timestamp)
        if not hmac.compare_digest(expected.encode(), given.encode()):
            raise BadRequest(401, "sign does not match")

    async def decode(self, request: Request) -> dict:
        """Verify and parse one HTTP-mode callback into its JSON payload. Raises BadRequest."""
        self.verify(request.headers.get("timestamp"), request.headers.get("sign"))
        payload = parse_json(await read_body(request, MAX_BODY))
        if not is_robot_message(payload):
            raise BadRequest(400, "not a robot message (no msgId or sessionWebhook)")
        return payload

    def message(self, payload: dict, *, identify: bool = True) -> Message:
        """A robot message payload (HTTP or Stream, PROTOCOLS §3.1; :func:`is_robot_message`) →
        Message; a 1:1 chat's chat_id is "single:<conversationId>" (not a group to link under
        [[chats]]). Ids and text are cleaned where they enter; a field of the wrong JSON type
        reads as absent. ``identify=False`` leaves ``person`` None (it reads the store)."""
        text = payload.get("text") if isinstance(payload.get("text"), dict) else {}
        content = text.get("content") if isinstance(text.get("content"), str) else ""
        quoted = None
        replied = text.get("repliedMsg")
        if text.get("isReplyMsg") and isinstance(replied, dict) and isinstance(replied.get("content"), dict):
            said = replied["content"].get("text")
            quoted = clean_message(said) if isinstance(said, str) and said else None
        sender = clean_id(payload.get("senderStaffId")) or clean_id(payload.get("senderId"))
        chat_id = clean_id(payload.get("conversationId"))
        if str(payload.get("conversationType")) == "1":  # a 1:1 chat with the robot, where private reminders go
            chat_id = f"single:{chat_id}"
        kind = payload.get("msgtype", "text")
        nick = payload.get("senderNick") if isinstance(payload.get("senderNick"), str) else None
        return Message(
            platform="dingtalk", chat_id=chat_id, sender_id=sender,
            person=self.bot.identify("dingtalk", sender, nick) if identify else None,
            text=clean_message(content), msg_id=clean_id(payload["msgId"]), received_at=self.bot.clock.now(),
            quoted_text=quoted, kind="text" if kind == "text" else (clean_id(kind) or "unknown"),
        )

    def expired(self, payload: dict) -> bool:
        """The sessionWebhook can no longer be posted to (``sessionWebhookExpiredTime`` is past)."""
        expiry = payload.get("sessionWebhookExpiredTime")
        return isinstance(expiry, int) and expiry <= _ms(self.bot.clock.instant())

    async def handle(self, payload: dict, claimed: asyncio.Event | None = None) -> Reply | None:
        """Answer one verified payload and post the answer to its sessionWebhook.

        Returns the reply, or None when nothing was done: an expired sessionWebhook, or a
        message already answered (a redelivery changes nothing and is not answered twice; one
        whose answer could not be posted gets the stored answer posted again)."""
        message = self.message(payload, identify=False)
        if self.expired(payload):
            log.warning("dingtalk: sessionWebhook of msgId %s expired; not answered", message.msg_id)
            return None

        async def send(reply: Reply) -> bool:
            if claimed is not None:  # the message and its answer are committed: it may be acknowledged
                claimed.set()
            result = await self.reply(payload, reply)
            if not result.ok:
                log.warning("dingtalk: the answer to msgId %s was not delivered: %s %s", message.msg_id,
                            result.code, result.detail)
            return result.ok

        nick = payload.get("senderNick") if isinstance(payload.get("senderNick"), str) else None
        return await answer_by_push(
            self.bot, message.key,
            lambda: replace(message, person=self.bot.identify("dingtalk", message.sender_id, nick)),
            send, "session_webhook")

    def answer_later(self, payload: dict) -> asyncio.Event:
        """:meth:`handle` ``payload`` off the request (issue 13): the answer goes to the
        sessionWebhook from a task of its own. Returns an event set once the message and its
        answer are committed (or nothing is to be done): the callback is acknowledged then, not
        before, so a crash after the 200 loses nothing (DingTalk does not resend what it got 200 for)."""
        claimed = asyncio.Event()
        task = asyncio.create_task(self._handled(payload, claimed))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return claimed

    async def _handled(self, payload: dict, claimed: asyncio.Event | None = None) -> None:
        try:
            await self.handle(payload, claimed)
        except Exception:  # logged once; the next delivery of the message is answered afresh
            log.exception("dingtalk: msgId %s could not be answered", clean_id(payload.get("msgId")))
        finally:
            if claimed is not None:
                claimed.set()

    async def drain(self) -> None:
        """Wait for the answers still being made (at shutdown, and in tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def callback(self, request: Request) -> Response:
        try:
            payload = await self.decode(request)
        except BadRequest as error:
            log.warning("dingtalk callback refused (%d): %s", error.status, error.reason)
            return JSONResponse({"error": error.reason}, status_code=error.status)
        claimed = self.answer_later(payload)
        with contextlib.suppress(asyncio.TimeoutError):  # a slow store: acknowledge within DingTalk's time
            await asyncio.wait_for(claimed.wait(), ACK_WITHIN_S)
        return JSONResponse({})

    async def reply(self, payload: dict, reply: Reply) -> SendResult:
        """POST ``reply`` as text to the payload's sessionWebhook, @-ing the asker (PROTOCOLS §3.1),
        within ``REPLY_TIMEOUT_S``; a retryable failure (no answer, 5xx) is tried once more."""
        staff = clean_id(payload.get("senderStaffId"))
        at = f"@{staff}\n" if staff and payload.get("conversationType") == "2" else ""
        content = at + sizes.fit(reply.text, sizes.DINGTALK_TEXT - sizes.size(at),
                                 lambda more: sizes.tail(self.bot.render, more))
        body: dict = {"msgtype": "text", "text": {"content": content}}
        if staff:
            body["at"] = {"atUserIds": [staff], "isAtAll": False}
        result = await self._post(str(payload["sessionWebhook"]), body, timeout=REPLY_TIMEOUT_S)
        if not result.ok and result.retryable:
            await asyncio.sleep(REPLY_RETRY_AFTER_S)
            result = await self._post(str(payload["sessionWebhook"]), body, timeout=REPLY_TIMEOUT_S)
        return result

    # -- pushing -------------------------------------------------------------------------

    async def send(self, push: Outgoing) -> SendResult:
        """Push into a chat's custom robot: fresh signed timestamp, @ by atUserIds/atMobiles with
        the @ written in the text too, the chat's keyword included; errcode read on every answer."""
        chat = next((c for c in self.config.chats if c.name == push.chat and c.platform == "dingtalk"), None)
        if chat is None or not chat.webhook:
            return SendResult(False, -1, f"no DingTalk chat {push.chat!r} with a webhook in config")
        now = self.bot.clock.now()
        held = self._held_until.get(chat.webhook)
        if held and now < held:
            return SendResult(False, TOO_FAST, "robot held after send too fast", True, held)
        user_ids, mobiles = [], []
        for person in push.mentions:
            if staff := platform_id(self.config, "dingtalk", person):
                user_ids.append(staff)
            elif (ids := self.config.people.get(person)) and ids.mobile:
                mobiles.append(ids.mobile)
        ats = " ".join(f"@{who}" for who in (*user_ids, *mobiles))
        text = push.text
        if push.markdown:
            text = text.replace("\n", "  \n")  # DingTalk markdown breaks a line only on two spaces (bug21)
        extra = sizes.size(f"\n\n{ats}" if ats else "") + sizes.size(f"\n\n{chat.keyword}" if chat.keyword else "")
        if sizes.size(text) + extra > sizes.DINGTALK_TEXT:  # send what fits and say so, never refused whole
            log.warning("dingtalk chat %r: a push of %d bytes cut to %d", chat.name, sizes.size(text),
                        sizes.DINGTALK_TEXT)
            text = sizes.fit(text, sizes.DINGTALK_TEXT - extra, lambda more: sizes.tail(self.bot.render, more))
        if ats:
            text = f"{text}\n\n{ats}"
        if chat.keyword and chat.keyword not in text:
            text = f"{text}\n\n{chat.keyword}"
        if push.markdown:
            body: dict = {"msgtype": "markdown", "markdown": {"title": push.title or push.chat, "text": text}}
        else:
            body = {"msgtype": "text", "text": {"content": text}}
        body["at"] = {"atUserIds": user_ids, "atMobiles": mobiles, "isAtAll": False}
        result = await self._post(signed_url(chat.webhook, chat.secret, _ms(self.bot.clock.instant())), body)
        if result.code == TOO_FAST:
            self._held_until[chat.webhook] = now + TOO_FAST_HOLD
            return SendResult(False, TOO_FAST, result.detail, True, now + TOO_FAST_HOLD)
        if result.code == SIGN_OR_KEYWORD:
            log.error("dingtalk chat %r refused the push (310000: sign, keyword or IP): %s", chat.name,
                      result.detail)
        return result

    async def _post(self, url: str, body: dict, timeout: float | None = None) -> SendResult:
        failed, answer = await post_for_errcode(self.http, url, body, timeout=timeout)
        if failed:
            return failed
        code = answer.get("errcode", -1)  # no errcode is no confirmation
        if code == 0:
            return SendResult(True)
        return SendResult(False, code, str(answer.get("errmsg", ""))[:200], retryable=code == TOO_FAST)
