"""What an import would do to the store, told before it is done (the previews: ``duban import
--preview``, /admin). Reads only; the import itself is bot.store.plans.apply_plan, and both find
the plan with the same :func:`bot.store.plans.same_plan`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.plan.model import PlanDraft
from bot.store.core import Store
from bot.store.plans import same_plan

# The history a task can hold: events of these kinds are its completions.
_COMPLETIONS = ("share.completed", "task.completed")


@dataclass(frozen=True)
class Leaving:
    """A stored task the new file lacks and that has history: ``ref`` and ``content`` as stored;
    ``done`` whether it is closed; ``completions`` (完成 events), ``notes`` (progress notes not
    withdrawn) and ``reminders`` (reminders claimed for it, not cancelled) it holds."""

    ref: str
    content: str
    done: bool
    completions: int
    notes: int
    reminders: int


@dataclass
class Outlook:
    """``plan``: (id, title) of the stored plan the draft updates, None for a new plan.
    ``leaving``: its tasks in the store that the file lacks and that hold history, in plan
    order; ``kept``: True when they stay in the plan anyway (the file has rows it could not
    read, ``PlanDraft.partial``), False when the import takes them out of it (``in_plan`` 0:
    no more reminders or answers; their history stays in the store)."""

    plan: tuple[int, str] | None = None
    leaving: list[Leaving] = field(default_factory=list)
    kept: bool = False


def outlook(store: Store, draft: PlanDraft) -> Outlook:
    """What importing ``draft`` into ``store`` would do to the plan it updates (DESIGN §3
    "Re-importing"): which stored plan, and which of its tasks with history would leave it."""
    with store._lock:
        db = store.db
        found = same_plan(db, draft)
        if found is None:
            return Outlook()
        refs = {task.ref for task in draft.tasks}
        leaving = []
        for row in db.query(
                """SELECT t.id, t.ref, t.content, t.status,
                          (SELECT COUNT(*) FROM events e WHERE e.task_id = t.id AND e.kind IN (?, ?)) AS completions,
                          (SELECT COUNT(*) FROM notes n WHERE n.task_id = t.id AND n.withdrawn_at IS NULL) AS notes,
                          (SELECT COUNT(*) FROM reminder_claims c WHERE c.plan_id = t.plan_id AND c.task_ref = t.ref
                           AND c.cancelled = 0) AS reminders
                   FROM tasks t WHERE t.plan_id = ? AND t.in_plan = 1 ORDER BY t.number""",
                [*_COMPLETIONS, found[0]]):
            if row["ref"] in refs or not (row["completions"] or row["notes"] or row["reminders"]):
                continue
            leaving.append(Leaving(row["ref"], row["content"], row["status"] == "done", row["completions"],
                                   row["notes"], row["reminders"]))
    return Outlook(tuple(found), leaving, kept=draft.partial)
