"""Platforms: each one small face (STYLE): ``routes()``, ``decode(request)``,
``encode_reply(message, reply)``, ``send(push)``. Handlers never import a platform."""

from __future__ import annotations

from dataclasses import dataclass, field


class BadRequest(Exception):
    """An inbound request the platform rejects; ``status`` is the HTTP status to answer (4xx)."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status, self.reason = status, reason


@dataclass(frozen=True)
class Outgoing:
    """A push into a chat: ``chat`` (its name), ``text``, ``refs`` it names, ``mentions`` (person names)."""

    chat: str
    text: str
    refs: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SendResult:
    """What a platform said to a push: ``ok``, and its error code and message when not."""

    ok: bool
    code: int = 0
    detail: str = ""
