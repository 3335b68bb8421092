"""Who, when, status and detail: questions about particular tasks (DESIGN §4 "also asked").

The tasks are the refs named (2.1, 二点一, 第二部分第一条) or those the filters and topic words
select (:mod:`handlers.select`). who → each task with its lead and owners; when → its deadline
as written, the date, days left or overdue, its milestones; status → its state, the owners'
shares and the latest progress note (a question never writes); detail → the whole task.
A name two people fit is asked about; a split topic match is asked about ("你是指以下哪项？");
topic words that match nothing say so, with what else was understood.
"""

from __future__ import annotations

from bot.messages import Reply
from bot.model import TaskView
from bot.store.completion import notes
from handlers import Context, intent
from handlers.query import answerable, examples, guessed, list_reply, selection, understood_enough
from handlers.status import line
from handlers.understanding import Query

STATUS_DETAIL = 5  # a status answer shows shares and notes for at most this many tasks


def _notes_of(ctx: Context, task: TaskView) -> list[dict]:
    return notes(ctx.store, ctx.plan.id, task.ref)


def about(ctx: Context, query: Query, tasks: list[TaskView], blocks: list | None = None) -> Reply:
    """The answer about ``tasks`` that the question asks for (who, when, status, or detail);
    ``blocks`` the selection they come from, for a who-answer's headings."""
    what = query.what
    refs = [t.ref for t in tasks]
    if what == "who":
        from handlers.select import Block

        return list_reply(ctx, query, blocks or [Block("refs", "", tasks)], who=True)
    if what == "when":
        items = [{"line": line(t, ctx.today, ctx.archived), "days": (t.due - ctx.today).days if t.due else 0,
                  "milestones": t.milestones} for t in tasks]
        return ctx.render("when.j2", refs=refs, items=items, guessed=guessed(query), unused=query.unused)
    if what == "status" and len(tasks) <= STATUS_DETAIL:
        items = [{"task": t, "line": line(t, ctx.today, ctx.archived),
                  "note": (_notes_of(ctx, t) or [None])[-1]} for t in tasks]
        return ctx.render("status.j2", refs=refs, items=items, guessed=guessed(query), unused=query.unused)
    items = [{"task": t, "line": line(t, ctx.today, ctx.archived), "notes": _notes_of(ctx, t),
              "history": ctx.store.history(ctx.plan.id, t.ref)} for t in tasks]
    return ctx.render("detail.j2", refs=refs, items=items)


@intent("ambiguous", priority=16)
def ambiguous(ctx: Context, query: Query) -> Reply | None:
    """严主任负责什么 → "你是指 严众能 还是 严旺龙？" (two people fit: never a guess)."""
    if not query.ambiguous or query.of_kind("person", "role") or query.refs:
        return None
    return ctx.render("ambiguous.j2", ambiguous=query.ambiguous)


@intent("stranger", priority=17)
def stranger(ctx: Context, query: Query) -> Reply | None:
    """A word written as someone the plan does not have ("钟局牵头的逾期任务"): say so, never the
    list without that filter."""
    if not query.strangers or query.refs:
        return None
    return ctx.render("nothing_found.j2", terms=query.strangers[:1], person_asked=True, unused=[], understood="",
                      examples=examples(ctx))


@intent("unknown_holiday", priority=18)
def unknown_holiday(ctx: Context, query: Query) -> Reply | None:
    """A holiday past chinesecalendar's table (春节前 when next year's dates are not out): say so."""
    if query.window is None or not query.window.unknown or query.refs:
        return None
    from handlers.understanding.windows import holiday_table_end

    return ctx.render("unknown_holiday.j2", label=query.window.label, last=holiday_table_end())


@intent("task_refs", priority=20)
def task_refs(ctx: Context, query: Query) -> Reply | None:
    """Questions about tasks named by number: "2.1", "任务2.1", "二点一", "第二部分第一条", with who/when/status."""
    if not query.refs:
        if query.unknown_refs and not (query.names or query.terms or query.window or query.sections):
            return ctx.unknown_task(query.unknown_refs[0])
        return None
    return about(ctx, query, [t for t in (ctx.task(ref) for ref in query.refs) if t])


@intent("who_when_status", priority=40)
def who_when_status(ctx: Context, query: Query) -> Reply | None:
    """Who, when or status of tasks found by topic, person or part: "<topic>谁负责", "<topic>哪天到期",
    "我负责的<topic>"."""
    if query.what not in ("who", "when", "status") or not query.filtered or not understood_enough(query):
        return None
    if query.mine and ctx.person is None:
        return None
    if not (query.terms or query.names or query.sections or query.mine) and query.what != "status":
        return None  # "你是谁", "本月谁负责": nothing to say who or when about
    blocks = selection(ctx, query)
    if not answerable(blocks):
        return None
    tasks = [t for block in blocks for t in block.tasks]
    if not tasks or (query.what == "status" and len(tasks) > STATUS_DETAIL):
        return None  # an empty or long answer is a list (lists words it)
    if query.what == "who" and not query.terms and not query.sections:
        return None  # "<name>负责什么" is a list, and so reads "<name>负责的谁牵头"
    return about(ctx, query, tasks, blocks)


@intent("choose", priority=90)
def choose(ctx: Context, query: Query) -> Reply | None:
    """A topic that only part-matches, or matches in pieces: ask which task is meant."""
    if not query.terms:
        return None
    choices = list({t.ref: t for block in selection(ctx, query) for t in block.choices}.values())
    if not choices:
        return None
    return ctx.render("choose.j2", refs=[t.ref for t in choices], tasks=choices, unused=query.unused,
                      words="".join(t.written for t in query.terms))


@intent("nothing_found", priority=95)
def nothing_found(ctx: Context, query: Query) -> Reply | None:
    """Topic words that match no task, or an unknown name asked about: say so, with examples."""
    if not query.terms and not query.unused:
        return None
    if not query.terms:
        person_asked = len(query.unused) == 1 and bool(query.asked.listy) and not query.window
        if not person_asked:
            return None
        return ctx.render("nothing_found.j2", terms=query.unused, person_asked=True, unused=[], understood="",
                          examples=examples(ctx))
    return ctx.render("nothing_found.j2", terms=[t.written for t in query.terms], person_asked=False,
                      unused=query.unused, understood=_understood(ctx, query), examples=examples(ctx))


def _understood(ctx: Context, query: Query) -> str:
    parts = [*query.of_kind("person", "role", "unit")]
    if query.window:
        parts.append(f"{query.window.label}到期")
    return "、".join(parts) + "的任务中" if parts else ""

