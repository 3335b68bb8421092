"""Private reminders (config ``reminders.private``, DESIGN §5 and §7): besides the group digests,
each person named in a day's reminders gets their own lines in one message, rendered from
``templates/private.j2``, through a private channel:

- ``"wecom_app"``: the WeCom self-built app (``message/send``, PROTOCOLS §1.5), for a person
  with a WeCom userid when the app is configured (wecom.corp_id, agent_id, secret);
- ``"dingtalk_otm"``: else the DingTalk app's robot, a 1:1 message (``oToMessages/batchSend``,
  bot/platforms/dingtalk_push.py), for a person with a DingTalk staffId when the app is
  configured (dingtalk.app_key, app_secret).

Who: the owners still to finish each task that has a reminder that day; an owner that is a
role (县（市、区）科协主席) means its configured members (``[roles]``). People with no channel
(and roles with no members) are skipped, and counted in :attr:`Recipients.unreachable` for
the log, not told to anyone.

A private push is an outbox row like a group digest part: chat ``"私信:<name>"`` (so its
claims are its own: a second tick never sends it twice), platform = its channel, and
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
from reminders.digest import TEMPLATES, WEEKDAYS, Chosen, PlanDay, blocks, example_ref, pending, plan_refs, split
from reminders.policy import Reminder

WECOM_APP = "wecom_app"
DINGTALK_OTM = "dingtalk_otm"
PRIVATE_PLATFORMS = frozenset({WECOM_APP, DINGTALK_OTM})
# The admins' notice kind (templates/digest.j2) for a private push undelivered for 24 hours.
FAILED_NOTICE = {WECOM_APP: "failed_private", DINGTALK_OTM: "failed_private_dingtalk"}
CHAT_PREFIX = "私信:"
# A WeCom app text message takes 2048 bytes (PROTOCOLS §1.5); nothing is appended to it. DingTalk
# 1:1 messages are cut the same way, so a person's parts do not depend on their channel.
MAX_BYTES = 2048
_env = environment(TEMPLATES)


def chat_name(person: str) -> str:
    """The outbox chat of ``person``'s private pushes: "私信:林永禄"."""
    return f"{CHAT_PREFIX}{person}"


def is_private(platform: str) -> bool:
    """True for the outbox platform of a private push ("wecom_app", "dingtalk_otm")."""
    return platform in PRIVATE_PLATFORMS


def wecom_app_configured(config: Config) -> bool:
    """The WeCom self-built app can send: wecom.corp_id, agent_id and secret are all set."""
    return bool(config.wecom.corp_id and config.wecom.agent_id and config.wecom.secret)


def dingtalk_app_configured(config: Config) -> bool:
    """The DingTalk app's robot can send: dingtalk.app_key and app_secret are both set."""
    return bool(config.dingtalk.app_key and config.dingtalk.app_secret)


def channel(config: Config, person: str) -> str | None:
    """The private channel of ``person``: "wecom_app" when they have a WeCom userid and the WeCom
    app is configured, else "dingtalk_otm" when they have a DingTalk staffId and the DingTalk
    app is configured, else None."""
    if wecom_app_configured(config) and platform_id(config, "wecom", person):
        return WECOM_APP
    if dingtalk_app_configured(config) and platform_id(config, "dingtalk", person):
        return DINGTALK_OTM
    return None


def missing_ids(config: Config) -> str:
    """What an unreachable person lacks in ``[people]``, for the log: "WeCom userid",
    "DingTalk staffId" or both, by which apps are configured."""
    wanted = [what for what, configured in (("WeCom userid", wecom_app_configured(config)),
                                            ("DingTalk staffId", dingtalk_app_configured(config))) if configured]
    return " or ".join(wanted) or "WeCom userid or DingTalk staffId"


@dataclass(frozen=True)
class Recipients:
    """``reminders``: person → their reminders of the day (in the day's order), for people with a
    channel; ``channels``: person → their channel ("wecom_app", "dingtalk_otm");
    ``unreachable``: the names (people, or roles without members) that have none."""

    reminders: dict[str, list[Reminder]] = field(default_factory=dict)
    channels: dict[str, str] = field(default_factory=dict)
    unreachable: list[str] = field(default_factory=list)


def recipients(found: list[Reminder], tasks: dict[str, TaskView], config: Config, people: set[str]) -> Recipients:
    """Who gets which of the day's reminders ``found``; ``people`` are the plan's person names
    (an owner that is not one is a role, and means its configured members)."""
    result = Recipients()
    for reminder in found:
        for owner in pending(tasks[reminder.ref]):
            for name in [owner] if owner in people else config.members(owner) or [owner]:
                via = channel(config, name)
                if via is None:
                    if name not in result.unreachable:
                        result.unreachable.append(name)
                    continue
                result.channels[name] = via
                mine = result.reminders.setdefault(name, [])
                if reminder not in mine:
                    mine.append(reminder)
    return result


def recipients_of(plan_days: list[PlanDay], config: Config, people: set[str]) -> Recipients:
    """:func:`recipients` over every active plan of the day: each person's reminders by plan
    (``Recipients.reminders`` holds, per person, [(plan day, their reminders of it)])."""
    result = Recipients()
    for plan_day in plan_days:
        found = recipients(plan_day.found, plan_day.tasks, config, people)
        for person, mine in found.reminders.items():
            result.reminders.setdefault(person, []).append((plan_day, mine))
        result.channels.update(found.channels)
        result.unreachable.extend(name for name in found.unreachable if name not in result.unreachable)
    return result


def parts(day: date, person: str, chosen: Chosen, *, max_bytes: int = MAX_BYTES) -> list[OutboxPart]:
    """``person``'s private message for ``day`` (cut into numbered parts over ``max_bytes``
    UTF-8 bytes): its text (each plan's lines under its title when there are several), the
    refs each part names with their plans, ``[person]``."""
    data = blocks(chosen, grouped_checkins=False)
    text = _env.get_template("private.j2").render(
        person=person, day=day, weekday=WEEKDAYS[day.weekday()], blocks=data, example=example_ref(data),
    ).strip()
    texts = [text] if len(text.encode()) <= max_bytes else split(text, max_bytes)
    return [OutboxPart(chunk, list(dict.fromkeys(ref for _, ref in named)), [person], plan_refs=named)
            for chunk, named in zip(texts, plan_refs(texts, chosen), strict=True)]
