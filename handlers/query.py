"""Questions about the plan: a person's or role's tasks, my tasks, a unit's tasks, a date
window, a task's detail, keyword search, progress (DESIGN §4).

Lists name every matching task, one line each (ref, shortened content, due, status), open
tasks first; window lists go by date. "X负责什么" for someone who owns nothing but leads
tasks answers with the tasks they lead, saying so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.messages import Reply
from bot.model import TaskView
from bot.text import canon
from handlers import Context, intent
from handlers.parse import Query
from handlers.status import by_due, line, open_first
from handlers.windows import Window

_PROGRESS = re.compile(r"^(总体|整体|全部|任务)?(进度|统计|完成情况|进展情况|总体情况|progress|stats|summary)$")
# Words that say *what* is asked, not *which task*: they separate search terms.
_FILLER = re.compile(
    r"负责什么|负责哪些|负责的|负责|牵头哪些|牵头什么|牵头的|牵头|分管|的任务|的工作|任务|工作|有哪些|哪些|"
    r"什么|查询|查找|搜索|查一下|查查|查|看看|一下|关于|相关|到期|截止|期限|是|有|吗|呢|吧|请问|帮我|"
    r"列出|所有|全部|情况|的|和|与|及|、|，|。|？|！|：|\?|!|,|:|whatdoes|whatis|own|owns|leads|"
    r"tasks|task|show|list|find|search|due|what|the|of|for|me|\s+"
)


@dataclass(frozen=True)
class Found:
    """One block of a list reply: ``kind`` says whose list it is (template words it)."""

    kind: str
    who: str
    tasks: list[TaskView]
    ongoing_left_out: int = 0


def in_window(task: TaskView, window: Window) -> bool:
    """Is ``task`` due inside ``window``? 逾期: due before today and still open.
    Other windows leave 全年开展 tasks out (shown, not counted down: DESIGN §3)."""
    if task.due is None:
        return False
    if window.overdue:
        return not task.done and task.due <= window.end
    return not task.ongoing and window.holds(task.due)


def _windowed(tasks: list[TaskView], window: Window | None) -> tuple[list[TaskView], int]:
    if window is None:
        return open_first(tasks), 0
    # 全年开展 tasks left out of a window are counted only where the window meets their year.
    ongoing = 0 if window.overdue else sum(1 for t in tasks if t.ongoing and not t.done and t.due
                                           and (window.start or t.due) <= t.due
                                           and window.end >= t.due.replace(month=1, day=1))
    return by_due([t for t in tasks if in_window(t, window)]), ongoing


def _list_reply(ctx: Context, query: Query, blocks: list[Found]) -> Reply:
    refs = [t.ref for block in blocks for t in block.tasks]
    return ctx.render(
        "task_list.j2", refs=refs, window=query.window,
        blocks=[{"kind": b.kind, "who": b.who, "ongoing_left_out": b.ongoing_left_out,
                 "lines": [line(t, ctx.today, ctx.archived) for t in b.tasks]} for b in blocks],
    )


def _tasks_of(ctx: Context, name: str, kind: str) -> list[TaskView]:
    names = {name, *ctx.store.roles_of(name)} if kind == "owner" else {name}
    if kind == "lead":
        return [t for t in ctx.tasks if names & set(t.lead)]
    return [t for t in ctx.tasks if names & set(t.owners)]


@intent("detail", priority=20)
def detail(ctx: Context, query: Query) -> Reply | None:
    """3.3 / 任务3.3 / 三.3 → the whole task: content, due, lead, owners with status, history."""
    if not query.refs:
        return None
    found = [t for t in (ctx.task(ref) for ref in query.refs) if t]
    if not found:
        if _FILLER.sub("", query.words) or any(ref in canon(t.content) for t in ctx.tasks for ref in query.refs):
            return None  # "5.30活动", "5.30": a search, not a ref
        sections = sorted({t.section_no for t in ctx.tasks})
        return ctx.render("unknown_task.j2", refs=[], ref=query.refs[0], sections=sections)
    items = [{"task": t, "line": line(t, ctx.today, ctx.archived), "history": ctx.store.history(ctx.plan.id, t.ref)}
             for t in found]
    return ctx.render("detail.j2", refs=[t.ref for t in found], items=items)


@intent("progress", priority=30)
def progress(ctx: Context, query: Query) -> Reply | None:
    """进度 / 统计 → done/total by section and overall, and how many are overdue."""
    if query.names or not _PROGRESS.match(query.words.strip()):
        return None
    sections: dict[str, list[TaskView]] = {}
    for task in ctx.tasks:
        sections.setdefault(task.section, []).append(task)
    overdue = [t for t in ctx.tasks if not t.done and t.due and t.due < ctx.today]
    return ctx.render(
        "progress.j2",
        sections=[{"title": s, "done": sum(t.done for t in ts), "total": len(ts)} for s, ts in sections.items()],
        done=sum(t.done for t in ctx.tasks), total=len(ctx.tasks), overdue=len(overdue),
    )


@intent("my_tasks", priority=40)
def my_tasks(ctx: Context, query: Query) -> Reply | None:
    """我的任务 / 我还有什么没完成 → the sender's tasks (as owner, else as lead)."""
    if not query.mine:
        return None
    if ctx.person is None:
        return ctx.render("need_identity.j2")
    return _person_reply(ctx, query, [ctx.person], kind="mine")


def _person_reply(ctx: Context, query: Query, names: list[str], kind: str | None = None) -> Reply:
    blocks = []
    for name in names:
        owned = _tasks_of(ctx, name, "owner")
        led = _tasks_of(ctx, name, "lead")
        if query.lead or (not owned and led):
            tasks, block_kind = led, ("lead" if query.lead else "lead_instead")
        else:
            tasks, block_kind = owned, "owner"
        tasks, ongoing = _windowed(tasks, query.window)
        blocks.append(Found(kind if kind and block_kind == "owner" else block_kind, name, tasks, ongoing))
    return _list_reply(ctx, query, blocks)


@intent("person_tasks", priority=50)
def person_tasks(ctx: Context, query: Query) -> Reply | None:
    """严众能负责什么 / 徐锦清牵头哪些 / what does 严众能 own / 严众能本月到期的."""
    names = [n.name for n in query.names if n.kind in ("person", "role")]
    if not names:
        return None
    return _person_reply(ctx, query, names)


@intent("unit_tasks", priority=60)
def unit_tasks(ctx: Context, query: Query) -> Reply | None:
    """科普部的任务 / 市科技馆负责什么 → tasks naming the unit."""
    units = query.of_kind("unit")
    if not units:
        return None
    blocks = []
    for unit in units:
        tasks, ongoing = _windowed([t for t in ctx.tasks if unit in t.units], query.window)
        blocks.append(Found("unit", unit, tasks, ongoing))
    return _list_reply(ctx, query, blocks)


@intent("due_window", priority=70)
def due_window(ctx: Context, query: Query) -> Reply | None:
    """本周到期 / 下个月 / 10月 / 上半年 / 逾期 / 今天 → tasks due in the window, by date."""
    if query.window is None:
        return None
    tasks, ongoing = _windowed(ctx.tasks, query.window)
    return _list_reply(ctx, query, [Found("window", "", tasks, ongoing)])


@intent("search", priority=80)
def search(ctx: Context, query: Query) -> Reply | None:
    """机器人竞赛 → tasks whose content holds every search word."""
    terms = [t for t in (w.strip(".") for w in _FILLER.split(query.rest)) if len(t) >= 2]
    if not terms:
        return None
    tasks = [t for t in ctx.tasks if all(term in canon(t.content) for term in terms)]
    if not tasks:
        return ctx.render("nothing_found.j2", terms=terms)
    return _list_reply(ctx, query, [Found("search", "、".join(terms), open_first(tasks))])
