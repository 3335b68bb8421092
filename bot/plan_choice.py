"""Which plan: the one place that decides which plans push and which one a question goes to
(DESIGN §5 "Several plans can be active at once", issue 13). Pure functions of the plans and a
day (Asia/Shanghai); the runtime, the handlers, the reminders and the CLI call them.

- A plan is active from its issue date (else January 1 of its year) to January 31 of the next
  year: it pushes reminders, and next year's plan imported in December does not end them.
- A question that names no plan goes to the current year's plan (the first imported of that
  year: the annual plan, with a 专项督办 list imported beside it later), else the newest
  active plan, else the newest plan (the bundled 2020 plan answers on a fresh clone).
- A chat may follow some plans (config ``[[chats]] plans``): its answers and digests use
  those. A plan is named there, and by ``duban tasks --plan``, by its year, its title, or
  words of its title ("专项督办").
"""

from __future__ import annotations

from datetime import date

from bot.model import PlanInfo
from bot.text import canon


def active(plans: list[PlanInfo], day: date) -> list[PlanInfo]:
    """The plans active on ``day``, in the store's order (by year, then by import)."""
    return [plan for plan in plans if plan.active_on(day)]


def default_plan(plans: list[PlanInfo], today: date) -> PlanInfo | None:
    """The plan a question naming none goes to: the current year's, else the newest active,
    else the newest; None when there is no plan. ``plans`` in the store's order."""
    current = [plan for plan in plans if plan.year == today.year]
    if current:
        return current[0]
    live = active(plans, today)
    if live:
        return live[-1]
    return plans[-1] if plans else None


def matches(plan: PlanInfo, name: str) -> bool:
    """``name`` (config, a command line) names ``plan``: its year ("2026"), its title, or two or
    more characters of its title ("专项督办"), compared in canonical form."""
    wanted = canon(name)
    if not wanted:
        return False
    if wanted == str(plan.year):
        return True
    title = canon(plan.title)
    return wanted == title or (len(wanted) >= 2 and not wanted.isdigit() and wanted in title)


def chosen(plans: list[PlanInfo], names: list[str] | tuple[str, ...]) -> list[PlanInfo]:
    """The plans any of ``names`` names (in the store's order); every plan when ``names`` is empty."""
    if not names:
        return list(plans)
    return [plan for plan in plans if any(matches(plan, name) for name in names)]


def named(plans: list[PlanInfo], name: str) -> list[PlanInfo]:
    """The plans ``name`` means (``duban tasks --plan``): the one whose title it is, else those it
    names by year or by words of the title."""
    exact = [plan for plan in plans if canon(plan.title) == canon(name)]
    return exact or chosen(plans, [name])


def chat_plans(chats, platform: str, chat_id: str) -> tuple[str, ...]:
    """The ``plans`` config's ``chats`` ([[chats]]) give the chat a message came from (the one with
    the same platform and chat_id; the local chat is the first local one without a chat_id);
    () when it follows every plan."""
    for chat in chats:
        if chat.platform == platform and (chat.chat_id == chat_id or (platform == "local" and not chat.chat_id)):
            return tuple(chat.plans)
    return ()


def in_scope(plans: list[PlanInfo], chats, platform: str, chat_id: str) -> list[PlanInfo]:
    """The plans a message from that chat is answered from by default (its chat's ``plans``,
    else all); all plans when the chat's names match none (a plan not yet imported)."""
    return chosen(plans, chat_plans(chats, platform, chat_id)) or list(plans)
