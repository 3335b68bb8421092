"""Which tasks a question is about: every filter it names, as an intersection (DESIGN §4
"Filters combine as intersections"; issue 12 item 5).

People (as owner, or as lead when the question says 牵头/分管 or they own nothing), units, the
sender (我的), sections, a status (未完成), 全年开展 or not, a deadline as written, the topic
words, a date window. Two people with 共同/一起/都 — or named in different capacities
("<A>牵头、<B>负责的") — give one list of the tasks of both; "A、B负责什么" gives each
their own list. The topic words keep the tasks that hold all of them; when none does, the best
partial matches become :attr:`Block.choices` (the reply asks which), never a list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.model import TaskView
from bot.text import canon
from handlers.status import by_due, open_first
from handlers.understanding import Query
from handlers.understanding.topics import match
from handlers.understanding.windows import Window

_ME_AND = re.compile(r"我(?:和|跟|与|同)|(?:和|跟|与|同)我")


@dataclass
class Block:
    """One list of a reply. ``kind`` says whose list it is (the template words it): "owner",
    "lead", "lead_instead", "supervisor", "both", "mixed", "unit", "unit_lead", "unit_instead", "units_both",
    "section", "search", "window", "all", "refs"; ``who`` the name(s) or words; ``you`` when it
    is the sender's own; ``ongoing_left_out`` 全年开展 tasks a window leaves out;
    ``overdue_left_out`` overdue tasks a "…前" window leaves to 逾期; ``choices`` the tasks a
    split topic match offers; ``topic_failed`` when the topic words match none of the tasks."""

    kind: str
    who: str
    tasks: list[TaskView]
    you: bool = False
    ongoing_left_out: int = 0
    overdue_left_out: int = 0
    choices: list[TaskView] = field(default_factory=list)
    topic_failed: bool = False


def in_window(task: TaskView, window: Window) -> bool:
    """Is ``task`` due inside ``window``? 逾期: due on or before the window's end and still open.
    Other windows leave 全年开展 tasks out (shown, not counted down: DESIGN §3); a deadline
    counted from today (``until``) keeps open tasks only."""
    if task.due is None:
        return False
    if window.overdue:
        return not task.done and task.due <= window.end
    if window.until and task.done:
        return False
    return not task.ongoing and window.holds(task.due)


def _ongoing_left_out(tasks: list[TaskView], window: Window) -> int:
    if window.overdue:
        return 0
    return sum(1 for t in tasks if t.ongoing and not t.done and t.due
               and (window.start or t.due) <= t.due and window.end >= t.due.replace(month=1, day=1))


def _overdue_left_out(tasks: list[TaskView], window: Window) -> int:
    if window.since is not None and window.start is not None:  # 本月: its days before today
        return sum(1 for t in tasks if not t.done and not t.ongoing and t.due and window.since <= t.due < window.start)
    if not window.until or window.start is None:
        return 0
    return sum(1 for t in tasks if not t.done and not t.ongoing and t.due and t.due < window.start
               and t.due <= window.end and t.due.year in (window.start.year, window.end.year))


def _filters(query: Query, tasks: list[TaskView]) -> list[TaskView]:
    """Sections, status, 全年开展 or not, a recurring deadline (每季度), the deadline as written."""
    asked = query.asked
    if query.sections:
        tasks = [t for t in tasks if t.section_no in query.sections]
    if asked.status:
        tasks = [t for t in tasks if t.done == (asked.status == "done")]
    if asked.ongoing is True:
        tasks = [t for t in tasks if t.ongoing]
    elif asked.ongoing is False:
        tasks = [t for t in tasks if t.due is not None and not t.ongoing]
    if asked.every:  # 每季度: the deadline as written recurs by that unit (每季度末, 按季度报送)
        every = re.compile(rf"(?:每|按|逐)(?:个|一)?{asked.every}")
        tasks = [t for t in tasks if every.search(canon(t.deadline_text))]
    if asked.written:
        wanted = canon(asked.written)
        exact = [t for t in tasks if canon(t.deadline_text) == wanted]
        tasks = exact or [t for t in tasks if wanted in canon(t.deadline_text)]
    return tasks


class Selector:
    """The selection for one message (made once per message: handlers share it)."""

    def __init__(self, ctx, query: Query, vocabulary):
        self.ctx, self.query, self.vocabulary = ctx, query, vocabulary
        self.positions = {id(t): i for i, t in enumerate(ctx.tasks)}

    def owned(self, name: str) -> list[TaskView]:
        names = {name, *self.ctx.store.roles_of(name)}
        return [t for t in self.ctx.tasks if names & set(t.owners)]

    def led(self, name: str) -> list[TaskView]:
        return [t for t in self.ctx.tasks if name in t.lead]

    def of_person(self, name: str, *, strict: bool = False) -> tuple[str, list[TaskView]]:
        """("owner" | "lead" | "lead_instead", tasks) as the question means this person; someone
        who owns nothing but leads is answered with what they lead, unless ``strict`` (the
        question names people in different capacities: <A>牵头、<B>负责的)."""
        query = self.query
        if name in query.as_lead or (query.asked.lead and name not in query.as_owner):
            return "lead", self.led(name)
        owned = self.owned(name)
        if not owned and not strict:
            led = self.led(name)
            if led:
                return "lead_instead", led
            supervised = [t for t in self.ctx.tasks if name in t.supervisors]
            if supervised:  # 协管/督办责任人: shown, owns no share (DESIGN §3.1)
                return "supervisor", supervised
        return "owner", owned

    def of_unit(self, name: str) -> tuple[str, list[TaskView]]:
        """("unit_lead", tasks it leads) when the question says 牵头 and the unit leads any;
        ("unit_instead", every task naming it) when it says 牵头 and the unit leads none, so the
        reply says so; else ("unit", every task naming it: DESIGN §4 "tasks naming the unit")."""
        named = [t for t in self.ctx.tasks if name in t.units or name in t.lead]
        if self.query.asked.lead or name in self.query.as_lead:
            led = [t for t in self.ctx.tasks if name in t.lead_units]
            if led:
                return "unit_lead", led
            if named:
                return "unit_instead", named
        return "unit", named

    def blocks(self) -> list[Block]:
        """The lists the question asks for (see the module docstring)."""
        query, ctx = self.query, self.ctx
        people = query.of_kind("person", "role")
        units = query.of_kind("unit")
        you = False
        if query.mine and ctx.person:
            people, you = [ctx.person], True
        elif query.asked.mine and ctx.person and people and ctx.person not in people and (
                query.asked.together or _ME_AND.search(query.normal)):
            people = [ctx.person, *people]  # 我和林丽一起负责的
        blocks: list[Block] = []
        mixed = bool(set(people) & query.as_lead and set(people) - query.as_lead)
        together = len(people) >= 2 and (query.asked.together or mixed)
        if together:
            common: set[int] | None = None
            capacities = []
            for name in people:
                kind, tasks = self.of_person(name, strict=mixed)
                ids = {id(t) for t in tasks}
                common = ids if common is None else common & ids
                capacities.append((name, kind))
            tasks = [t for t in ctx.tasks if id(t) in (common or set())]
            if mixed:  # <A>牵头、<B>负责的
                words = self.ctx.env.get_template("_capacity.j2")
                blocks.append(Block("mixed", words.render(capacities=capacities).strip(), tasks))
            else:
                blocks.append(Block("both", "、".join(people), tasks))
        elif people:
            for name in people:
                kind, tasks = self.of_person(name)
                blocks.append(Block(kind, name, tasks, you=you))
        if units:
            unit_ids = {id(t) for name in units for t in self.of_unit(name)[1]}
            if blocks:
                for block in blocks:
                    block.tasks = [t for t in block.tasks if id(t) in unit_ids]
            elif query.asked.together and len(units) >= 2:
                common = set.intersection(*({id(t) for t in self.of_unit(u)[1]} for u in units))
                blocks.append(Block("units_both", "、".join(units), [t for t in ctx.tasks if id(t) in common]))
            else:
                for name in units:
                    kind, tasks = self.of_unit(name)
                    blocks.append(Block(kind, name, tasks))
        if not blocks:
            if query.sections and len(query.sections) == 1:
                blocks.append(Block("section", "", list(ctx.tasks)))
            elif query.terms:
                blocks.append(Block("search", "、".join(t.written for t in query.terms), list(ctx.tasks)))
            else:
                blocks.append(Block("window" if query.window else "all", "", list(ctx.tasks)))
        for block in blocks:
            self._narrow(block)
        return blocks

    def label(self, tasks: list[TaskView]) -> str:
        """The topic words as the plan writes them in ``tasks`` ("机器人、竞赛/大赛" for 机器人比赛,
        "学术年会" for 学术年汇), for the reply's heading."""
        contents = [canon(t.content) for t in tasks]
        words = []
        for term in self.query.terms:
            used = [f for f in term.forms if any(f in c for c in contents)]
            words.append(term.written if term.written in used or not used else "/".join(used))
        return "、".join(words)

    def _narrow(self, block: Block) -> None:
        query = self.query
        tasks = _filters(query, block.tasks)
        if query.terms:
            candidates = [self.positions[id(t)] for t in tasks]
            found = match(self.vocabulary, query.terms, candidates)
            if not found.strong and query.term_groups:
                # "科普日和科技工作者日": two topics, each answered, when each matches on its own.
                parts = [match(self.vocabulary, group, candidates) for group in query.term_groups]
                if all(part.strong for part in parts):
                    found.strong = sorted({i for part in parts for i in part.strong})
                    found.choices = []
            by_index = self.ctx.tasks
            if found.choices:
                block.choices = [by_index[i] for i in found.choices]
            if not found.strong and not found.choices:
                block.topic_failed = True
            tasks = [by_index[i] for i in found.strong]
            if block.kind == "search":
                block.who = self.label(tasks)
        window = query.window
        if window is None:
            block.tasks = open_first(tasks)
            return
        block.ongoing_left_out = _ongoing_left_out(tasks, window)
        block.overdue_left_out = _overdue_left_out(tasks, window)
        block.tasks = by_due([t for t in tasks if in_window(t, window)])
