"""A task's state on a given day, and the orders lists are shown in (DESIGN §4).

The state is a code the templates word: ``done``, ``unfinished`` (archived plan),
``overdue`` (with days), ``due_today``, ``due_soon`` (days left, within 14), ``open``;
``shares`` counts owners' parts done.
"""

from __future__ import annotations

from datetime import date

from bot.model import TaskView

DUE_SOON_DAYS = 14


def state(task: TaskView, today: date, archived: bool = False) -> tuple[str, int]:
    """(code, days) of ``task`` on ``today`` (Asia/Shanghai day). In an archived plan an open
    task is ``unfinished``: counting days overdue years later helps nobody."""
    if task.done:
        return "done", 0
    if archived:
        return "unfinished", 0
    if task.due is None:
        return "open", 0
    days = (task.due - today).days
    if days < 0:
        return "overdue", -days
    if task.ongoing:
        return "open", 0
    if days == 0:
        return "due_today", 0
    if days <= DUE_SOON_DAYS:
        return "due_soon", days
    return "open", 0


def line(task: TaskView, today: date, archived: bool = False) -> dict:
    """The data of one list line: ref, content, deadline, state and shares done/total."""
    code, days = state(task, today, archived)
    return {
        "ref": task.ref, "content": task.content.rstrip("。；; "), "deadline_text": task.deadline_text,
        "due": task.due, "ongoing": task.ongoing, "state": code, "days": days,
        "shares_done": task.shares_done, "shares_total": len(task.shares),
    }


def _plan_order(task: TaskView) -> int:
    return task.position


def open_first(tasks: list[TaskView]) -> list[TaskView]:
    """Open tasks first, each group in plan order."""
    return sorted(tasks, key=lambda t: (t.done, _plan_order(t)))


def by_due(tasks: list[TaskView]) -> list[TaskView]:
    """Open tasks first, each group by due date, then plan order."""
    return sorted(tasks, key=lambda t: (t.done, t.due or date.max, _plan_order(t)))
