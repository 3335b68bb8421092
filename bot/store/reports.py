"""Whole-plan reads for the reports (the exported 完成情况表, the status page): every task's
history and progress notes in one query each, instead of one query per task.
"""

from __future__ import annotations

from collections import defaultdict

from bot.model import EventView
from bot.store.core import Store, event_view


def histories(store: Store, plan_id: int) -> dict[str, list[EventView]]:
    """The audit events of every task of the plan, by ref ("3.3"), each list oldest first
    (the same rows :meth:`Store.history` gives for one task)."""
    by_ref: dict[str, list[EventView]] = defaultdict(list)
    for r in store._rows("""SELECT e.*, t.ref FROM events e JOIN tasks t ON t.id = e.task_id
                            WHERE t.plan_id = ? ORDER BY e.id""", (plan_id,)):
        by_ref[r["ref"]].append(event_view(r))
    return dict(by_ref)


def plan_notes(store: Store, plan_id: int) -> dict[str, list[dict]]:
    """The progress notes of every task of the plan, by ref, each list oldest first:
    {"person", "text", "at" (aware ISO time)} as ``completion.notes`` gives them."""
    by_ref: dict[str, list[dict]] = defaultdict(list)
    for r in store._rows("""SELECT t.ref, n.person, n.text, n.at FROM notes n JOIN tasks t ON t.id = n.task_id
                            WHERE t.plan_id = ? AND n.withdrawn_at IS NULL ORDER BY n.id""", (plan_id,)):
        by_ref[r.pop("ref")].append(r)
    return dict(by_ref)
