"""Progress notes from the chat: 进展 3.1 已完成龙岩站巡展 stores one; 撤销进展 3.1 takes the
sender's latest one back (DESIGN §4 "What writes"; issue 12 item 8).

The ref is read as the plan numbers its tasks (3.1, 68, 5.1, 三点一). A note that only asks
("<ref>进展到哪了", "进展 <ref> 如何？") is a question: the status intent answers it and nothing
is stored.
"""

from __future__ import annotations

import re

from bot.messages import Reply
from bot.store import completion
from handlers import Context, intent
from handlers.complete import meta, owns
from handlers.understanding import Query

_REF_TEXT = r"(?:任务)?\s*[0-9一二三四五六七八九十百]+(?:\s*[.．。·点]\s*[0-9一二三四五六七八九十百]+)*"
# "进展 3.1 已完成龙岩站巡展" or "3.1 进展：已完成龙岩站巡展"
_NOTE = re.compile(rf"^\s*(?:进展\s*{_REF_TEXT}|{_REF_TEXT}\s*进展)\s*[:：,，]?\s*(.*)$", re.S)
_ASKING = re.compile(r"^[^。；;]{0,10}(哪|吗|如何|怎么样|怎样|咋样|什么|啥|几|多少)|[?？]\s*$|(吗|呢|没|没有|了没)\s*$")
_WITHDRAW = re.compile(
    rf"^\s*(?:撤销|撤回|删除|删掉|收回)(?:我的)?(?:这条|上一条|刚才的)?进展\s*{_REF_TEXT}\s*[。.!！]*$")
MAX_NOTE = 1000


def _unknown(ctx: Context, ref: str) -> Reply:
    return ctx.unknown_task(ref)


@intent("withdraw_note", priority=6, writes=True)
def withdraw_note(ctx: Context, query: Query) -> Reply | None:
    """撤销进展 3.3 → the sender's latest note on 3.3 is taken back (an event keeps it)."""
    if not _WITHDRAW.match(query.text) or len(query.refs) != 1:
        return None
    ref = query.refs[0]
    if ctx.task(ref) is None:
        return _unknown(ctx, ref)
    if ctx.person is None:
        return ctx.render("complete.j2", code="who_are_you", platform=ctx.message.platform)
    withdrawn = completion.withdraw_note(ctx.store, ctx.plan.id, ref, ctx.person, meta(ctx))
    if withdrawn is None:
        return ctx.render("complete.j2", code="no_note", ref=ref)
    return ctx.render("complete.j2", refs=[ref], code="note_withdrawn", ref=ref, note=withdrawn)


@intent("note", priority=7, writes=True)
def note(ctx: Context, query: Query) -> Reply | None:
    """进展 3.1 已完成龙岩站巡展 → a progress note on 3.1, shown in its detail."""
    match = _NOTE.match(query.text)
    if not match or not query.refs or _ASKING.search(match[1].strip()):
        return None
    ref, text = query.refs[0], match[1].strip()
    task = ctx.task(ref)
    if task is None:
        return _unknown(ctx, ref)
    if ctx.person is None:
        return ctx.render("complete.j2", code="who_are_you", platform=ctx.message.platform)
    if not (owns(ctx, task, ctx.person) or ctx.person in task.lead or ctx.person in ctx.admins):
        return ctx.render("complete.j2", code="not_allowed", refs=[ref], task=task, admins=ctx.admins, note=True)
    if not text:
        return ctx.render("complete.j2", code="empty_note", ref=ref)
    if len(text) > MAX_NOTE:
        return ctx.render("complete.j2", code="long_note", ref=ref, limit=MAX_NOTE, length=len(text))
    completion.add_note(ctx.store, ctx.plan.id, ref, ctx.person, text, meta(ctx))
    return ctx.render("complete.j2", refs=[ref], code="noted", ref=ref)
