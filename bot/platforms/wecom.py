"""企业微信 callbacks: the 智能机器人 (group questions, JSON) at ``/wecom/aibot`` and the
self-built app (1:1, XML) at ``/wecom/app`` (PROTOCOLS §1, §2.3; DESIGN §7).

Both: URL verification answers the bare decrypted echostr (no quotes, no JSON, no newline:
cases/bug01); a missing or wrong msg_signature is 403 and nothing is decrypted; a message
for another CorpID is 403 with one log line that says so; a body that is not base64, JSON
or XML is 400; over 1 MiB, 413. A message is answered passively when its answer is ready
within ``wecom.reply_deadline_s``, else acknowledged empty and answered by ``response_url``
(AI bot) or the app's message API (see ``deliveries.py`` for retries).
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import replace

import httpx
import xmltodict
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from wechatpy.enterprise.replies import TextReply

from bot.messages import Message, Reply
from bot.platforms import BadRequest, parse_json, read_body, sizes
from bot.platforms.deliveries import Deliveries
from bot.platforms.wecom_crypto import BadCiphertext, BadSignature, WeComCrypto, WrongReceiver
from bot.platforms.wecom_push import AppClient
from bot.runtime import Bot
from bot.text import clean_id, clean_message, xml_safe

log = logging.getLogger("duban.wecom")

MAX_BODY = 1024 * 1024
MESSAGE_TYPES = ("text", "mixed", "image", "voice", "file")  # what people send the AI bot (PROTOCOLS §2.3)
APP_PUSH_PARTS = 5  # a late app answer goes out in at most this many messages (bot/platforms/sizes.py)


def _ack() -> Response:
    return PlainTextResponse("")


def _refuse(where: str, error: Exception | str, status: int) -> Response:
    log.warning("wecom %s refused (%d): %s", where, status, error)
    return PlainTextResponse("", status_code=status)


def _field(data: object, *path: str) -> object:
    """``data[path[0]][path[1]]…`` where each step is a JSON object; None where one is not."""
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _text(data: object, *path: str) -> str:
    value = _field(data, *path)
    return value if isinstance(value, str) else ""


def aibot_message(bot: Bot, data: dict, *, identify: bool = True) -> Message | None:
    """A decrypted AI-bot callback, or a long-connection frame's body (the same JSON: PROTOCOLS
    §2.3) → Message; None for what is not a user message (events, stream refreshes, no msgid).
    A field of the wrong JSON type reads as absent, and ids and text are cleaned where they
    enter (no surrogates or control characters): a well-signed odd body is answered, never a
    500. ``identify=False`` leaves ``person`` None (see :func:`identified`: it reads the store)."""
    kind = data.get("msgtype")
    msg_id = clean_id(data.get("msgid"))
    if kind not in MESSAGE_TYPES or not msg_id:
        return None
    if kind == "text":
        text = _text(data, "text", "content")
    elif kind == "mixed":
        items = _field(data, "mixed", "msg_item")
        text = "".join(_text(i, "text", "content") for i in (items if isinstance(items, list) else [])
                       if _field(i, "msgtype") == "text")
    else:
        text = ""
    quoted = _text(data, "quote", "text", "content") if _field(data, "quote", "msgtype") == "text" else ""
    sender = clean_id(_field(data, "from", "userid"))
    message = Message(platform="wecom", chat_id=clean_id(data.get("chatid")) or f"single:{sender}",
                      sender_id=sender, person=None, text=clean_message(text), msg_id=msg_id,
                      received_at=bot.clock.now(), quoted_text=clean_message(quoted) or None,
                      kind="text" if kind in ("text", "mixed") else kind)
    return identified(bot, message) if identify else message


def identified(bot: Bot, message: Message) -> Message:
    """``message`` with the person its sender is (config, else a confirmed binding)."""
    return replace(message, person=bot.identify(message.platform, message.sender_id))


def app_message(bot: Bot, xml: str) -> Message | None:
    """A decrypted self-built app callback (XML, PROTOCOLS §1.2) → Message with ``person`` None;
    None for an event. Read with xmltodict, not wechatpy's lazy typed fields: a signed message
    whose ``MsgId`` or ``CreateTime`` is not a number is still a message. Raises BadRequest
    (400) for what is not a WeCom message at all."""
    try:
        fields = xmltodict.parse(xml).get("xml")
    except Exception:  # expat errors, entity declarations (refused), odd encodings
        raise BadRequest(400, "the decrypted callback is not XML") from None
    if not isinstance(fields, dict):
        raise BadRequest(400, "the decrypted callback is not a WeCom message")
    kind = clean_id(fields.get("MsgType")) or "unknown"
    if kind == "event":
        return None  # LOCATION, enter_agent…: acknowledged, nothing to say
    sender = clean_id(fields.get("FromUserName"))
    if not sender:
        raise BadRequest(400, "the decrypted callback names no sender")
    content = fields.get("Content")
    text = clean_message(content) if kind == "text" and isinstance(content, str) else ""
    chat_id = f"app:{sender}"
    created = clean_id(fields.get("CreateTime"))
    msg_id = clean_id(fields.get("MsgId")) or fallback_id(chat_id, sender, kind, text, created)
    return Message(platform="wecom", chat_id=chat_id, sender_id=sender, person=None, text=text,
                   msg_id=msg_id, received_at=bot.clock.now(), kind="text" if kind == "text" else kind)


def fallback_id(chat_id: str, sender: str, kind: str, text: str, create_time: str) -> str:
    """The id of a message that carries no MsgId: its CreateTime (when there is one) and a hash
    of who sent what where ("<CreateTime>:<24 hex>"). A retry of it (the same XML again) gets
    the same id; two different messages get different ones, also when both lack CreateTime
    (issue 13: they shared "<sender>:" and the second was taken for a retry of the first)."""
    digest = hashlib.sha256("\x1f".join((chat_id, sender, kind, create_time, text)).encode()).hexdigest()
    return f"{create_time}:{digest[:24]}"


class WeComPlatform:
    """The two callback routes; ``routes()`` is empty until their keys are configured."""

    name = "wecom"

    def __init__(self, bot: Bot, app_client: AppClient | None = None, http=None):
        self.bot = bot
        settings = bot.config.wecom
        self.http = http or httpx.AsyncClient(timeout=10)
        self.app_client = app_client or AppClient(bot.config, bot.clock, self.http)
        self.aibot = (WeComCrypto(settings.aibot.token, settings.aibot.encoding_aes_key, "")
                      if settings.aibot.token and settings.aibot.encoding_aes_key else None)
        self.app = (WeComCrypto(settings.token, settings.encoding_aes_key, settings.corp_id)
                    if settings.token and settings.encoding_aes_key and settings.corp_id else None)
        self.deliveries = Deliveries(bot, "wecom", settings.reply_deadline_s)

    def routes(self) -> list[Route]:
        routes = []
        if self.aibot and self.bot.config.wecom.aibot.mode == "callback":
            routes.append(Route("/wecom/aibot", self.aibot_callback, methods=["GET", "POST"]))
        if self.app:
            routes.append(Route("/wecom/app", self.app_callback, methods=["GET", "POST"]))
        return routes

    def _timestamp(self) -> str:
        return str(int(self.bot.clock.instant().timestamp()))

    @staticmethod
    def _query(request: Request) -> tuple[str | None, str | None, str | None]:
        q = request.query_params
        return q.get("msg_signature"), q.get("timestamp"), q.get("nonce")

    def _verify_url(self, crypto: WeComCrypto, request: Request) -> Response:
        signature, timestamp, nonce = self._query(request)
        echostr = request.query_params.get("echostr")
        crypto.verify(signature, timestamp, nonce, echostr, self.bot.clock.instant())
        return PlainTextResponse(crypto.decrypt(echostr))

    async def _envelope(self, crypto: WeComCrypto, request: Request, xml: bool) -> str:
        body = await read_body(request, MAX_BODY)
        try:
            encrypt = xmltodict.parse(body.decode())["xml"]["Encrypt"] if xml else json.loads(body)["encrypt"]
        except Exception:  # not XML/JSON (or nested too deep), no Encrypt: all a malformed envelope
            raise BadRequest(400, "not an encrypted callback envelope") from None
        crypto.verify(*self._query(request), encrypt if isinstance(encrypt, str) else None, self.bot.clock.instant())
        return crypto.decrypt(encrypt)

    async def _guarded(self, where: str, crypto: WeComCrypto, request: Request, handle) -> Response:
        try:
            if request.method == "GET":
                return self._verify_url(crypto, request)
            return await handle(crypto, request)
        except BadSignature as error:
            return _refuse(where, error, 403)
        except WrongReceiver as error:
            log.warning("wecom %s: CorpID/receiveid mismatch — check wecom.corp_id in config (%s)", where, error)
            return PlainTextResponse("", status_code=403)
        except BadCiphertext as error:
            return _refuse(where, error, 400)
        except BadRequest as error:
            return _refuse(where, error, error.status)
        except Exception:  # a bug must not become a 500 that WeCom retries three times
            log.exception("wecom %s: the callback could not be handled", where)
            return PlainTextResponse("", status_code=400)

    # -- 智能机器人 ----------------------------------------------------------------------

    async def aibot_callback(self, request: Request) -> Response:
        return await self._guarded("aibot", self.aibot, request, self._aibot_message)

    async def _aibot_message(self, crypto: WeComCrypto, request: Request) -> Response:
        plain = await self._envelope(crypto, request, xml=False)
        data = parse_json(plain.encode())
        message = aibot_message(self.bot, data, identify=False) if isinstance(data, dict) else None
        if message is None:
            return _ack()  # events, stream refreshes: nothing to answer
        response_url = data.get("response_url") if isinstance(data.get("response_url"), str) else ""

        async def push(reply: Reply) -> bool:
            if not response_url:
                return False
            content = sizes.fit(reply.text, sizes.WECOM_AIBOT_STREAM, self._tail)
            try:
                answer = (await self.http.post(response_url, json={"msgtype": "markdown",
                                                                   "markdown": {"content": content}})).json()
            except Exception as error:  # network, a bad URL, not JSON: the answer is not out
                log.warning("wecom response_url failed: %s", error)
                return False
            return isinstance(answer, dict) and answer.get("errcode", 0) == 0

        reply = await self.deliveries.answer(message.key, lambda: identified(self.bot, message), push)
        if reply is None:
            return _ack()
        content = sizes.fit(reply.text, sizes.WECOM_AIBOT_STREAM, self._tail)
        stream = {"msgtype": "stream", "stream": {"id": message.msg_id, "finish": True, "content": content}}
        encrypt, signature, timestamp, nonce = crypto.encrypt(json.dumps(stream, ensure_ascii=False),
                                                              self._timestamp())
        return JSONResponse({"encrypt": encrypt, "msgsignature": signature, "timestamp": timestamp,
                             "nonce": nonce})

    # -- self-built app ------------------------------------------------------------------

    async def app_callback(self, request: Request) -> Response:
        return await self._guarded("app", self.app, request, self._app_message)

    async def _app_message(self, crypto: WeComCrypto, request: Request) -> Response:
        # A typed U+0002 would make the decrypted XML unparsable (bug04).
        message = app_message(self.bot, xml_safe(await self._envelope(crypto, request, xml=True)))
        if message is None:
            return _ack()
        sender = message.sender_id

        async def push(reply: Reply) -> bool:  # the message API: the whole answer, in several messages
            parts = sizes.split(reply.text, sizes.WECOM_APP_TEXT, parts=APP_PUSH_PARTS, tail=self._tail)
            for part in parts:
                if not (await self.app_client.send_text([sender], part)).ok:
                    return False
            return True

        reply = await self.deliveries.answer(message.key, lambda: identified(self.bot, message), push)
        if reply is None:
            return _ack()
        # A stored plan text may hold characters XML 1.0 forbids; the reply must stay well-formed.
        text = sizes.fit(xml_safe(reply.text), sizes.WECOM_APP_TEXT, self._tail)
        # wechatpy writes Content as one CDATA section: a "]]>" in the text would end it early.
        text = text.replace("]]>", "]]]]><![CDATA[>")
        content = TextReply(source=self.bot.config.wecom.corp_id, target=sender, content=text,
                            agent=self.bot.config.wecom.agent_id, time=int(self._timestamp())).render()
        encrypt, signature, timestamp, nonce = crypto.encrypt(content, self._timestamp())
        return Response(f"<xml><Encrypt><![CDATA[{encrypt}]]></Encrypt><MsgSignature><![CDATA[{signature}]]>"
                        f"</MsgSignature><TimeStamp>{timestamp}</TimeStamp><Nonce><![CDATA[{nonce}]]></Nonce></xml>",
                        media_type="application/xml")

    def _tail(self, more: int) -> str:
        return sizes.tail(self.bot.render, more)
