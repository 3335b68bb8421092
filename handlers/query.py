"""Lists, counts and progress: the questions answered by a set of tasks (DESIGN §4).

A list names every matching task, one line each (ref, shortened content, due, status), open
tasks first; window lists go by date. The filters of :mod:`handlers.select` combine. A count
gives the number first and the list when it is short; a count of everything gives the plan's
totals (一共35项；已完成0项；逾期7项；全年开展25项).
"""

from __future__ import annotations

from bot.messages import Reply
from bot.model import TaskView
from handlers import Context, intent
from handlers.select import Block, Selector
from handlers.status import line, state
from handlers.understanding import Query

SHORT_LIST = 10  # a count lists its tasks when there are at most this many


def selection(ctx: Context, query: Query) -> list[Block]:
    """The blocks of tasks the question is about, made once per message."""
    if "blocks" not in ctx.memo:
        ctx.memo["blocks"] = Selector(ctx, query, ctx.index.vocabulary).blocks()
    return ctx.memo["blocks"]


def task_line(ctx: Context, task: TaskView, archived: bool | None = None) -> dict:
    """One list line with the people and units the who-answers name."""
    responsible = [u for u in task.units if u not in task.lead_units and u not in task.cooperating]
    return dict(line(task, ctx.today, ctx.archived if archived is None else archived), lead=task.lead,
                owners=task.owners, responsible=responsible, cooperating=task.cooperating)


def guessed(query: Query) -> list[dict]:
    return [{"name": n.name, "written": n.written} for n in query.guessed]


def understood_enough(query: Query) -> bool:
    """A question with words nothing explained is answered only when something else in it
    says what to list (a name, a ref, a section, topic words, a list or due word, or a
    deadline's own words such as 每季度):
    a question about today's weather is not "what is due today"."""
    if not query.unused:
        return True
    asked = query.asked
    return bool(query.names or query.refs or query.sections or query.terms or asked.due_word or asked.listy
                or asked.what == "count" or asked.status or query.mine or asked.every or asked.written)


def _filter_word(query: Query) -> str:
    asked = query.asked
    if asked.written:
        return f"完成时间写“{asked.written}”"
    if asked.every:
        return f"完成时间写“每{asked.every}”"
    if asked.ongoing is True:
        return "全年开展"
    if asked.ongoing is False:
        return "有具体完成时间"
    return ""


def list_reply(ctx: Context, query: Query, blocks: list[Block], *, who: bool = False) -> Reply:
    refs = [t.ref for block in blocks for t in block.tasks]
    titles = {t.section_no: t.section for t in ctx.tasks}
    archived = ctx.archived
    return ctx.render(
        "task_list.j2", refs=refs, window=query.window, status=query.status, show_people=who,
        filter_word=_filter_word(query), guessed=guessed(query), unused=query.unused,
        blocks=[{"kind": b.kind, "who": titles.get(query.section, "") if b.kind == "section" else b.who,
                 "you": b.you, "ongoing_left_out": b.ongoing_left_out, "overdue_left_out": b.overdue_left_out,
                 "lines": [task_line(ctx, t, archived) for t in b.tasks]} for b in blocks],
    )


def answerable(blocks: list[Block]) -> bool:
    """Some block is a list to give: not a topic match that failed or must be asked about."""
    return any(not b.topic_failed and not (b.choices and not b.tasks) for b in blocks)


@intent("progress", priority=30)
def progress(ctx: Context, query: Query) -> Reply | None:
    """进度 / 统计 / 整体进度怎么样 → done/total by section and overall, and how many are overdue."""
    asked = query.asked
    if query.filtered or query.unused or not (asked.progress_word or asked.what == "status"):
        return None
    sections: dict[str, list[TaskView]] = {}
    for task in ctx.tasks:
        sections.setdefault(task.section, []).append(task)
    # One definition of overdue (handlers.status.state) for the chat, /status and the export:
    # in an archived plan an open task is 未办结, not overdue.
    overdue = [t for t in ctx.tasks if state(t, ctx.today, ctx.archived)[0] == "overdue"]
    return ctx.render(
        "progress.j2",
        sections=[{"title": s, "done": sum(t.done for t in ts), "total": len(ts)} for s, ts in sections.items()
                  if s],
        done=sum(t.done for t in ctx.tasks), total=len(ctx.tasks), overdue=len(overdue),
    )


def _count_title(ctx: Context, query: Query, block: Block) -> str:
    return ctx.env.get_template("_count_title.j2").render(
        block={"kind": block.kind, "who": block.who, "you": block.you}, window=query.window,
        status=query.status, filter_word=_filter_word(query),
        section=next((t.section for t in ctx.tasks if t.section_no == query.section), "")).replace("\n", "").strip()


@intent("count", priority=35)
def count(ctx: Context, query: Query) -> Reply | None:
    """一共多少项 / 逾期几项 / <name>负责几项 / how many are late → the number first."""
    if query.what != "count" or query.refs:
        return None
    if not query.filtered:
        if query.unused:
            return None
        overdue = [t for t in ctx.tasks if state(t, ctx.today, ctx.archived)[0] == "overdue"]
        totals = {"total": len(ctx.tasks), "done": sum(t.done for t in ctx.tasks), "overdue": len(overdue),
                  "ongoing": sum(t.ongoing for t in ctx.tasks)}
        return ctx.render("count.j2", totals=totals)
    if query.mine and ctx.person is None:
        return ctx.render("need_identity.j2", examples=examples(ctx))
    blocks = selection(ctx, query)
    if not answerable(blocks):
        return None
    listed = [t.ref for b in blocks if len(b.tasks) <= SHORT_LIST for t in b.tasks]
    return ctx.render("count.j2", refs=listed, totals=None, guessed=guessed(query), unused=query.unused,
                      blocks=[{"title": _count_title(ctx, query, b), "count": len(b.tasks),
                               "lines": [task_line(ctx, t) for t in b.tasks] if len(b.tasks) <= SHORT_LIST else []}
                              for b in blocks])


@intent("lists", priority=50)
def lists(ctx: Context, query: Query) -> Reply | None:
    """严众能负责什么 / 我的任务 / 科普部的任务 / 第三部分 / 本月到期 / 逾期 / 所有任务 / 机器人竞赛
    / <name>负责的<topic> / <A>牵头、<B>负责的 → the tasks of every filter at once."""
    if not query.filtered or not understood_enough(query):
        return None
    if query.mine and ctx.person is None:
        return ctx.render("need_identity.j2", examples=examples(ctx))
    unknown = [s for s in query.sections if s not in {t.section_no for t in ctx.tasks}]
    if unknown:
        return ctx.render("unknown_section.j2", section=unknown[0],
                          sections=sorted({t.section_no for t in ctx.tasks if t.section_no is not None}))
    blocks = selection(ctx, query)
    if not answerable(blocks):
        return None
    return list_reply(ctx, query, blocks, who=query.what == "who")


def examples(ctx: Context) -> dict:
    """Examples for help and hints made from the active plan: a person who owns tasks (or a unit),
    a unit, and a topic phrase from a task's content (DESIGN §4: placeholders, never refs)."""
    if "examples" not in ctx.index.memo:
        from handlers.examples import plan_examples

        ctx.index.memo["examples"] = plan_examples(ctx.tasks)
    return ctx.index.memo["examples"]
