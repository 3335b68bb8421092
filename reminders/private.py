"""Private reminders (config ``reminders.private``, DESIGN §5 and §7): besides the group digests,
each person named in a day's reminders gets their own lines in one message through the WeCom
self-built app (``message/send``, PROTOCOLS §1.5), rendered from ``templates/private.j2``.

Who: the owners still to finish each task that has a reminder that day; an owner that is a
role (县（市、区）科协主席) means its configured members (``[roles]``). Only people with a WeCom
userid in ``[people]`` get one; the others (and roles with no members) are skipped, and
counted in :attr:`Recipients.unreachable` for the log, not told to anyone.

A private push is an outbox row like a group digest part: chat ``"私信:<name>"`` (so its
claims are its own: a second tick never sends it twice), platform ``"wecom_app"``, and
``mentions`` = [the person] — the one it is addressed to, whom the sender looks up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.config import Config
from bot.identity import platform_id
from bot.model import TaskView
from bot.render import environment
from bot.store.outbox import OutboxPart
from reminders.digest import TEMPLATES, WEEKDAYS, pending, split, task_lines
from reminders.policy import Reminder

PLATFORM = "wecom_app"
CHAT_PREFIX = "私信:"
# An app text message takes 2048 bytes (PROTOCOLS §1.5); nothing is appended to it.
MAX_BYTES = 2048
_env = environment(TEMPLATES)


def chat_name(person: str) -> str:
    """The outbox chat of ``person``'s private pushes: "私信:林永禄"."""
    return f"{CHAT_PREFIX}{person}"


@dataclass(frozen=True)
class Recipients:
    """``reminders``: person → their reminders of the day (in the day's order), for people with a
    WeCom userid; ``unreachable``: the names (people, or roles without members) that have none."""

    reminders: dict[str, list[Reminder]] = field(default_factory=dict)
    unreachable: list[str] = field(default_factory=list)


def recipients(found: list[Reminder], tasks: dict[str, TaskView], config: Config, people: set[str]) -> Recipients:
    """Who gets which of the day's reminders ``found``; ``people`` are the plan's person names
    (an owner that is not one is a role, and means its configured members)."""
    result = Recipients()
    for reminder in found:
        for owner in pending(tasks[reminder.ref]):
            for name in [owner] if owner in people else config.roles.get(owner) or [owner]:
                if not platform_id(config, "wecom", name):
                    if name not in result.unreachable:
                        result.unreachable.append(name)
                    continue
                mine = result.reminders.setdefault(name, [])
                if reminder not in mine:
                    mine.append(reminder)
    return result


def parts(day: date, person: str, reminders: list[Reminder], tasks: dict[str, TaskView], *,
          max_bytes: int = MAX_BYTES) -> list[OutboxPart]:
    """``person``'s private message for ``day`` (cut into numbered parts over ``max_bytes``
    UTF-8 bytes): its text, the refs each part names (its lines' first words), ``[person]``."""
    text = _env.get_template("private.j2").render(
        person=person, day=day, weekday=WEEKDAYS[day.weekday()],
        due_today=task_lines(reminders, tasks, "due_today"), due_soon=task_lines(reminders, tasks, "due_soon"),
        milestones=task_lines(reminders, tasks, "milestone"), overdue=task_lines(reminders, tasks, "overdue"),
        checkins=task_lines(reminders, tasks, "checkin"),
    ).strip()
    texts = [text] if len(text.encode()) <= max_bytes else split(text, max_bytes)
    result = []
    for chunk in texts:
        refs = [word for line in chunk.split("\n") if (word := line.partition(" ")[0]) in tasks]
        result.append(OutboxPart(chunk, list(dict.fromkeys(refs)), [person]))
    return result
