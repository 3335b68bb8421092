"""Telling the admins that a push failed, once, by another channel (issue 13 "Retries that stop").

A failed push (refused three times, or undelivered for 24 hours) opens one notice per chat (a
second failure of the same chat while it is open adds nothing) and queues it, as an outbox row
of its own, to the first channel that is not the one that failed:

1. the WeCom self-built app's private message to the admins with a WeCom userid;
2. the DingTalk app robot's 1:1 message to the admins with a DingTalk staffId;
3. another chat (a configured one, else the local chat), @-ing the admins.

The notice counts as told only when that row is delivered (``outbox.mark_sent``); it is
always in the log, and on /status while it is open. It is resolved when the chat delivers
again, so a later failure is told again.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.config import Config
from bot.identity import platform_id
from bot.render import environment
from bot.runtime import Bot
from bot.store import outbox
from bot.store.outbox import OutboxPart, OutboxRow
from reminders.digest import TEMPLATES, chats
from reminders.private import (
    DINGTALK_OTM,
    FAILED_NOTICE,
    WECOM_APP,
    dingtalk_app_configured,
    is_private,
    wecom_app_configured,
)

log = logging.getLogger("duban.outbox")

ADMIN_CHAT = "管理员通知"  # the outbox chat of notices sent privately to the admins
_env = environment(TEMPLATES)


@dataclass(frozen=True)
class Channel:
    """Where a notice goes: the outbox ``chat`` and ``platform``, the admins it names (``mentions``)."""

    chat: str
    platform: str
    mentions: list[str]


def channel(config: Config, failed: OutboxRow) -> Channel | None:
    """The first channel to the admins that is not the one ``failed`` used; None when there is none
    (then the log and /status are all)."""
    admins = list(config.bot.admins)
    if failed.platform != WECOM_APP and wecom_app_configured(config):
        reachable = [name for name in admins if platform_id(config, "wecom", name)]
        if reachable:
            return Channel(ADMIN_CHAT, WECOM_APP, reachable)
    if failed.platform != DINGTALK_OTM and dingtalk_app_configured(config):
        reachable = [name for name in admins if platform_id(config, "dingtalk", name)]
        if reachable:
            return Channel(ADMIN_CHAT, DINGTALK_OTM, reachable)
    for chat in chats(config):  # with no [[chats]], the local chat the digests go to
        if chat.name != failed.chat:
            return Channel(chat.name, chat.platform, admins)
    return None


def notify_failed(bot: Bot, failed: OutboxRow, error: str, at: str, refused: bool) -> int | None:
    """Open the notice of ``failed`` (its chat's, or its person's) and queue it to another channel;
    returns the notice's id, or None when one is already open for that chat. Runs inside the
    caller's transaction (the row's "failed" and its notice land together)."""
    kind = FAILED_NOTICE[failed.platform] if is_private(failed.platform) else "failed_push"
    detail = failed.mentions[0] if is_private(failed.platform) and failed.mentions else failed.chat
    notice = outbox.add_notice(bot.store, f"failed:{failed.chat}", kind, detail, at)
    if notice is None:
        return None
    to = channel(bot.config, failed)
    log.error("outbox %d to %s failed (%s); the admins are told %s", failed.id, failed.chat, error,
              f"through {to.platform} {to.chat}" if to else "nowhere else (no other channel): see /status")
    if to is not None:
        text = _env.get_template("admin_notice.j2").render(
            n={"kind": kind, "detail": detail, "error": error if refused else ""}, bot_name=bot.config.bot.name)
        outbox.enqueue(bot.store, chat=to.chat, platform=to.platform, day=failed.on_date,
                       parts=[OutboxPart(text.strip(), [], to.mentions, notices=[notice])], at=at)
    return notice
