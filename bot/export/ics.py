"""The deadlines as a calendar (RFC 5545, the ``icalendar`` package): each task's due date
and each milestone named in its content (DESIGN §3) is an all-day event. Ongoing tasks
(全年开展) have no due event, only their milestones.

UIDs are derived from the plan (year and title), the task's ref and the kind of date, so
importing a newer export updates the events already in a calendar instead of adding twins.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta, timezone
from typing import TYPE_CHECKING, Any

from icalendar import Calendar, Event

from bot import plan_choice
from bot.export import labels
from bot.model import PlanInfo, TaskView

if TYPE_CHECKING:
    from bot.runtime import Bot

PRODID = "-//duban//duban export//ZH"
UID_DOMAIN = "duban.local"


def calendar(bot: Bot) -> bytes:
    """The .ics bytes of the due dates and milestones of every plan active on ``bot.clock``'s day
    (several may be: DESIGN §5), else of the plan questions go to, stamped with the clock's time.
    ``X-WR-CALNAME`` names the plans, so a calendar app shows them as their own calendar; with
    several, each event's description starts with its plan's title."""
    words = labels()
    today = bot.clock.today()
    plans = plan_choice.active(bot.store.plans(), today) or [bot.store.active_plan(today)]
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", str(words.calendar_name(plans[0], plans[1:])))
    cal.add("x-wr-timezone", str(bot.clock.tz))
    stamp = bot.clock.now().astimezone(timezone.utc)
    for plan, task in ((each, task) for each in plans for task in bot.store.tasks(each.id)):
        for uid, day, summary in dates(plan, task, words):
            event = Event()
            event.add("uid", uid)
            event.add("dtstamp", stamp)
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))  # all-day: DTEND is the next day, exclusive
            event.add("summary", summary)
            event.add("description", str(words.description(task, plan.labels, plan if len(plans) > 1 else None)))
            event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
            cal.add_component(event)
    return cal.to_ical()


def dates(plan: PlanInfo, task: TaskView, words: Any) -> list[tuple[str, date, str]]:
    """(uid, day, summary) of each event of ``task``: its due date unless it is ongoing or has
    none, then each milestone. A due event's UID leaves out the date, so a plan edit that moves
    the deadline moves the event; a milestone is known by its date."""
    events = []
    if task.due and not task.ongoing:
        events.append((uid(plan, task.ref, "due"), task.due, str(words.due_summary(task))))
    for milestone in task.milestones:
        events.append((uid(plan, task.ref, f"milestone-{milestone.date:%Y%m%d}"), milestone.date,
                       str(words.milestone_summary(task, milestone))))
    return events


def uid(plan: PlanInfo, ref: str, kind: str) -> str:
    """A UID stable across exports and stores: the same plan (year, title), ref and kind give
    the same UID, e.g. ``2020-5f1c0e9a7b3d-3.3-due@duban.local``."""
    digest = hashlib.sha256(f"{plan.year}\n{plan.title}".encode()).hexdigest()[:12]
    return f"{plan.year}-{digest}-{ref}-{kind}@{UID_DOMAIN}"
