"""Which reminders fall on a day: a pure function of the plan, the tasks and the calendar
(DESIGN §5, STYLE "The policy is a pure function"). No store, no clock, no network.

Defaults (config ``[reminders]``): a task with a due date is reminded 14, 7, 3 and 1 days
before, on the day, then as overdue on the next workday and every 7 days until closed;
a milestone (5.30, 6.18) 14, 7 and 1 day before, also for 全年开展 tasks; an ongoing
(全年开展) task gets only a monthly check-in on the first workday of the month. A reminder
whose day is not a workday moves to the workday before it (an overdue one to the workday
after it, and one due less than half an interval after that is left out); two reminders of one task on one day are one
(the most pressing). Nothing is dated before the plan's issue date, nor after January 31 of the
next year, or the end of the month after its latest due date when that is later (its active
window, bot.model.window_end).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from bot.model import TaskView, window_end
from reminders.calendar import WorkCalendar

# Kinds, most pressing first: one line per task and day shows the first of these.
KINDS = ("overdue", "due_today", "due_soon", "milestone", "checkin")


@dataclass(frozen=True)
class Rules:
    """``lead_days`` before a due date; ``overdue_every_days`` between overdue reminders;
    ``milestone_lead_days`` before a milestone."""

    lead_days: tuple[int, ...] = (14, 7, 3, 1)
    overdue_every_days: int = 7
    milestone_lead_days: tuple[int, ...] = (14, 7, 1)


@dataclass(frozen=True)
class Reminder:
    """One notice about one task on ``day``: ``kind`` (see :data:`KINDS`), ``target`` the due
    or milestone date, ``days`` the real days from ``day`` to ``target`` (negative: overdue),
    ``milestone`` the milestone as written ("5.30") for kind "milestone"."""

    ref: str
    kind: str
    day: date
    target: date | None
    days: int
    milestone: str = ""


def active_until(year: int, tasks: list[TaskView] = ()) -> date:
    """The last day a plan of ``year`` with ``tasks`` pushes reminders: January 31 of the next
    year, or later while its tasks are due later (bot.model.window_end, DESIGN §5)."""
    return window_end(year, max((t.due for t in tasks if t.due), default=None))


def _due_days(task: TaskView, day: date, calendar: WorkCalendar, rules: Rules, until: date) -> list[str]:
    due = task.due
    kinds = []
    for lead in rules.lead_days:
        if calendar.workday_on_or_before(due - timedelta(days=lead)) == day:
            kinds.append("due_soon")
    if calendar.workday_on_or_before(due) == day:
        kinds.append("due_today" if day == due else "due_soon")
    if day <= due:
        return kinds
    # Overdue reminders move forward past a holiday (a 10-07 one goes out on 10-09, not back
    # onto 09-30 where it would merge with the previous week's); the series keeps its weekday,
    # and a slot that comes less than half an interval after a moved one is left out (10-02
    # moved to 10-08: not again on 10-09, next on 10-16).
    overdue, last = calendar.next_workday_after(due), None
    while overdue <= min(day, until):
        sent = calendar.workday_on_or_after(overdue)
        if last is None or (sent - last).days * 2 >= rules.overdue_every_days:
            if sent == day:
                kinds.append("overdue")
                break
            last = sent
        if sent > day:
            break
        overdue += timedelta(days=rules.overdue_every_days)
    return kinds


def reminders_on(day: date, tasks: list[TaskView], calendar: WorkCalendar, rules: Rules, *,
                 issued: date | None, year: int) -> list[Reminder]:
    """The reminders of ``day`` (Asia/Shanghai) for the open ``tasks`` of a plan of ``year``
    issued on ``issued``, one per task, in plan order. [] on a day that is not a workday or
    outside the plan's active window."""
    start, until = issued or date(year, 1, 1), active_until(year, tasks)
    if not start <= day <= until or not calendar.is_workday(day):
        return []
    found = []
    for task in tasks:
        if task.done:
            continue
        candidates: list[Reminder] = []
        if task.due and not task.ongoing:
            candidates += [Reminder(task.ref, kind, day, task.due, (task.due - day).days)
                           for kind in _due_days(task, day, calendar, rules, until)]
        for milestone in task.milestones:
            for lead in rules.milestone_lead_days:
                if calendar.workday_on_or_before(milestone.date - timedelta(days=lead)) == day:
                    candidates.append(Reminder(task.ref, "milestone", day, milestone.date,
                                               (milestone.date - day).days, milestone.text))
        if (task.ongoing or task.due is None) and day == calendar.first_workday(day.year, day.month) \
                and day.year == year:
            candidates.append(Reminder(task.ref, "checkin", day, task.due, (task.due - day).days if task.due else 0))
        if candidates:
            found.append(min(candidates, key=lambda r: (KINDS.index(r.kind), abs(r.days))))
    return found
