"""The platform-neutral message and reply (STYLE "A platform is one small face")."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple


class InboundKey(NamedTuple):
    """What makes a platform message the same message again (DESIGN §6, issue 13): the platform,
    the chat, the sender and the platform's msg id. WeCom app MsgIds collide across users, so
    the msg id alone would answer one sender with another's answer."""

    platform: str
    chat_id: str
    sender_id: str
    msg_id: str


@dataclass(frozen=True)
class Message:
    """One inbound chat message, the same for every platform.

    ``text`` is as received (the @bot is removed by the parser, wherever it stands);
    ``person`` is the plan person the sender maps to, or None for an unmapped sender;
    ``received_at`` is aware (Asia/Shanghai); ``kind`` is "text", or the platform's type for
    what the bot cannot read (an image, a voice message), which gets a short reply.
    """

    platform: str
    chat_id: str
    sender_id: str
    person: str | None
    text: str
    msg_id: str
    received_at: datetime
    quoted_text: str | None = None
    kind: str = "text"

    @property
    def key(self) -> InboundKey:
        """The dedupe key of this message (see :class:`InboundKey`)."""
        return InboundKey(self.platform, self.chat_id, self.sender_id, self.msg_id)


@dataclass(frozen=True)
class Reply:
    """What the bot answers: ``text`` (rendered from a template), the task ``refs`` it names, in
    order, the refs it ``closed`` (their queued reminder lines are withdrawn), whether it
    only ``read`` the store (a question: the same message gives the same answer until the plan
    data changes), and the ``plan_id`` of the plan it answered from."""

    text: str
    refs: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    read: bool = False
    plan_id: int | None = None
