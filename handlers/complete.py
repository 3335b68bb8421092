"""Changing state from the chat: 完成 (a share or a task), 撤销, 我是/确认 bindings
(DESIGN §6, issue "Closing tasks from the chat"); progress notes are :mod:`handlers.notes`.

Which task: a ref in the message wins; else a ref in the quoted message; else the sender's
open tasks among those in the last reminder this chat received (one → that one, several →
ask, none → list theirs). Who may: an owner completes their share, a member of an owner
role the role's share; the lead or an admin, who has no share, the whole task ("完成 3.3
全部" forces the whole task when they also own a share). Anyone else is told who can.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

from bot import plan_choice
from bot.messages import Reply
from bot.model import TaskView
from bot.store import completion, outbox
from bot.store.completion import Meta
from handlers import Context, intent, plan_named
from handlers.understanding import Query
from handlers.understanding.normalise import normalise
from handlers.understanding.refs import find_places

_COMPLETE = re.compile(r"^(好的|好|嗯|ok)?(我们?|我方|本人)?(这边|这里|那边)?(也|都)?(已经|已)?"
                       r"(完成|办结|办完|做完|干完|弄完|搞完|搞定|完工|完结|办好|做好|弄好)(了|啦|啊|喽|咯)?$")
_ALL = re.compile(r"全部|整个|整项|all")
_UNDO = re.compile(r"^(撤销|撤回|取消完成|undo)(上一次|刚才|刚刚)?(的)?(完成)?(操作)?$")
_I_AM = re.compile(r"^我是(.+)$")
_CONFIRM = re.compile(r"^确认(.+)$")
_NUMBER = re.compile(r"[-－−]?\s*\d+")
_SIGN = re.compile(r"[－−]")
_DIGITS = re.compile(r"\d+")
_NOISE = re.compile(r"[\s,，。.!！~～、:：]|[^\w\u4e00-\u9fff]")
UNDO_DAYS = 7


def meta(ctx: Context) -> Meta:
    """Where a change came from, for its event row."""
    message = ctx.message
    return Meta(message.platform, message.chat_id, message.msg_id, message.received_at.isoformat())


def _shares_of(ctx: Context, task: TaskView, person: str) -> list[str]:
    """The open shares ``person`` may complete on ``task``: their own, else their roles'."""
    open_owners = [s.owner for s in task.shares if not s.done]
    if person in open_owners:
        return [person]
    return [role for role in ctx.store.roles_of(person) if role in open_owners]


def owns(ctx: Context, task: TaskView, person: str) -> bool:
    """``person`` holds a share of ``task``: as its owner, or as a member of an owning role or unit."""
    mine = {person, *ctx.store.roles_of(person)}
    return any(share.owner in mine for share in task.shares)


def is_completion(query: Query) -> bool:
    """``query`` is a 完成 message (DESIGN §6 forms), not a question that contains 完成."""
    words = _ALL.sub("", _NOISE.sub("", query.words)).removeprefix("任务")
    return not query.asked.question and bool(_COMPLETE.match(words))


def plans_to_complete(store, person: str | None, ref: str, plans: list) -> list:
    """Of ``plans`` (all having ``ref``), those where ``person`` owns a share of ``ref`` (also
    through a role) or leads it — only the one where it is still open, when just one is: a 完成
    of a ref several active plans have goes there, and an admin's too; never a guess (DESIGN §5,
    §6). [] when the sender is unknown."""
    if person is None:
        return []
    mine = {person, *store.roles_of(person)}
    fits = [(plan, task) for plan in plans if (task := store.task(plan.id, ref)) is not None
            and (person in task.lead or any(share.owner in mine for share in task.shares))]
    still_open = [plan for plan, task in fits if not task.done]
    return still_open if len(still_open) == 1 else [plan for plan, _ in fits]


@intent("bind", priority=5, writes=True)
def bind(ctx: Context, query: Query) -> Reply | None:
    """我是严众能 (an unmapped sender asks) / 确认 严众能 (an admin confirms)."""
    text = _NOISE.sub("", query.text)
    people = [n.name for n in query.names if n.kind == "person"]
    asked, confirmed = _I_AM.match(text), _CONFIRM.match(text)
    if not (asked or confirmed) or len(people) != 1 or _NOISE.sub("", (asked or confirmed)[1]) != people[0]:
        return None
    person, message = people[0], ctx.message
    if message.platform == "local":
        return ctx.render("binding.j2", code="local")
    if asked:
        if ctx.person:
            return ctx.render("binding.j2", code="already", person=ctx.person)
        if person in ctx.mapped:  # config names this person's id: nobody else can claim the name
            return ctx.render("binding.j2", code="mapped", person=person)
        completion.request_binding(ctx.store, message.platform, message.sender_id, person, meta(ctx))
        return ctx.render("binding.j2", code="requested", person=person)
    if ctx.person not in ctx.admins:
        return ctx.render("binding.j2", code="not_admin", admins=ctx.admins)
    senders = completion.pending_bindings(ctx.store, message.platform, person)
    if len(senders) != 1:
        return ctx.render("binding.j2", code="several" if senders else "nobody", person=person, senders=senders)
    completion.confirm_binding(ctx.store, message.platform, person, senders[0], ctx.person, meta(ctx))
    return ctx.render("binding.j2", code="confirmed", person=person, sender=senders[0])


@intent("undo", priority=6, writes=True)
def undo(ctx: Context, query: Query) -> Reply | None:
    """撤销 → reopen the sender's own last completion (within 7 days)."""
    if not _UNDO.match(_NOISE.sub("", query.words)) or len(query.refs) > 1:
        return None
    if ctx.person is None:
        return ctx.render("complete.j2", code="who_are_you", platform=ctx.message.platform)
    since = (ctx.message.received_at - timedelta(days=UNDO_DAYS)).isoformat()
    ref = query.refs[0] if query.refs else None
    outcome = completion.undo_last(ctx.store, ctx.plan.id, ctx.person, since, meta(ctx), ref=ref)
    if outcome is None:
        return ctx.render("complete.j2", code="nothing_to_undo", days=UNDO_DAYS)
    return ctx.render("complete.j2", refs=[outcome.ref], code="undone", o=outcome)


def _chat_name(ctx: Context) -> str | None:
    """The outbox chat whose last reminder a bare 完成 in this chat answers: a configured group,
    the local chat, or, in the WeCom app's or the DingTalk robot's 1:1 chat, the sender's own
    private reminders."""
    from reminders.digest import LOCAL_CHAT
    from reminders.private import chat_name

    message = ctx.message
    one_to_one = (message.platform == "wecom" and message.chat_id.startswith("app:")) or (
        message.platform == "dingtalk" and message.chat_id.startswith("single:"))
    if one_to_one and ctx.person:
        return chat_name(ctx.person)
    for chat in ctx.chats:
        if chat.platform == message.platform and (chat.chat_id == message.chat_id or message.platform == "local"):
            return chat.name
    return LOCAL_CHAT if message.platform == "local" and not ctx.chats else None


def _which(ctx: Context, query: Query) -> tuple[tuple[Context, TaskView] | None, Reply | None]:
    """The task a bare 完成 means, with the context of its plan, or the reply that asks (DESIGN
    §6 resolution order). The last reminder's lines name their plans, so with several active
    plans a bare 完成 goes to the plan the line came from; the sender's open tasks are listed
    from every active plan of the chat, each plan's under its title. A 全年开展 task is never
    closed by a bare 完成: the sender is asked for its ref (DESIGN §4)."""
    quoted = find_places(normalise(ctx.message.quoted_text or ""), ctx.index.refs, ctx.index.sections,
                         ctx.index.vocabulary.corpus).refs
    chat = _chat_name(ctx)
    recent = [(ctx.plan.id, ref) for ref in quoted] or (outbox.last_sent_plan_refs(ctx.store, chat) if chat else [])
    plans = _live_plans(ctx)
    by_id = {plan.id: plan for plan in plans} | {ctx.plan.id: ctx.plan}
    mine = []
    for plan_id, ref in recent:
        plan = by_id.get(ctx.plan.id if plan_id is None else plan_id)
        task = ctx.store.task(plan.id, ref) if plan else None
        if task and not task.done and (_shares_of(ctx, task, ctx.person) or ctx.person in task.lead):
            mine.append((plan, task))
    order = [plan.id for plan in plans]
    mine.sort(key=lambda pt: (order.index(pt[0].id) if pt[0].id in order else -1, pt[1].position))
    several = len({plan.id for plan, _ in mine}) > 1
    if len(mine) == 1:
        plan, task = mine[0]
        if task.ongoing:
            return None, ctx.render("complete.j2", code="ongoing_needs_ref", task=task)
        return (_in_plan(ctx, plan), task), None
    if mine:
        return None, ctx.render("complete.j2", code="which", refs=[t.ref for _, t in mine], tasks=[t for _, t in mine],
                                lead=any(ctx.person in t.lead for _, t in mine), names=_prefixes(ctx, mine, plans),
                                ref_shape=_ref_shape(ctx))
    open_tasks = [(plan, t) for plan in plans for t in ctx.store.tasks(plan.id)
                  if not t.done and _shares_of(ctx, t, ctx.person)]
    several = len({plan.id for plan, _ in open_tasks}) > 1
    return None, ctx.render("complete.j2", code="none_recent", refs=[t.ref for _, t in open_tasks],
                            tasks=[t for _, t in open_tasks], titles=[p.title for p, _ in open_tasks],
                            several=several, names=_prefixes(ctx, open_tasks, plans))


def _prefixes(ctx: Context, tasks: list, plans: list) -> list[str]:
    """For each (plan, task), what goes before "完成 <ref>": the plan's name when "完成 <ref>"
    alone would not find it (another active plan has that ref and the sender may close it
    there too), else "" (DESIGN §5: only a ref two plans share is asked about)."""
    return [plan_named.naming(plan, plans) if len(plans_to_complete(ctx.store, ctx.person, task.ref, plans)) > 1
            else "" for plan, task in tasks]


def _ref_shape(ctx: Context) -> str:
    """The placeholder for this plan's refs in a hint: "X.Y" when they are dotted, else "N"."""
    return "X.Y" if any("." in t.ref for t in ctx.tasks) else "N"


def _live_plans(ctx: Context) -> list:
    """The plans a bare 完成 in this chat may mean: those active today in the chat's scope, the
    plan the message goes to first (DESIGN §5)."""
    scope = plan_choice.in_scope(ctx.store.plans(), ctx.chats, ctx.message.platform, ctx.message.chat_id)
    others = [plan for plan in plan_choice.active(scope, ctx.today) if plan.id != ctx.plan.id]
    return [ctx.plan, *others]


def _in_plan(ctx: Context, plan) -> Context:
    """``ctx`` answering from ``plan`` (a bare 完成 whose task is in another active plan)."""
    if plan.id == ctx.plan.id:
        return ctx
    return replace(ctx, plan=plan, memo={}, _tasks=None)


@intent("complete", priority=15, writes=True)
def complete(ctx: Context, query: Query) -> Reply | None:
    """完成 / 完成 3.3 / 3.3 完成 / 3.3 已完成 / 任务3.3完成了 / 完成 3.3 全部 / 完成 3.4、3.5."""
    if query.asked.question:  # "<ref>完成了？", "<ref>完成了吗": asked, never a write
        return None
    words = _NOISE.sub("", query.words)
    whole = bool(_ALL.search(words))
    words = _ALL.sub("", words).removeprefix("任务")
    if not _COMPLETE.match(words):
        # "完成 0", "完成 -1", "完成 99": a number no task has is left in the words; say so.
        written = _NUMBER.search(query.text)
        if written is None or not _COMPLETE.match(_DIGITS.sub("", words)):
            return None
        number = _SIGN.sub("-", written[0].replace(" ", ""))
        return ctx.unknown_task(number, unchanged=True, not_a_ref=int(number) <= 0)
    if query.unknown_refs and not query.refs:
        return ctx.unknown_task(query.unknown_refs[0], unchanged=True)
    if ctx.person is None:
        return ctx.render("complete.j2", code="who_are_you", platform=ctx.message.platform)
    if not query.refs:
        found, asked = _which(ctx, query)
        if found is None:
            return asked
        where, task = found
        reply = _complete_one(where, task, whole)
        if where is ctx:
            return reply
        head = where.render("plan_named.j2", code="named").text  # another plan's task: say which
        return Reply(f"{head}\n{reply.text}", reply.refs, closed=reply.closed)
    replies = []
    for ref in query.refs:
        task = ctx.task(ref)
        replies.append(_complete_one(ctx, task, whole) if task else ctx.unknown_task(ref, unchanged=True))
    return Reply("\n".join(r.text for r in replies), [ref for r in replies for ref in r.refs],
                 closed=[ref for r in replies for ref in r.closed])


def _complete_one(ctx: Context, task: TaskView, whole: bool) -> Reply:
    person = ctx.person
    may_close = person in task.lead or person in ctx.admins
    shares = _shares_of(ctx, task, person)
    if not (may_close or owns(ctx, task, person)):
        return ctx.render("complete.j2", code="not_allowed", refs=[task.ref], task=task, admins=ctx.admins)
    if task.done or (whole and may_close):
        share = None
    elif shares:
        share = shares[0]
    elif owns(ctx, task, person) and not may_close:
        share = next(s.owner for s in task.shares if s.owner == person or s.owner in ctx.store.roles_of(person))
    else:
        share = None
    outcome = completion.complete(ctx.store, ctx.plan.id, task.ref, person=person, share=share, meta=meta(ctx))
    reply = ctx.render("complete.j2", refs=[task.ref], code=outcome.code, o=outcome, task=task, share=share,
                       whole_refused=whole and not may_close)
    return Reply(reply.text, reply.refs, closed=[task.ref] if outcome.closed else [])
