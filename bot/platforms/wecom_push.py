"""企业微信 group robot pushes (群机器人 webhook, PROTOCOLS §2.1).

markdown with ``<@userid>`` mentions (markdown ignores ``mentioned_list``), or text with
``mentioned_list``; markdown content ≤ 4096 bytes, text ≤ 2048. Every answer's errcode is
read: HTTP 200 with errcode ≠ 0 is a failure; 45009 (rate limited) is retried later,
93000 (bad key) and 40058 (too long) are reported, not retried. A push over the limit is cut
between lines with a "……还有 N 条" tail (:mod:`bot.platforms.sizes`) rather than refused whole.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta

import httpx

from bot.config import Config
from bot.identity import platform_id
from bot.platforms import Outgoing, SendResult, TokenCache, post_for_errcode, sizes

log = logging.getLogger("duban.wecom")

MARKDOWN_BYTES = sizes.WECOM_ROBOT_MARKDOWN
TEXT_BYTES = sizes.WECOM_ROBOT_TEXT
RATE_LIMITED = 45009
BAD_KEY = 93000
RATE_HOLD = timedelta(seconds=60)


def _render(template: str, **data: object) -> str:
    from bot.render import ROOT, environment

    return environment(ROOT / "bot" / "templates").get_template(template).render(**data).strip()


class GroupRobot:
    """Pushes to the WeCom chats of ``config`` through their group robots."""

    def __init__(self, config: Config, clock, http: httpx.AsyncClient | None = None, tail: sizes.Tail | None = None):
        self.config = config
        self.clock = clock
        self.http = http or httpx.AsyncClient(timeout=10)
        # A chat with a chat_id and no webhook is pushed over the 智能机器人's long connection.
        self.long_connection = None
        self.tail = tail or (lambda more: sizes.tail(_render, more))

    def body(self, push: Outgoing) -> dict:
        """The webhook JSON for ``push``: people with a WeCom userid are @-ed, the rest keep their names."""
        user_ids = [uid for person in push.mentions if (uid := platform_id(self.config, "wecom", person))]
        if push.markdown:
            text = push.text
            if user_ids:
                text = f"{text}\n" + " ".join(f"<@{uid}>" for uid in user_ids)
            return {"msgtype": "markdown", "markdown": {"content": text}}
        return {"msgtype": "text", "text": {"content": push.text, "mentioned_list": user_ids}}

    async def send(self, push: Outgoing) -> SendResult:
        """Push into the configured WeCom chat ``push.chat``: through its group robot webhook, or,
        for a chat with only a chat_id, over the 智能机器人's long connection (markdown only there).
        Errcodes as the module says; over the size limit is 40058, not retried."""
        chat = next((c for c in self.config.chats if c.name == push.chat and c.platform == "wecom"), None)
        by_connection = chat is not None and not chat.webhook and chat.chat_id and self.long_connection is not None
        if chat is None or not (chat.webhook or by_connection):
            return SendResult(False, -1, f"no WeCom chat {push.chat!r} with a webhook in config")
        markdown = push.markdown or by_connection
        body = self.body(replace(push, markdown=markdown))
        content = body["markdown"]["content"] if markdown else body["text"]["content"]
        limit = MARKDOWN_BYTES if markdown else TEXT_BYTES
        if sizes.size(content) > limit:  # WeCom would refuse it whole (40058): send what fits, and say so
            room = limit - (sizes.size(content) - sizes.size(push.text))  # the mentions stay
            if room < limit // 2:
                return SendResult(False, 40058, f"content is {sizes.size(content)} bytes, over {limit}")
            log.warning("wecom chat %r: a push of %d bytes cut to the robot's %d", chat.name, sizes.size(content),
                        limit)
            body = self.body(replace(push, markdown=markdown, text=sizes.fit(push.text, room, self.tail)))
        if by_connection:
            return await self.long_connection.send(chat.chat_id, body)
        failed, answer = await post_for_errcode(self.http, chat.webhook, body)
        if failed:
            return failed
        code, detail = answer.get("errcode", -1), str(answer.get("errmsg", ""))[:200]
        if code == 0:
            return SendResult(True)
        if code == RATE_LIMITED:
            return SendResult(False, code, detail, True, self.clock.now() + RATE_HOLD)
        if code == BAD_KEY:
            log.error("wecom chat %r: the group robot key is wrong (93000): %s", chat.name, detail)
        return SendResult(False, code, detail)


class TokenRefused(RuntimeError):
    """gettoken answered an errcode (``code``): the app's corp_id or secret is wrong, or WeCom is busy (-1)."""

    def __init__(self, code: int, detail: str):
        super().__init__(detail)
        self.code = code


class AppClient:
    """The self-built app's message API: an access token fetched with corp_id + secret and cached
    until shortly before it expires (refreshed at once on 40001/40014/42001), then
    ``message/send`` of text to users (PROTOCOLS §1.5). Base URL: ``wecom.api_base``."""

    EXPIRED = (40001, 40014, 42001)

    def __init__(self, config: Config, clock, http: httpx.AsyncClient | None = None):
        self.config = config
        self.clock = clock
        self.http = http or httpx.AsyncClient(timeout=10)
        self._token = TokenCache()

    async def token(self, fresh: bool = False) -> str:
        """The app's access token, cached until 5 minutes before it expires (``fresh``: fetch a
        new one). Raises :class:`TokenRefused` when gettoken answers an errcode (wrong
        corp_id/secret: 40013, 40001, 40091…)."""
        now = self.clock.instant()  # a token lives in real seconds, whatever --today says
        if not fresh and (cached := self._token.get(now)):
            return cached
        settings = self.config.wecom
        response = await self.http.get(f"{settings.api_base.rstrip('/')}/cgi-bin/gettoken",
                                       params={"corpid": settings.corp_id, "corpsecret": settings.secret})
        answer = response.json()
        if not isinstance(answer, dict) or answer.get("errcode", 0) != 0 or "access_token" not in answer:
            code = answer.get("errcode", -1) if isinstance(answer, dict) else -1
            raise TokenRefused(code, f"gettoken: {code} {answer.get('errmsg', '') if isinstance(answer, dict) else ''}")
        return self._token.put(answer["access_token"], int(answer.get("expires_in", 7200)), now)

    async def send(self, push: Outgoing) -> SendResult:
        """A private reminder (outbox platform "wecom_app", DESIGN §5): ``push.text`` as a text app
        message to the person in ``push.mentions``, whose userid comes from config ``[people]``.
        Not retried when nobody has an id or the text is over 2048 bytes (40058)."""
        users = [uid for person in push.mentions if (uid := platform_id(self.config, "wecom", person))]
        if not users:
            return SendResult(False, -1, f"no WeCom userid in config [people] for {', '.join(push.mentions) or '?'}")
        if len(push.text.encode()) > TEXT_BYTES:
            return SendResult(False, 40058, f"content is {len(push.text.encode())} bytes, over {TEXT_BYTES}")
        return await self.send_text(users, push.text)

    async def send_text(self, users: list[str], content: str) -> SendResult:
        """Send ``content`` (≤ 2048 bytes) to WeCom userids through the app. Rate limited (45009):
        retryable, not before a minute from now; an expired token is fetched again once."""
        body = {"touser": "|".join(users), "msgtype": "text", "agentid": self.config.wecom.agent_id,
                "text": {"content": content}, "safe": 0}
        for attempt in range(2):
            try:
                token = await self.token(fresh=attempt > 0)
                response = await self.http.post(
                    f"{self.config.wecom.api_base.rstrip('/')}/cgi-bin/message/send",
                    params={"access_token": token}, json=body)
                answer = response.json()
            except TokenRefused as refused:  # a wrong corp_id or secret does not mend by waiting
                return SendResult(False, refused.code, str(refused)[:200],
                                  retryable=refused.code in (-1, RATE_LIMITED), retry_at=None)
            except (httpx.HTTPError, ValueError) as error:
                return SendResult(False, -1, str(error)[:200], retryable=True)
            code = answer.get("errcode", -1)
            if code == 0:
                return SendResult(True)
            if code == RATE_LIMITED:
                return SendResult(False, code, str(answer.get("errmsg", ""))[:200], True, self.clock.now() + RATE_HOLD)
            if code not in self.EXPIRED:
                return SendResult(False, code, str(answer.get("errmsg", ""))[:200])
        return SendResult(False, code, "access token refused twice")
