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
from reminders.digest import REF_ITEM, mentions
from reminders.private import is_private


def strike(text: str, ref: str) -> str:
    """``text`` without the lines and list items that name ``ref``."""
    kept = []
    item = re.compile(rf"(?<![\d.]){re.escape(ref)}(?![\d.])")
    for line in text.split("\n"):
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


def withdraw(bot: Bot, ref: str) -> int:
    """Take ``ref`` out of every pending push; returns how many rows changed."""
    plan = bot.store.active_plan()
    tasks = {t.ref: t for t in bot.store.tasks(plan.id)} if plan else {}
    people = set(bot.store.directory().people)
    changed = 0
    for row in outbox.pending_naming(bot.store, ref):
        refs = [r for r in row.refs if r != ref]
        # A private push keeps its one addressee; a digest @s the owners of the lines left.
        named = row.mentions if is_private(row.platform) else mentions([tasks[r] for r in refs if r in tasks],
                                                                       bot.config, people)
        outbox.rewrite(bot.store, row.id, strike(row.text, ref), refs, named)
        changed += 1
    return changed
