"""Platforms: each one small face (STYLE): ``routes()``, ``decode(request)``,
``encode_reply(message, reply)``, ``send(push)``. Handlers never import a platform."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


class BadRequest(Exception):
    """An inbound request the platform rejects; ``status`` is the HTTP status to answer (4xx)."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


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
