"""The daily tick: the policy's reminders for a day → one digest per chat → claimed and
queued in the outbox (DESIGN §2 "One reminder, end to end").

``plan_day`` is what a tick would send (``duban remind --dry-run``, ``--simulate``), with
no write; ``run_tick`` claims and queues it, so a second tick that day queues nothing.
With ``reminders.private`` each person named that day also gets their own lines through the
WeCom app or the DingTalk app's robot (reminders/private.py: their channel is the outbox
row's platform), claimed under their own chat "私信:<name>".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from bot.model import PlanInfo, TaskView
from bot.runtime import Bot
from bot.store import outbox
from bot.store.outbox import Key, OutboxPart
from reminders import digest, private
from reminders.calendar import WorkCalendar
from reminders.policy import Reminder, Rules, reminders_on

log = logging.getLogger("duban.reminders")

# Bytes a pushed message may have before it is cut into parts; room is left for the @s a
# platform appends (WeCom markdown takes 4096 bytes: PROTOCOLS §2.1).
MAX_BYTES = {"local": None, "wecom": 3600, "dingtalk": 3600}  # private pushes: private.MAX_BYTES
MARKDOWN = {"local": False, "wecom": True, "dingtalk": True}


@dataclass(frozen=True)
class Push:
    """One message of a tick: the ``date`` (ISO day), ``chat`` name, ``text``, ``refs`` and ``mentions``."""

    date: str
    chat: str
    platform: str
    text: str
    refs: list[str]
    mentions: list[str]

    def to_json(self) -> dict:
        return {"date": self.date, "chat": self.chat, "text": self.text, "refs": self.refs,
                "mentions": self.mentions}


def calendar_for(bot: Bot) -> WorkCalendar:
    """The bot's work calendar (one per bot, so a missing year is warned about once)."""
    if not hasattr(bot, "_work_calendar"):
        bot._work_calendar = WorkCalendar(bot.config.reminders.holidays, bot.config.reminders.workdays)
    return bot._work_calendar


def rules_for(bot: Bot) -> Rules:
    settings = bot.config.reminders
    return Rules(tuple(settings.lead_days), settings.overdue_every_days, tuple(settings.milestone_lead_days))


@dataclass(frozen=True)
class Day:
    """What one day's tick works from, read once: the plan, its tasks by ref, the day's reminders
    and the names of the plan's people (for @-mentions)."""

    plan: PlanInfo | None
    tasks: dict[str, TaskView]
    found: list[Reminder]
    people: set[str]


def day_reminders(bot: Bot, day: date) -> Day:
    """The reminders of ``day``; none for an archived plan."""
    plan = bot.store.active_plan()
    if plan is None or plan.archived:
        return Day(plan, {}, [], set())
    tasks = bot.store.tasks(plan.id)
    found = reminders_on(day, tasks, calendar_for(bot), rules_for(bot), issued=plan.issued, year=plan.year)
    return Day(plan, {t.ref: t for t in tasks}, found, set(bot.store.directory().people) if found else set())


def _parts(bot: Bot, day: date, platform: str, today: Day, chosen: list[Reminder], notices: list[dict]
           ) -> list[OutboxPart]:
    return digest.parts(day, chosen, today.tasks, bot.config, today.people, plan_title=today.plan.title,
                        notices=notices, max_bytes=MAX_BYTES[platform], markdown=MARKDOWN[platform])


def _notices(bot: Bot, at: str) -> list[dict]:
    for year in sorted(calendar_for(bot).missing_years):
        outbox.add_notice(bot.store, f"calendar:{year}", "calendar", str(year), at)
    return outbox.untold_notices(bot.store)


def plan_day(bot: Bot, day: date) -> list[Push]:
    """Every push the tick of ``day`` would send, in order; writes nothing."""
    today = day_reminders(bot, day)
    if not today.found:
        return []
    pushes = []
    for chat in digest.chats(bot.config):
        for part in _parts(bot, day, chat.platform, today, today.found, []):
            pushes.append(Push(day.isoformat(), chat.name, chat.platform, part.text, part.refs, part.mentions))
    found = _private(bot, today)
    for person, chosen in found.reminders.items():
        for part in private.parts(day, person, chosen, today.tasks):
            pushes.append(Push(day.isoformat(), private.chat_name(person), found.channels[person], part.text,
                               part.refs, part.mentions))
    return pushes


def _private(bot: Bot, today: Day) -> private.Recipients:
    """Who gets private lines today (none unless ``reminders.private``)."""
    if not bot.config.reminders.private:
        return private.Recipients()
    return private.recipients(today.found, today.tasks, bot.config, today.people)


def run_tick(bot: Bot, day: date) -> list[int]:
    """Claim and queue ``day``'s digests; returns the new outbox ids ([] when already done).

    One transaction (issue 13): the tick row, every claim and every outbox row land together
    or not at all, so a kill at any moment leaves either the whole day queued or nothing (and
    then the restart's catch-up tick queues it)."""
    with bot.store.unit():
        return _run_tick(bot, day)


def _run_tick(bot: Bot, day: date) -> list[int]:
    at = bot.clock.now().isoformat()
    outbox.mark_tick(bot.store, day.isoformat(), at)
    today = day_reminders(bot, day)
    if not today.found:
        return []
    notices = _notices(bot, at)
    keys: list[Key] = [(r.ref, r.kind) for r in today.found]
    ids: list[int] = []
    for chat in digest.chats(bot.config):
        def render(fresh: set[Key], platform: str = chat.platform) -> list[OutboxPart]:
            chosen = [r for r in today.found if (r.ref, r.kind) in fresh]
            return _parts(bot, day, platform, today, chosen, notices)

        ids += outbox.claim_and_enqueue(bot.store, plan_id=today.plan.id, chat=chat.name, platform=chat.platform,
                                        day=day.isoformat(), keys=keys, render=render, at=at)
    if ids:  # the admins' notices went out with the group digests
        outbox.mark_told(bot.store, [n["id"] for n in notices], day.isoformat())
    return ids + _queue_private(bot, day, today, at)


def _queue_private(bot: Bot, day: date, today: Day, at: str) -> list[int]:
    """Claim and queue each person's private message of ``day``; returns the new outbox ids."""
    found = _private(bot, today)
    if found.unreachable:
        log.info("private reminders %s: no %s in [people] for %d: %s", day, private.missing_ids(bot.config),
                 len(found.unreachable), ", ".join(found.unreachable))
    ids: list[int] = []
    for person, chosen in found.reminders.items():
        def render(fresh: set[Key], person: str = person, chosen: list[Reminder] = chosen) -> list[OutboxPart]:
            return private.parts(day, person, [r for r in chosen if (r.ref, r.kind) in fresh], today.tasks)

        ids += outbox.claim_and_enqueue(bot.store, plan_id=today.plan.id, chat=private.chat_name(person),
                                        platform=found.channels[person], day=day.isoformat(),
                                        keys=[(r.ref, r.kind) for r in chosen], render=render, at=at)
    return ids
