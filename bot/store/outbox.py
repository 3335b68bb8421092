"""Reminder claims, the outbox, ticks and admin notices (DESIGN §5 "Never twice", "Never lost").

A day's digest for a chat is built inside one ``BEGIN IMMEDIATE`` transaction that claims
each (plan, task, kind, date, chat) with a unique key and writes the outbox rows: a second
tick that day, or a second process, finds everything claimed and queues nothing. An outbox
row stays ``pending`` until its platform confirms it (errcode 0), then it is ``sent``; a row
the platform refused three times, or that could not be delivered for 24 hours, becomes
``failed`` and is told to the admins. A notice is told when a row carrying it is ``sent``
(in the same transaction), never when it is queued; it stays open, one per key, until the
chat it is about delivers again.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from bot.store.core import Store


@dataclass(frozen=True)
class OutboxPart:
    """One message to queue: ``text`` (one part of a digest), the ``refs`` and ``mentions`` it
    names; ``plan_refs`` each ref with its plan's id, [plan id, ref] (several plans may be
    active, DESIGN §5); ``notices`` the ids of the admin notices it carries."""

    text: str
    refs: list[str]
    mentions: list[str]
    markdown: bool = False
    title: str = ""
    plan_refs: list[tuple[int, str]] = field(default_factory=list)
    notices: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class OutboxRow:
    """A queued push as stored; times are aware ISO strings."""

    id: int
    chat: str
    platform: str
    on_date: str
    part: int
    parts: int
    text: str
    refs: list[str]
    mentions: list[str]
    markdown: bool
    title: str
    status: str
    attempts: int
    created_at: str
    next_attempt_at: str
    sent_at: str | None
    last_error: str | None
    plan_refs: list[tuple[int, str]] = field(default_factory=list)
    notices: list[int] = field(default_factory=list)
    refusals: int = 0


def _row(r: dict) -> OutboxRow:
    return OutboxRow(r["id"], r["chat"], r["platform"], r["on_date"], r["part"], r["parts"], r["text"],
                     json.loads(r["refs"]), json.loads(r["mentions"]), bool(r["markdown"]), r["title"],
                     r["status"], r["attempts"], r["created_at"], r["next_attempt_at"], r["sent_at"],
                     r["last_error"], [tuple(pr) for pr in json.loads(r["plan_refs"])], json.loads(r["notices"]),
                     r["refusals"])


Key = tuple[int, str, str]  # (plan id, task ref, reminder kind)


def claim_and_enqueue(store: Store, *, chat: str, platform: str, day: str, keys: list[Key],
                      render: Callable[[set[Key]], list[OutboxPart]], at: str) -> list[int]:
    """Claim ``keys`` for (``chat``, ``day``) and queue what ``render`` makes of the newly claimed ones.

    Returns the new outbox ids ([] when everything was claimed before: nothing is sent twice)."""
    with store.write(plan_data=False) as db:
        fresh: set[Key] = set()
        for plan_id, ref, kind in keys:
            cursor = db.execute(
                """INSERT INTO reminder_claims (plan_id, task_ref, kind, on_date, chat, claimed_at)
                   VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""", [plan_id, ref, kind, day, chat, at])
            if cursor.rowcount == 1:
                fresh.add((plan_id, ref, kind))
        if not fresh:
            return []
        ids = _insert(db, chat, platform, day, render(fresh), at)
        for plan_id, ref, kind in fresh:
            db.execute("""UPDATE reminder_claims SET outbox_id = ? WHERE plan_id = ? AND task_ref = ? AND kind = ?
                          AND on_date = ? AND chat = ?""", [ids[0], plan_id, ref, kind, day, chat])
        return ids


def enqueue(store: Store, *, chat: str, platform: str, day: str, parts: list[OutboxPart], at: str) -> list[int]:
    """Queue ``parts`` for ``chat`` with no claim (an admin notice: its notice row is its claim)."""
    with store.write(plan_data=False) as db:
        return _insert(db, chat, platform, day, parts, at)


def _insert(db, chat: str, platform: str, day: str, parts: list[OutboxPart], at: str) -> list[int]:
    return [db.execute(
        """INSERT INTO outbox (chat, platform, on_date, part, parts, text, refs, mentions, markdown, title,
           created_at, next_attempt_at, plan_refs, notices) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [chat, platform, day, number, len(parts), part.text, json.dumps(part.refs, ensure_ascii=False),
         json.dumps(part.mentions, ensure_ascii=False), int(part.markdown), part.title, at, at,
         json.dumps([list(pr) for pr in part.plan_refs], ensure_ascii=False), json.dumps(part.notices)]).lastrowid
        for number, part in enumerate(parts, 1)]


def mark_tick(store: Store, day: str, at: str) -> bool:
    """Record that ``day``'s tick ran; False when it had already run."""
    with store.write(plan_data=False) as db:
        return db.execute("INSERT INTO ticks (on_date, ran_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
                          [day, at]).rowcount == 1


def tick_ran(store: Store, day: str) -> bool:
    return bool(store._rows("SELECT 1 FROM ticks WHERE on_date = ?", (day,)))


def due_rows(store: Store, now: str) -> list[OutboxRow]:
    """Pending rows whose next attempt is due at ``now``, oldest first."""
    return [_row(r) for r in store._rows(
        "SELECT * FROM outbox WHERE status = 'pending' AND withdrawn = 0 AND next_attempt_at <= ? ORDER BY id",
        (now,))]


def rows(store: Store, statuses: tuple[str, ...] = ("pending", "failed", "sent")) -> list[OutboxRow]:
    """Rows in these statuses (withdrawn ones left out), oldest first."""
    marks = ", ".join("?" * len(statuses))
    return [_row(r) for r in store._rows(
        f"SELECT * FROM outbox WHERE status IN ({marks}) AND withdrawn = 0 ORDER BY id", statuses)]


def last_sent_refs(store: Store, chat: str) -> list[str]:
    """The refs of the last day's reminders delivered to ``chat`` (all parts), in order."""
    day = store._rows("SELECT MAX(on_date) AS day FROM outbox WHERE chat = ? AND status = 'sent'", (chat,))
    if not day or day[0]["day"] is None:
        return []
    refs: list[str] = []
    for r in store._rows("SELECT refs FROM outbox WHERE chat = ? AND on_date = ? AND status = 'sent' ORDER BY id",
                         (chat, day[0]["day"])):
        refs += [ref for ref in json.loads(r["refs"]) if ref not in refs]
    return refs


def last_sent_plan_refs(store: Store, chat: str) -> list[tuple[int | None, str]]:
    """(plan id, ref) of each task the last day's reminders delivered to ``chat`` named, in order;
    the plan id is None for rows written before pushes recorded their plans."""
    day = store._rows("SELECT MAX(on_date) AS day FROM outbox WHERE chat = ? AND status = 'sent'", (chat,))
    if not day or day[0]["day"] is None:
        return []
    found: list[tuple[int | None, str]] = []
    for r in store._rows("SELECT refs, plan_refs FROM outbox WHERE chat = ? AND on_date = ? AND status = 'sent' "
                         "ORDER BY id", (chat, day[0]["day"])):
        named = [tuple(pr) for pr in json.loads(r["plan_refs"] or "[]")]
        named = named or [(None, ref) for ref in json.loads(r["refs"])]
        found += [pr for pr in named if pr not in found]
    return found


def pending_naming(store: Store, ref: str) -> list[OutboxRow]:
    """Queued, not yet delivered rows that name ``ref``."""
    return [row for row in rows(store, ("pending",)) if ref in row.refs]


def rewrite(store: Store, row_id: int, text: str, refs: list[str], mentions: list[str],
            plan_refs: list[tuple[int, str]] | None = None) -> None:
    """Replace a pending row's text (a closed task's line taken out); with no refs left, withdraw it."""
    with store.write(plan_data=False) as db:
        db.execute("UPDATE outbox SET text = ?, refs = ?, mentions = ?, withdrawn = ?, "
                   "plan_refs = COALESCE(?, plan_refs) WHERE id = ? AND status = 'pending'",
                   [text, json.dumps(refs, ensure_ascii=False), json.dumps(mentions, ensure_ascii=False),
                    int(not refs), None if plan_refs is None else json.dumps([list(pr) for pr in plan_refs]), row_id])


def sent_times(store: Store, chat: str, since: str) -> list[str]:
    """When rows to ``chat`` were sent at or after ``since``, oldest first (for pacing)."""
    return [r["sent_at"] for r in store._rows(
        "SELECT sent_at FROM outbox WHERE chat = ? AND status = 'sent' AND sent_at >= ? ORDER BY sent_at",
        (chat, since))]


def lease(store: Store, row_id: int, now: str, until: str) -> bool:
    """Take a due pending row for sending until ``until``; False when another sender has it
    (a second delivery loop or process must not send it too)."""
    with store.write(plan_data=False) as db:
        return db.execute("UPDATE outbox SET next_attempt_at = ? WHERE id = ? AND status = 'pending' "
                          "AND withdrawn = 0 AND next_attempt_at <= ?", [until, row_id, now]).rowcount == 1


def mark_sent(store: Store, row_id: int, at: str) -> None:
    """``row_id`` confirmed by its platform at ``at``: sent; the notices it carried are told; an
    open notice about its chat failing is resolved (the chat delivers again)."""
    with store.write(plan_data=False) as db:
        db.execute("UPDATE outbox SET status = 'sent', sent_at = ?, attempts = attempts + 1 WHERE id = ?",
                   [at, row_id])
        db.execute("""UPDATE notices SET told_on = ? WHERE told_on IS NULL AND id IN
                      (SELECT value FROM json_each((SELECT notices FROM outbox WHERE id = ?)))""", [at, row_id])
        db.execute("""UPDATE notices SET resolved_at = ? WHERE resolved_at IS NULL
                      AND key = 'failed:' || (SELECT chat FROM outbox WHERE id = ?)""", [at, row_id])


def mark_retry(store: Store, row_id: int, next_at: str, error: str, *, attempted: bool = True) -> None:
    with store.write(plan_data=False) as db:
        db.execute("UPDATE outbox SET next_attempt_at = ?, last_error = ?, attempts = attempts + ? WHERE id = ?",
                   [next_at, error, int(attempted), row_id])


def mark_refused(store: Store, row_id: int, next_at: str, error: str) -> None:
    """The platform refused ``row_id`` (a refusal waiting cannot cure): counted, tried again at ``next_at``."""
    with store.write(plan_data=False) as db:
        db.execute("UPDATE outbox SET next_attempt_at = ?, last_error = ?, attempts = attempts + 1, "
                   "refusals = refusals + 1 WHERE id = ?", [next_at, error, row_id])


def mark_failed(store: Store, row_id: int, error: str, *, refused: bool = False) -> None:
    with store.write(plan_data=False) as db:
        db.execute("UPDATE outbox SET status = 'failed', last_error = ?, attempts = attempts + 1, "
                   "refusals = refusals + ? WHERE id = ?", [error, int(refused), row_id])


def add_notice(store: Store, key: str, kind: str, detail: str, at: str) -> int | None:
    """Remember something the admins must be told once; its id, or None while a notice with
    ``key`` is still open (told or not: it is not told twice)."""
    with store.write(plan_data=False) as db:
        cursor = db.execute("INSERT INTO notices (key, kind, detail, created_at) VALUES (?, ?, ?, ?) "
                            "ON CONFLICT DO NOTHING", [key, kind, detail, at])
        return cursor.lastrowid if cursor.rowcount == 1 else None


def untold_notices(store: Store, kinds: tuple[str, ...] | None = None) -> list[dict]:
    """Open notices not yet told and not riding in a row still pending (of ``kinds``, when given):
    id, kind, detail, created_at."""
    rows = store._rows("""SELECT id, kind, detail, created_at FROM notices n WHERE told_on IS NULL
                          AND resolved_at IS NULL AND NOT EXISTS (SELECT 1 FROM outbox o, json_each(o.notices) j
                          WHERE o.status = 'pending' AND o.withdrawn = 0 AND j.value = n.id) ORDER BY id""")
    return [r for r in rows if kinds is None or r["kind"] in kinds]


def open_notices(store: Store) -> list[dict]:
    """Every notice still open (its problem not resolved): id, kind, detail, created_at, told_on."""
    return store._rows("SELECT id, kind, detail, created_at, told_on FROM notices WHERE resolved_at IS NULL "
                       "ORDER BY id")


def open_failures(store: Store) -> list[dict]:
    """The failed pushes the admins are (or are being) told about and that are not resolved, for
    /status: kind, detail (the chat or person), created_at, told_on, and ``error`` (what the
    platform last answered)."""
    return store._rows("""SELECT n.kind, n.detail, n.created_at, n.told_on,
                          (SELECT o.last_error FROM outbox o WHERE 'failed:' || o.chat = n.key AND o.status = 'failed'
                           ORDER BY o.id DESC LIMIT 1) AS error
                          FROM notices n WHERE n.resolved_at IS NULL AND n.key LIKE 'failed:%' ORDER BY n.id""")
