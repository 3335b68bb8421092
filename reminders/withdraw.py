"""A task closed from the chat leaves the reminders already queued but not yet sent
(issue "Closing tasks": not even one claimed for today). Its line is taken out of each
pending digest part: a line starting with its ref, or its ref in a check-in list
("严众能：2.8、3.1" → "严众能：2.8"); a part left naming no task is withdrawn. Private
pushes (reminders/private.py) are pending rows like the others, so they lose the line too.
"""

from __future__ import annotations

import re

from bot.runtime import Bot
from bot.store import outbox
from reminders.digest import REF_ITEM, heading, mentions
from reminders.private import is_private


def strike(text: str, ref: str, block: str | None = None, headings: frozenset[str] = frozenset()) -> str:
    """``text`` without the lines and list items that name ``ref``; with ``block`` (a plan's
    heading line, reminders/digest.py) only inside that plan's block, which ends at the next of
    ``headings``."""
    kept = []
    item = re.compile(rf"(?<![\d.]){re.escape(ref)}(?![\d.])")
    inside = block is None
    for line in text.split("\n"):
        if line == block:
            inside = True
        elif line in headings:
            inside = False
        if not inside:
            kept.append(line)
            continue
        if line.startswith(f"{ref} "):
            continue
        head, sep, items = line.partition("：")
        if sep and item.search(items) and all(REF_ITEM.fullmatch(i) for i in items.split("、")):
            left = [i for i in items.split("、") if i != ref]
            if not left:
                continue
            line = head + sep + "、".join(left)
        kept.append(line)
    return "\n".join(kept)


def withdraw(bot: Bot, plan_id: int | None, ref: str) -> int:
    """Take task ``ref`` of plan ``plan_id`` out of every pending push; returns how many rows
    changed. A row naming several plans loses the line only in that plan's block."""
    plans = {plan.id: plan for plan in bot.store.plans()}
    if plan_id is None or plan_id not in plans:
        return 0
    tasks = {(p, t.ref): t for p in plans for t in bot.store.tasks(p)}
    people = set(bot.store.directory().people)
    changed = 0
    for row in outbox.pending_naming(bot.store, ref):
        named = row.plan_refs or [(plan_id, r) for r in row.refs]  # a row queued before plans were recorded
        if (plan_id, ref) not in named:
            continue
        row_plans = {pid for pid, _ in named}
        block = heading(plans[plan_id]) if len(row_plans) > 1 else None
        headings = frozenset(heading(plans[pid]) for pid in row_plans if pid in plans)
        left = [(pid, r) for pid, r in named if (pid, r) != (plan_id, ref)]
        refs = list(dict.fromkeys(r for _, r in left))
        # A private push keeps its one addressee; a digest @s the owners of the lines left.
        mentioned = row.mentions if is_private(row.platform) else mentions(
            [tasks[key] for key in left if key in tasks], bot.config, people)
        outbox.rewrite(bot.store, row.id, strike(row.text, ref, block, headings), refs, mentioned, left)
        changed += 1
    return changed
