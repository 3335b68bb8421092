"""Inbound platform messages: the dedupe key and the answer given (DESIGN §6, issue 13).

One row per :class:`~bot.messages.InboundKey` (platform, chat, sender, msg id). The claim is
made inside the unit of work that answers the message (bot/writer.py), so a claim is never
left without the change and the answer it causes; ``delivered_via`` says how the answer went
out ("passive", "push", "session_webhook", "websocket"), or "failed", or nothing yet.
"""

from __future__ import annotations

from bot.messages import InboundKey
from bot.store.core import Store


def claim(store: Store, key: InboundKey, at: str) -> bool:
    """Record a platform message as received at ``at``; False when the same message of the same
    sender in the same chat was claimed before (a redelivery: the caller changes nothing)."""
    cursor = store.write_one(
        """INSERT INTO inbound (platform, chat_id, sender_id, msg_id, received_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (platform, chat_id, sender_id, msg_id) DO NOTHING""",
        [key.platform, key.chat_id, key.sender_id, key.msg_id, at], plan_data=False)
    return cursor.rowcount == 1


def record_answer(store: Store, key: InboundKey, reply: str) -> None:
    """Store the answer given to a claimed message (not yet delivered: ``delivered_via`` NULL), so a
    redelivery after a crash gets this answer, not a second one."""
    store.write_one("UPDATE inbound SET reply = ? WHERE platform = ? AND chat_id = ? AND sender_id = ? AND msg_id = ?",
                    [reply, *key], plan_data=False)


def mark_delivered(store: Store, key: InboundKey, via: str, *, force: bool = False) -> bool:
    """Record how the answer went out, or "failed" when it could not be sent; False when it was
    already recorded as delivered (someone else delivered it). ``force`` overwrites (a failed
    answer sent again)."""
    cursor = store.write_one(
        "UPDATE inbound SET delivered_via = ? WHERE platform = ? AND chat_id = ? AND sender_id = ? "
        "AND msg_id = ? AND (? OR delivered_via IS NULL)", [via, *key, int(force)], plan_data=False)
    return cursor.rowcount == 1


def stored(store: Store, key: InboundKey) -> dict | None:
    """The stored row of a platform message: reply and delivered_via, or None."""
    rows = store.read("SELECT * FROM inbound WHERE platform = ? AND chat_id = ? AND sender_id = ? AND msg_id = ?",
                      tuple(key))
    return rows[0] if rows else None
