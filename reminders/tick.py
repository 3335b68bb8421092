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

from bot import plan_choice
from bot.model import PlanInfo
from bot.runtime import Bot
from bot.store import outbox
from bot.store.outbox import Key, OutboxPart
from reminders import digest, private
from reminders.calendar import WorkCalendar
from reminders.digest import Chosen, PlanDay
from reminders.policy import Rules, reminders_on

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
    """What one day's tick works from, read once: each active plan with reminders that day
    (oldest first) and the names of the plans' people (for @-mentions)."""

    plans: list[PlanDay]
    people: set[str]

    def for_chat(self, chat: digest.ChatTarget, all_plans: list[PlanInfo]) -> list[PlanDay]:
        """The plans ``chat`` follows (config ``[[chats]] plans``; empty, or naming no imported plan:
        all, as its questions) that have reminders."""
        followed = {plan.id for plan in plan_choice.chosen(all_plans, chat.plans) or all_plans}
        return [plan_day for plan_day in self.plans if plan_day.plan.id in followed]


def day_reminders(bot: Bot, day: date) -> Day:
    """The reminders of ``day`` of every plan active that day (DESIGN §5: next year's plan imported
    in December does not end this year's reminders); none for an archived plan."""
    found = []
    for plan in plan_choice.active(bot.store.plans(), day):
        tasks = bot.store.tasks(plan.id)
        reminders = reminders_on(day, tasks, calendar_for(bot), rules_for(bot), issued=plan.issued, year=plan.year)
        if reminders:
            found.append(PlanDay(plan, {t.ref: t for t in tasks}, reminders))
    return Day(found, set(bot.store.directory().people) if found else set())


def _parts(bot: Bot, day: date, platform: str, today: Day, chosen: Chosen, notices: list[dict]) -> list[OutboxPart]:
    return digest.parts(day, chosen, bot.config, today.people, notices=notices, max_bytes=MAX_BYTES[platform],
                        markdown=MARKDOWN[platform])


def _notices(bot: Bot, at: str) -> list[dict]:
    """The notices a digest carries to the admins: the calendar's missing years (the other
    notices go by another channel, reminders/notices.py)."""
    for year in sorted(calendar_for(bot).missing_years):
        outbox.add_notice(bot.store, f"calendar:{year}", "calendar", str(year), at)
    return outbox.untold_notices(bot.store, kinds=("calendar",))


def plan_day(bot: Bot, day: date) -> list[Push]:
    """Every push the tick of ``day`` would send, in order; writes nothing."""
    today = day_reminders(bot, day)
    if not today.plans:
        return []
    pushes = []
    plans = bot.store.plans()
    for chat in digest.chats(bot.config):
        chosen = [(plan_day, plan_day.found) for plan_day in today.for_chat(chat, plans)]
        if not chosen:
            continue
        for part in _parts(bot, day, chat.platform, today, chosen, []):
            pushes.append(Push(day.isoformat(), chat.name, chat.platform, part.text, part.refs, part.mentions))
    found = _private(bot, today)
    for person, chosen in found.reminders.items():
        for part in private.parts(day, person, chosen):
            pushes.append(Push(day.isoformat(), private.chat_name(person), found.channels[person], part.text,
                               part.refs, part.mentions))
    return pushes


def _private(bot: Bot, today: Day) -> private.Recipients:
    """Who gets private lines today (none unless ``reminders.private``)."""
    if not bot.config.reminders.private:
        return private.Recipients()
    return private.recipients_of(today.plans, bot.config, today.people)


def _fresh(chosen: Chosen, fresh: set[Key]) -> Chosen:
    """``chosen`` cut to the reminders newly claimed (``fresh``); plans left with none dropped."""
    kept = [(plan_day, [r for r in reminders if (plan_day.plan.id, r.ref, r.kind) in fresh])
            for plan_day, reminders in chosen]
    return [(plan_day, reminders) for plan_day, reminders in kept if reminders]


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
    if not today.plans:
        return []
    notices = _notices(bot, at)
    plans = bot.store.plans()
    ids: list[int] = []
    for chat in digest.chats(bot.config):
        chosen = [(plan_day, plan_day.found) for plan_day in today.for_chat(chat, plans)]
        if not chosen:
            continue

        # The admins' notices ride with the first digest queued; told once it is delivered.
        def render(fresh: set[Key], platform: str = chat.platform, chosen: Chosen = chosen,
                   carried: list[dict] = [] if ids else notices) -> list[OutboxPart]:
            return _parts(bot, day, platform, today, _fresh(chosen, fresh), carried)

        ids += outbox.claim_and_enqueue(bot.store, chat=chat.name, platform=chat.platform, day=day.isoformat(),
                                        keys=[(pd.plan.id, r.ref, r.kind) for pd, found in chosen for r in found],
                                        render=render, at=at)
    return ids + _queue_private(bot, day, today, at)


def _queue_private(bot: Bot, day: date, today: Day, at: str) -> list[int]:
    """Claim and queue each person's private message of ``day``; returns the new outbox ids."""
    found = _private(bot, today)
    if found.unreachable:
        log.info("private reminders %s: no %s in [people] for %d: %s", day, private.missing_ids(bot.config),
                 len(found.unreachable), ", ".join(found.unreachable))
    ids: list[int] = []
    for person, chosen in found.reminders.items():
        def render(fresh: set[Key], person: str = person, chosen: Chosen = chosen) -> list[OutboxPart]:
            return private.parts(day, person, _fresh(chosen, fresh))

        ids += outbox.claim_and_enqueue(bot.store, chat=private.chat_name(person), platform=found.channels[person],
                                        day=day.isoformat(),
                                        keys=[(pd.plan.id, r.ref, r.kind) for pd, mine in chosen for r in mine],
                                        render=render, at=at)
    return ids
