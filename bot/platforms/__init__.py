"""Platforms: each one small face (STYLE): ``routes()``, ``decode(request)``,
``encode_reply(message, reply)``, ``send(push)``. Handlers never import a platform."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from starlette.requests import ClientDisconnect, Request


class BadRequest(Exception):
    """An inbound request the platform rejects; ``status`` is the HTTP status to answer (4xx),
    ``reason`` the log line (English), ``key`` and ``values`` what a person is told (a macro of
    ``bot/templates/web_errors.j2``, :func:`bot.web_errors.said`)."""

    def __init__(self, status: int, reason: str, key: str = "bad_request", **values: object):
        super().__init__(reason)
        self.status, self.reason, self.key, self.values = status, reason, key, values


@dataclass(frozen=True)
class Outgoing:
    """A push into a chat: ``chat`` (its name in config), ``text`` (plain text, or markdown when
    ``markdown``), ``refs`` it names, ``mentions`` (person names to @), ``title`` for markdown."""

    chat: str
    text: str
    refs: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    markdown: bool = False
    title: str = ""


@dataclass(frozen=True)
class SendResult:
    """What a platform said to a push. ``ok`` only when it confirmed (errcode 0); otherwise
    ``code`` (the platform's errcode, or the HTTP status, or -1 for no answer), ``detail``,
    ``retryable`` (a later try may succeed) and ``retry_at`` (not before; aware time) when known."""

    ok: bool
    code: int = 0
    detail: str = ""
    retryable: bool = False
    retry_at: datetime | None = None


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it is known to exceed ``limit`` bytes
    (by Content-Length, else while streaming), so a huge upload is never buffered whole; 400
    for a body that never arrived whole."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise BadRequest(413, f"body over {limit} bytes", "too_large", limit=limit)
    chunks, size = [], 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise BadRequest(413, f"body over {limit} bytes", "too_large", limit=limit)
            chunks.append(chunk)
    except ClientDisconnect:  # cut off, or a chunked body the server's parser refused (it answered 400)
        raise BadRequest(400, "the body was cut off", "cut_off") from None
    return b"".join(chunks)


def parse_json(body: bytes) -> Any:
    """JSON from a request body; BadRequest(400) for anything that is not JSON, also for
    nesting too deep to decode (a 60 KB "[[[[…" must not become a 500)."""
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise BadRequest(400, "body is not JSON", "not_json") from None


async def post_for_errcode(http, url: str, body: dict, timeout: float | None = None
                           ) -> tuple[SendResult | None, dict]:
    """POST ``body`` to a robot/API and read its answer, as every push must (PROTOCOLS §2.1, §3.4):
    (failure, {}) for a bad URL (not retryable), no answer or a 5xx (retryable), or an answer
    that is not a JSON object; (None, answer) otherwise — the caller reads its errcode.
    ``timeout`` (seconds) overrides the client's own."""
    import httpx

    try:
        if timeout is None:
            response = await http.post(url, json=body)
        else:
            response = await http.post(url, json=body, timeout=timeout)
    except httpx.InvalidURL as error:
        return SendResult(False, -1, f"invalid URL: {error}"), {}
    except httpx.HTTPError as error:
        return SendResult(False, -1, f"{type(error).__name__}: {error}"[:200], retryable=True), {}
    if response.status_code >= 500:
        return SendResult(False, response.status_code, response.text[:200], retryable=True), {}
    try:
        answer = response.json()
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        return SendResult(False, response.status_code, f"unexpected answer {response.text[:100]}"), {}
    if response.status_code != 200:
        return SendResult(False, response.status_code, str(answer.get("errmsg", ""))[:200]), {}
    return None, answer


class TokenCache:
    """An app access token (WeCom ``gettoken``, DingTalk ``oauth2/accessToken``) kept until five
    minutes before it expires, so a push never goes out with a token about to lapse."""

    MARGIN = timedelta(minutes=5)

    def __init__(self):
        self._token: str | None = None
        self._until: datetime | None = None

    def get(self, now: datetime) -> str | None:
        """The cached token, or None when there is none or it is near its expiry."""
        return self._token if self._token and self._until and now < self._until else None

    def put(self, token: str, lifetime_s: int, now: datetime) -> str:
        """Keep ``token``, valid ``lifetime_s`` seconds from ``now``; returns it."""
        self._token, self._until = token, now + timedelta(seconds=lifetime_s) - self.MARGIN
        return token

    def clear(self) -> None:
        """Forget it (the platform refused it)."""
        self._token = None
