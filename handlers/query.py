"""Questions about the plan: a person's or role's tasks, my tasks, a unit's tasks, a section,
a date window, a task's detail, keyword search, progress (DESIGN §4).

Lists name every matching task, one line each (ref, shortened content, due, status), open
tasks first; window lists go by date. "X负责什么" for someone who owns nothing but leads
tasks answers with the tasks they lead, saying so. Filters combine: a person, a window
(本月), a status (未完成), a section (第三部分) and search words (机器人) narrow one list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.messages import Reply
from bot.model import TaskView
from bot.store.completion import notes
from bot.text import canon
from handlers import Context, intent
from handlers.parse import Query
from handlers.status import by_due, line, open_first, state
from handlers.windows import Window

_PROGRESS = re.compile(r"^(总体|整体|全部|任务|工作)?(进度|统计|完成情况|进展情况|总体情况|progress|stats|summary)$"
                       r"|^一共(有)?多少(项|个)?(任务)?$")


@dataclass(frozen=True)
class Found:
    """One block of a list reply: ``kind`` says whose list it is (the template words it);
    ``you`` when the list is the asker's own."""

    kind: str
    who: str
    tasks: list[TaskView]
    ongoing_left_out: int = 0
    you: bool = False


def in_window(task: TaskView, window: Window) -> bool:
    """Is ``task`` due inside ``window``? 逾期: due before today and still open.
    Other windows leave 全年开展 tasks out (shown, not counted down: DESIGN §3)."""
    if task.due is None:
        return False
    if window.overdue:
        return not task.done and task.due <= window.end
    return not task.ongoing and window.holds(task.due)


def _narrow(query: Query, tasks: list[TaskView]) -> tuple[list[TaskView], int]:
    """Apply the query's section, status, search words and window; returns the tasks in
    display order and how many 全年开展 tasks a window left out (in the window's year)."""
    if query.section:
        tasks = [t for t in tasks if t.section_no == query.section]
    if query.status:
        tasks = [t for t in tasks if t.done == (query.status == "done")]
    if query.terms:
        matching = [t for t in tasks if all(term in canon(t.content) for term in query.terms)]
        tasks = matching or tasks  # words that match none of them were not a filter
    window = query.window
    if window is None:
        return open_first(tasks), 0
    ongoing = 0 if window.overdue else sum(
        1 for t in tasks if t.ongoing and not t.done and t.due
        and (window.start or t.due) <= t.due and window.end >= t.due.replace(month=1, day=1))
    return by_due([t for t in tasks if in_window(t, window)]), ongoing


def _list_reply(ctx: Context, query: Query, blocks: list[Found], *, who: bool = False) -> Reply:
    refs = [t.ref for block in blocks for t in block.tasks]
    return ctx.render(
        "task_list.j2", refs=refs, window=query.window, status=query.status, show_people=who,
        blocks=[{"kind": b.kind, "who": b.who, "you": b.you, "ongoing_left_out": b.ongoing_left_out,
                 "lines": [dict(line(t, ctx.today, ctx.archived), lead=t.lead, owners=t.owners)
                           for t in b.tasks]} for b in blocks],
    )


def _tasks_of(ctx: Context, name: str, kind: str) -> list[TaskView]:
    names = {name, *ctx.store.roles_of(name)} if kind == "owner" else {name}
    if kind == "lead":
        return [t for t in ctx.tasks if names & set(t.lead)]
    return [t for t in ctx.tasks if names & set(t.owners)]


def _person_blocks(ctx: Context, query: Query, names: list[str]) -> list[Found]:
    blocks = []
    for name in names:
        owned, led = _tasks_of(ctx, name, "owner"), _tasks_of(ctx, name, "lead")
        if query.lead or (not owned and led):
            tasks, kind = led, ("lead" if query.lead else "lead_instead")
        else:
            tasks, kind = owned, "owner"
        tasks, ongoing = _narrow(query, tasks)
        blocks.append(Found(kind, name, tasks, ongoing, you=name == ctx.person and query.mine))
    return blocks


@intent("detail", priority=20)
def detail(ctx: Context, query: Query) -> Reply | None:
    """3.3 / 任务3.3 / 三.3 → the whole task: content, due, lead, owners with status, history."""
    if not query.refs:
        return None
    found = [t for t in (ctx.task(ref) for ref in query.refs) if t]
    if not found:
        if query.terms or any(m.text == ref for t in ctx.tasks for m in t.milestones for ref in query.refs):
            return None  # "5.30": a milestone, so a search; "3.3 机器人": words to search
        sections = sorted({t.section_no for t in ctx.tasks})
        return ctx.render("unknown_task.j2", ref=query.refs[0], sections=sections)
    items = [{"task": t, "line": line(t, ctx.today, ctx.archived), "notes": notes(ctx.store, ctx.plan.id, t.ref),
              "history": ctx.store.history(ctx.plan.id, t.ref)} for t in found]
    return ctx.render("detail.j2", refs=[t.ref for t in found], items=items)


@intent("progress", priority=30)
def progress(ctx: Context, query: Query) -> Reply | None:
    """进度 / 统计 / 一共多少任务 → done/total by section and overall, and how many are overdue."""
    if query.names or not _PROGRESS.match(query.words.strip()):
        return None
    sections: dict[str, list[TaskView]] = {}
    for task in ctx.tasks:
        sections.setdefault(task.section, []).append(task)
    # One definition of overdue (handlers.status.state) for the chat, /status and the export:
    # in an archived plan an open task is 未办结, not overdue.
    overdue = [t for t in ctx.tasks if state(t, ctx.today, ctx.archived)[0] == "overdue"]
    return ctx.render(
        "progress.j2",
        sections=[{"title": s, "done": sum(t.done for t in ts), "total": len(ts)} for s, ts in sections.items()],
        done=sum(t.done for t in ctx.tasks), total=len(ctx.tasks), overdue=len(overdue),
    )


@intent("my_tasks", priority=40)
def my_tasks(ctx: Context, query: Query) -> Reply | None:
    """我的任务 / 我还有什么没完成 / 我本月到期的 → the sender's tasks (as owner, else as lead)."""
    if not query.mine:
        return None
    if ctx.person is None:
        return ctx.render("need_identity.j2")
    return _list_reply(ctx, query, _person_blocks(ctx, query, [ctx.person]))


@intent("person_tasks", priority=50)
def person_tasks(ctx: Context, query: Query) -> Reply | None:
    """严众能负责什么 / 徐锦清牵头哪些 / what does 严众能 own / 严众能本月到期的."""
    names = [n.name for n in query.names if n.kind in ("person", "role")]
    if not names:
        return None
    return _list_reply(ctx, query, _person_blocks(ctx, query, names))


@intent("unit_tasks", priority=60)
def unit_tasks(ctx: Context, query: Query) -> Reply | None:
    """科普部的任务 / 市科技馆负责什么 → tasks naming the unit."""
    units = query.of_kind("unit")
    if not units:
        return None
    blocks = []
    for unit in units:
        tasks, ongoing = _narrow(query, [t for t in ctx.tasks if unit in t.units])
        blocks.append(Found("unit", unit, tasks, ongoing))
    return _list_reply(ctx, query, blocks)


@intent("section_tasks", priority=65)
def section_tasks(ctx: Context, query: Query) -> Reply | None:
    """第三部分 / 第二部分有哪些任务 → the section's tasks."""
    if query.section is None:
        return None
    titles = {t.section_no: t.section for t in ctx.tasks}
    if query.section not in titles:
        return ctx.render("unknown_section.j2", section=query.section, sections=sorted(titles))
    tasks, ongoing = _narrow(query, ctx.tasks)
    return _list_reply(ctx, query, [Found("section", titles[query.section], tasks, ongoing)])


@intent("due_window", priority=70)
def due_window(ctx: Context, query: Query) -> Reply | None:
    """本周到期 / 下个月 / 10月 / 上半年 / 逾期 / 今天 / 未完成的 / 所有任务 → by date or plan order."""
    if query.window is None and query.status is None and not query.everything:
        return None
    tasks, ongoing = _narrow(query, ctx.tasks)
    return _list_reply(ctx, query, [Found("window" if query.window else "all", "", tasks, ongoing)])


_ASKS_PERSON = re.compile(r"(负责|牵头|分管)(什么|哪些|啥|的)|的任务")


@intent("search", priority=80)
def search(ctx: Context, query: Query) -> Reply | None:
    """机器人竞赛 / 科技创新大赛谁负责 → tasks whose content holds every search word
    (with their owners and lead when the question asks who)."""
    terms = query.terms or query.refs  # "5.30": a milestone the detail intent passed on
    if not terms:
        return None
    tasks = [t for t in ctx.tasks if all(term in canon(t.content) for term in terms)]
    if not tasks:
        # "张三负责什么": the asker meant a person the plan does not name, so say that first.
        person_asked = len(terms) == 1 and bool(_ASKS_PERSON.search(query.text))
        return ctx.render("nothing_found.j2", terms=terms, person_asked=person_asked)
    return _list_reply(ctx, query, [Found("search", "、".join(terms), open_first(tasks))], who=query.who)
