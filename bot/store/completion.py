"""State changes from the chat: completing a share or a task, undoing it, progress notes,
and binding a platform id to a person (DESIGN §6, §7).

Each change is one ``BEGIN IMMEDIATE`` transaction that writes its ``events`` row (who,
when, platform, chat, msg_id, before → after): two people completing at the same moment are
serialised and both count; a confirmation is only sent after the commit (cases/bug11).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlite_utils import Database

from bot.store.core import Store, add_event


@dataclass(frozen=True)
class Meta:
    """Where a change came from: ``platform``, ``chat``, ``msg_id``, ``at`` (aware ISO time)."""

    platform: str
    chat: str
    msg_id: str
    at: str


@dataclass
class Outcome:
    """What a completion did. ``code``: "share_done", "task_done", "already_done",
    "share_already_done"; ``done``/``total`` shares; ``pending`` owners left; ``closed``
    when the task is now done; ``at`` the time recorded."""

    code: str
    ref: str
    done: int = 0
    total: int = 0
    pending: list[str] = field(default_factory=list)
    closed: bool = False
    at: str = ""
    by: str = ""


def _shares(db: Database, task_id: int) -> list[dict]:
    return list(db.query(
        """SELECT a.id, COALESCE(p.name, r.name, u.name) AS name, a.share_status, a.done_at, a.done_by
           FROM assignments a LEFT JOIN people p ON p.id = a.person_id LEFT JOIN roles r ON r.id = a.role_id
           LEFT JOIN units u ON u.id = a.unit_id
           WHERE a.task_id = ? AND a.kind = 'owner' AND a.active = 1 ORDER BY a.position""", [task_id]))


def _task(db: Database, plan_id: int, ref: str) -> dict | None:
    return next(iter(db.query("SELECT id, status, done_at FROM tasks WHERE plan_id = ? AND ref = ? AND in_plan = 1",
                              [plan_id, ref])), None)


def _state(shares: list[dict], status: str) -> dict:
    return {"status": status, "shares": {s["name"]: s["share_status"] for s in shares}}


def complete(store: Store, plan_id: int, ref: str, *, person: str, share: str | None, meta: Meta) -> Outcome:
    """Mark ``share`` (an owner name: the person, or a role or unit they answer for) done, or with
    ``share=None`` the whole task; the task closes when every share is done.
    Raises LookupError for a ref the plan does not have."""
    with store.write() as db:
        task = _task(db, plan_id, ref)
        if task is None:
            raise LookupError(ref)
        shares = _shares(db, task["id"])
        if task["status"] == "done":
            return Outcome("already_done", ref, len(shares), len(shares), at=task["done_at"] or "")
        before = _state(shares, "open")
        if share is not None:
            mine = next(s for s in shares if s["name"] == share)
            if mine["share_status"] == "done":
                pending = [s["name"] for s in shares if s["share_status"] != "done"]
                return Outcome("share_already_done", ref, len(shares) - len(pending), len(shares), pending,
                               at=mine["done_at"] or "", by=mine["done_by"] or "")
            targets = [mine]
        else:
            targets = [s for s in shares if s["share_status"] != "done"]
        for target in targets:
            db.execute("UPDATE assignments SET share_status = 'done', done_at = ?, done_by = ? WHERE id = ?",
                       [meta.at, person, target["id"]])
        shares = _shares(db, task["id"])
        pending = [s["name"] for s in shares if s["share_status"] != "done"]
        closed = not pending
        if closed:
            db.execute("UPDATE tasks SET status = 'done', done_at = ? WHERE id = ?", [meta.at, task["id"]])
        add_event(db, meta.at, "task.completed" if share is None else "share.completed", person,
                  platform=meta.platform, chat=meta.chat, msg_id=meta.msg_id, plan_id=plan_id, task_id=task["id"],
                  before=before, after=_state(shares, "done" if closed else "open"))
        return Outcome("task_done" if closed else "share_done", ref, len(shares) - len(pending), len(shares),
                       pending, closed, meta.at, person)


def undo_last(store: Store, plan_id: int, person: str, since: str, meta: Meta, ref: str | None = None
              ) -> Outcome | None:
    """Reopen what ``person``'s last completion (at or after ``since``; of task ``ref`` when
    given) closed; None if there is none."""
    with store.write() as db:
        undone = {json.loads(r["after"])["undoes"] for r in db.query(
            "SELECT after FROM events WHERE kind = 'completion.undone' AND actor = ?", [person])}
        last = next((e for e in db.query(
            """SELECT e.id, e.task_id, e.before, e.after, t.ref FROM events e JOIN tasks t ON t.id = e.task_id
               WHERE e.actor = ? AND e.plan_id = ? AND e.kind IN ('share.completed', 'task.completed')
               AND e.at >= ? AND (? IS NULL OR t.ref = ?) ORDER BY e.id DESC""",
            [person, plan_id, since, ref, ref]) if e["id"] not in undone), None)
        if last is None:
            return None
        # Only what that event changed, and only where it still stands as this person left it.
        was, became = json.loads(last["before"])["shares"], json.loads(last["after"])["shares"]
        changed = {name for name, status in became.items() if status == "done" and was.get(name) == "open"}
        now = _shares(db, last["task_id"])
        before = _state(now, "done" if all(s["share_status"] == "done" for s in now) else "open")
        for share in now:
            if share["name"] in changed and share["share_status"] == "done" and share["done_by"] == person:
                db.execute("UPDATE assignments SET share_status = 'open', done_at = NULL, done_by = NULL "
                           "WHERE id = ?", [share["id"]])
        db.execute("UPDATE tasks SET status = 'open', done_at = NULL WHERE id = ?", [last["task_id"]])
        now = _shares(db, last["task_id"])
        after = dict(_state(now, "open"), undoes=last["id"])
        add_event(db, meta.at, "completion.undone", person, platform=meta.platform, chat=meta.chat,
                  msg_id=meta.msg_id, plan_id=plan_id, task_id=last["task_id"], before=before, after=after)
        pending = [s["name"] for s in now if s["share_status"] != "done"]
        return Outcome("undone", last["ref"], len(now) - len(pending), len(now), pending, False, meta.at, person)


def add_note(store: Store, plan_id: int, ref: str, person: str, text: str, meta: Meta) -> None:
    """Store a progress note on task ``ref`` (shown in its detail). Raises LookupError for an unknown ref."""
    with store.write() as db:
        task = _task(db, plan_id, ref)
        if task is None:
            raise LookupError(ref)
        db.execute("INSERT INTO notes (task_id, person, text, at, platform, msg_id) VALUES (?, ?, ?, ?, ?, ?)",
                   [task["id"], person, text, meta.at, meta.platform, meta.msg_id])
        add_event(db, meta.at, "note.added", person, platform=meta.platform, chat=meta.chat, msg_id=meta.msg_id,
                  plan_id=plan_id, task_id=task["id"], after={"note": text})


def withdraw_note(store: Store, plan_id: int, ref: str, person: str, meta: Meta) -> dict | None:
    """"撤销进展 3.3": take back ``person``'s latest progress note on task ``ref`` (DESIGN §4:
    only its author may). The note leaves the task's notes (its detail, the exported
    完成情况表) but not the store: its row is marked ``withdrawn_at``, and the ``note.withdrawn``
    event says who took it back, when and where. Returns the note withdrawn ({"id", "text", "at"}),
    or None when ``person`` has no note there. Raises LookupError for an unknown ref."""
    with store.write() as db:
        task = _task(db, plan_id, ref)
        if task is None:
            raise LookupError(ref)
        note = next(iter(db.query(
            "SELECT id, text, at, platform, msg_id FROM notes WHERE task_id = ? AND person = ? "
            "AND withdrawn_at IS NULL ORDER BY id DESC LIMIT 1",
            [task["id"], person])), None)
        if note is None:
            return None
        db.execute("UPDATE notes SET withdrawn_at = ? WHERE id = ?", [meta.at, note["id"]])
        add_event(db, meta.at, "note.withdrawn", person, platform=meta.platform, chat=meta.chat, msg_id=meta.msg_id,
                  plan_id=plan_id, task_id=task["id"], before={"note": note["text"], "note_id": note["id"],
                                                               "at": note["at"], "platform": note["platform"],
                                                               "msg_id": note["msg_id"]})
        return {"id": note["id"], "text": note["text"], "at": note["at"]}


def notes(store: Store, plan_id: int, ref: str) -> list[dict]:
    """The progress notes of ``ref``, oldest first: person, text, at."""
    return store._rows("""SELECT n.person, n.text, n.at FROM notes n JOIN tasks t ON t.id = n.task_id
                          WHERE t.plan_id = ? AND t.ref = ? AND n.withdrawn_at IS NULL ORDER BY n.id""", (plan_id, ref))


MAX_REQUESTS_PER_SENDER = 3  # "我是X" requests one sender may make in a day
MAX_PENDING_PER_NAME = 3  # senders waiting to be confirmed as one person


class BindingRefused(Exception):
    """A "我是X" request over a limit: ``reason`` "sender" (this sender asked too often today) or
    "name" (too many senders wait to be confirmed as ``person``); nothing was written."""

    def __init__(self, reason: str, person: str, limit: int):
        super().__init__(f"binding request refused ({reason}): {person}")
        self.reason, self.person, self.limit = reason, person, limit


def request_binding(store: Store, platform: str, sender_id: str, person: str, meta: Meta) -> None:
    """"我是严众能" from an unmapped sender: remember it until an admin confirms. Asking again for
    the same name while it waits adds nothing. Raises :class:`BindingRefused` past the limits
    (issue 13: an unmapped sender could file requests without end): ``MAX_REQUESTS_PER_SENDER``
    requests in the 24 hours before ``meta.at``, ``MAX_PENDING_PER_NAME`` senders waiting for
    one name."""
    with store.write() as db:
        if db.execute("SELECT 1 FROM bindings WHERE platform = ? AND sender_id = ? AND person = ? "
                      "AND confirmed_at IS NULL AND removed_at IS NULL", [platform, sender_id, person]).fetchone():
            return
        since = (datetime.fromisoformat(meta.at) - timedelta(hours=24)).isoformat()
        asked = db.execute("SELECT COUNT(*) FROM bindings WHERE platform = ? AND sender_id = ? AND requested_at > ?",
                           [platform, sender_id, since]).fetchone()[0]
        if asked >= MAX_REQUESTS_PER_SENDER:
            raise BindingRefused("sender", person, MAX_REQUESTS_PER_SENDER)
        waiting = db.execute("SELECT COUNT(DISTINCT sender_id) FROM bindings WHERE platform = ? AND person = ? "
                             "AND confirmed_at IS NULL AND removed_at IS NULL", [platform, person]).fetchone()[0]
        if waiting >= MAX_PENDING_PER_NAME:
            raise BindingRefused("name", person, MAX_PENDING_PER_NAME)
        db.execute("INSERT INTO bindings (platform, sender_id, person, chat_id, requested_at) VALUES (?, ?, ?, ?, ?)",
                   [platform, sender_id, person, meta.chat, meta.at])
        add_event(db, meta.at, "binding.requested", sender_id, platform=platform, chat=meta.chat,
                  msg_id=meta.msg_id, after={"sender_id": sender_id, "person": person})


def pending_bindings(store: Store, platform: str, person: str) -> list[str]:
    """The distinct sender ids waiting to be confirmed as ``person`` on ``platform``."""
    return list(dict.fromkeys(r["sender_id"] for r in store._rows(
        "SELECT sender_id FROM bindings WHERE platform = ? AND person = ? AND confirmed_at IS NULL "
        "AND removed_at IS NULL ORDER BY id",
        (platform, person))))


def confirm_binding(store: Store, platform: str, person: str, sender_id: str, admin: str, meta: Meta) -> None:
    """"确认 严众能" from an admin: ``sender_id``'s request to be ``person`` counts from now on."""
    with store.write() as db:
        db.execute("""UPDATE bindings SET confirmed_by = ?, confirmed_at = ? WHERE platform = ? AND person = ?
                      AND sender_id = ? AND confirmed_at IS NULL AND removed_at IS NULL""",
                   [admin, meta.at, platform, person, sender_id])
        add_event(db, meta.at, "binding.confirmed", admin, platform=platform, chat=meta.chat, msg_id=meta.msg_id,
                  after={"sender_id": sender_id, "person": person})


def bound_person(store: Store, platform: str, sender_id: str) -> str | None:
    """The person a confirmed binding gives ``sender_id`` on ``platform``, or None."""
    rows = store._rows("""SELECT person FROM bindings WHERE platform = ? AND sender_id = ?
                          AND confirmed_at IS NOT NULL AND removed_at IS NULL
                          ORDER BY confirmed_at DESC LIMIT 1""", (platform, sender_id))
    return rows[0]["person"] if rows else None


def bindings(store: Store) -> list[dict]:
    """Every confirmed binding: platform, sender_id, person, confirmed_by, confirmed_at."""
    return store._rows("""SELECT platform, sender_id, person, confirmed_by, confirmed_at FROM bindings
                          WHERE confirmed_at IS NOT NULL AND removed_at IS NULL ORDER BY id""")
