"""Each task item of a prose plan → :class:`~bot.plan.model.TaskDraft` (DESIGN §3.1 "Prose", "Who", "Deadlines").

An item is one task, or one per owner group when it names two or more ("9.1", "9.2"). Its
content is its text without its annotations, its sub-items (details below the task level)
after it. Its names come from its own annotations (brackets and label lines), then, for a
role it names no one in, from its parents' (a group's 牵头领导 line); a 下同 rule written in a
unit list holds from there on. Its deadline is a written 完成时限, else the latest date in its
sentence whose subject is its owners; the other dates are milestones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.plan.document import Place
from bot.plan.model import ImportProblem, PlanDraft, SectionDraft, TaskDraft
from bot.plan.prose.labels import Annotation, Segment
from bot.plan.prose.levels import refs
from bot.plan.prose.outline import Item, Outline
from bot.plan.prose.owners import ListRule, Parties, count_names, cut_notes, list_rule, read_segment
from bot.plan.rules.deadlines import Deadline, parse_deadline
from bot.plan.rules.milestones import Milestone, find_milestones
from bot.plan.rules.text_deadlines import find_dates

_TRIM = " \t\u3000\u00a0，,；;、"


@dataclass
class _Part:
    """One task of an item: the whole item, or one of its owner groups ("9.1", "9.2")."""

    item: Item
    ref: str
    text: str
    groups: list[Annotation] = field(default_factory=list)


def problem(plan: PlanDraft, code: str, place: Place, ref: str | None = None, value: str = "",
             count: int = 0) -> None:
    plan.problems.append(ImportProblem(code, place.line, ref, value, count, place))


def _roles(group: Annotation) -> set[str]:
    """The roles an annotation group names anyone in (an unlabelled "X牵头" names the lead units)."""
    return {"lead_units" if s.role == "lead_phrase" else s.role for s in group.segments if s.role != "deadline"}


def _parts(item: Item, ref: str) -> list[_Part]:
    """The tasks an item is: one, or one per owner group when it names two or more groups that
    each say who does their part ("…(责任单位:A)，…(责任单位:B)" → "9.1", "9.2"). A group naming
    only roles the groups before it left open completes them: "（牵头单位：A；配合单位：B），每月
    通报，责任人：C" is one task."""
    clusters: list[list[Annotation]] = []
    named: set[str] = set()
    for group in (g for g in item.groups if g.owners):
        if not clusters or _roles(group) & named:
            clusters.append([])
            named = set()
        clusters[-1].append(group)
        named |= _roles(group)
    if len(clusters) < 2:
        return [_Part(item, ref, _without(item.text, 0, len(item.text), item.groups), list(item.groups))]
    parts, start = [], 0
    for number, cluster in enumerate(clusters, start=1):
        last = cluster[-1]
        inside = [g for g in item.groups if start <= g.start <= last.start]
        parts.append(_Part(item, f"{ref}.{number}", _without(item.text, start, last.start, inside[:-1]), inside))
        start = last.end
    rest = [g for g in item.groups if g.start >= start]
    parts[-1].text += _without(item.text, start, len(item.text), rest)
    parts[-1].groups += rest
    return parts


def _without(text: str, start: int, end: int, groups: list[Annotation]) -> str:
    """``text[start:end]`` without ``groups`` (a sentence's end written on both sides of one,
    "建设。（…）。", is kept once)."""
    pieces, cursor = [], start
    for group in groups:
        pieces.append(text[cursor:group.start])
        cursor = group.end
        ended = "".join(pieces).rstrip(" \t\u3000")[-1:]
        if ended and ended in "。；;" and text[cursor:cursor + 1] == ended:
            cursor += 1
        elif ended in ("", "。", "；", ";") and text[cursor:cursor + 1] in ("，", ","):
            cursor += 1  # "……。由X牵头，N月底前完成。" reads on as "……。N月底前完成。"
    pieces.append(text[cursor:end])
    return "".join(pieces)


def _content(part: _Part) -> str:
    """The task's text without its annotations, led by no separator; its sub-items (details
    below the task level) follow with their numbers."""
    details = "".join(_without_groups(d) for d in part.item.descendants())
    return (part.text.lstrip(_TRIM).rstrip(" \t\u3000") + details).strip(" \t\u3000")


def _without_groups(item: Item) -> str:
    text = _without(item.text, 0, len(item.text), item.groups)
    return item.label.text.strip(" \t\u3000") + text.strip(" \t\u3000")


def _inherited(item: Item) -> list[Segment]:
    """The segments an item's ancestors' annotations give (a section's 牵头领导 line)."""
    found: list[Segment] = []
    for ancestor in item.ancestors():
        for group in ancestor.groups:
            found.extend(group.segments)
        for line, _ in ancestor.lines:
            found.extend(line.segments)
    return found


def _rule_start(parts: list[_Part]) -> tuple[int, ListRule | None]:
    """Where a 下同 rule starts to hold, and the rule. A rule written at the first unit list of
    more than one name holds for the single-name lists before it too (the plan states it where
    it first matters: 08 writes it at item 4, its first list of several units)."""
    seen_many = False
    for index, part in enumerate(parts):
        for segment in _own_segments(part):
            if segment.role != "units":
                continue
            value, notes = cut_notes(segment.value)
            for note in notes:
                rule = list_rule(note)
                if rule is not None and rule.below:
                    return (index if seen_many else 0), rule
            seen_many = seen_many or count_names(value) > 1
    return len(parts), None


def _own_segments(part: _Part) -> list[Segment]:
    found = [s for g in part.groups for s in g.segments]
    for line, _ in part.item.lines:
        found.extend(line.segments)
    return found


def read_tasks(plan: PlanDraft, outline: Outline, tasks: list[Item]) -> None:
    """Append to ``plan`` a :class:`TaskDraft` for each of ``tasks`` (or each of its owner groups),
    their sections, and the problems met (a ref written twice, a bracket left open, a name cut
    off, a deadline that does not parse), each with its place."""
    ref_of = refs(outline.items, tasks)
    parts = [p for task in tasks for p in _parts(task, ref_of[id(task)])]
    rule_from, rule = _rule_start(parts)
    sections: dict[int, SectionDraft] = {}
    seen: set[str] = set()
    for index, part in enumerate(parts):
        item = part.item
        content = _content(part)
        if part.ref in seen:
            problem(plan, "duplicate_ref", item.place, part.ref, content[:30])
            continue
        seen.add(part.ref)
        for group in part.groups:
            if not group.closed:
                problem(plan, "unclosed_annotation", item.place, part.ref, item.text[group.start:][:30])
        parties, deadline_values = _parties(plan, part, rule if index >= rule_from else None)
        deadline, milestones = _deadline(plan, part, content, parties, deadline_values)
        plan.tasks.append(TaskDraft(
            ref=part.ref, section=_section(plan, sections, item), content=content, deadline=deadline,
            lead=parties.lead, owners=parties.owners, units=parties.units, milestones=milestones,
            lead_units=parties.lead_units, cooperating=parties.cooperating, supervisors=parties.supervisors,
            line=item.place.line, place=item.place,
        ))
    _nobody(plan)


def _nobody(plan: PlanDraft) -> None:
    """Warn of each task no one is named for, with its place and first words; when no task
    names anyone (an 工作要点 listing the work only), one warning for the plan says so."""
    alone = [t for t in plan.tasks if not (t.lead or t.lead_units or t.units or t.owners)]
    if alone and len(alone) == len(plan.tasks):
        problem(plan, "prose_nobody_at_all", Place(), count=len(alone))
        return
    for task in alone:
        problem(plan, "prose_nobody", task.place or Place(), task.ref, task.content[:20])


def _section(plan: PlanDraft, sections: dict[int, SectionDraft], item: Item) -> int | None:
    ancestors = item.ancestors()
    if not ancestors:
        return None
    root = ancestors[-1]
    if id(root) not in sections:
        section = SectionDraft(len(plan.sections) + 1, root.label.number, root.label.numeral,
                               root.text.strip(" \t\u3000"), root.heading.strip(" \t\u3000"))
        sections[id(root)] = section
        plan.sections.append(section)
    return sections[id(root)].position


def _parties(plan: PlanDraft, part: _Part, rule: ListRule | None) -> tuple[Parties, list[str]]:
    """The names a part's own annotations give, then (for roles it names no one in) its
    ancestors'; and the deadline values written, own first."""
    own, inherited = Parties(), Parties()
    deadlines: list[str] = []
    for target, segments in ((own, _own_segments(part)), (inherited, _inherited(part.item))):
        for segment in segments:
            if segment.role == "deadline":
                deadlines.append(segment.value)
                continue
            value, notes = cut_notes(segment.value)
            written = next((r for r in map(list_rule, notes) if r is not None), None)
            for note in notes:
                if list_rule(note) is None:
                    problem(plan, "annotation_note", part.item.place, part.ref, note[:40])
            read_segment(Segment(segment.role, segment.label, value), target, written or rule)
    for role in inherited.roles() - own.roles():
        own.add(role, getattr(inherited, role))
    for role in sorted(own.roles()):
        kept = [name for name in getattr(own, role) if len(name) > 1]
        for name in getattr(own, role):
            if len(name) <= 1:
                problem(plan, "name_cut", part.item.place, part.ref, name)
        setattr(own, role, kept)
    return own, deadlines


def _deadline(plan: PlanDraft, part: _Part, content: str, parties: Parties,
              written: list[str]) -> tuple[Deadline, list[Milestone]]:
    """The task's deadline (a written 完成时限 first, else the latest date in its sentence that is
    its owners'), and its milestones: each other date in its sentence (with its clause: "第二季度
    开展督查"), each period of a written schedule, and event dates ("5.30")."""
    year = plan.year
    place = part.item.place
    milestones: list[Milestone] = []
    deadline = Deadline("", None)
    for value in written:
        read = parse_deadline(value, year)
        if not deadline.text:
            deadline = read
        milestones.extend(read.schedule)
        if value.strip() and read.due is None:
            problem(plan, read.problem or "deadline_unparsed", place, part.ref, read.text)
    owners = [*parties.lead, *parties.lead_units, *parties.units, *parties.owners]
    found = find_dates(content, year, owners)
    for phrase in found:
        if phrase.due is None:
            problem(plan, "deadline_unparsed", place, part.ref, phrase.text)
    own = [p for p in found if p.actor is None and p.due is not None]
    if not deadline.text and not own:
        deadline = _ongoing_clause(content, year) or deadline
        milestones.extend(deadline.schedule)  # a recurring clause: each period's end
    if not deadline.text and own:
        latest = max(own, key=lambda p: p.due)
        deadline = Deadline(latest.text, latest.due)
    elif not deadline.text and any(p.actor is None for p in found):
        deadline = Deadline(next(p.text for p in found if p.actor is None), None)
    for phrase in found:
        if phrase.due is None or phrase.due == deadline.due:
            continue
        clause = phrase.clause if phrase.actor is None else phrase.clause[phrase.clause.find(phrase.actor):]
        milestones.append(Milestone(phrase.due, clause))
    for event in find_milestones(content, year):
        if not any(event.text in phrase.text for phrase in found):  # "1月10日" of "1月10日前"
            milestones.append(event)
    unique: dict = {}
    for milestone in sorted(milestones, key=lambda m: m.date):
        unique.setdefault(milestone.date, milestone)
    return deadline, list(unique.values())


_CLAUSE = re.compile(r"[^，,。；;：:（()）]+")


def _ongoing_clause(content: str, year: int) -> Deadline | None:
    """A clause of its own that is a 全年开展-like phrase ("……，全年开展。"), read as a 完成时限
    cell is; a phrase inside a clause ("持续推进…建设") is the task's verb, not its deadline."""
    for clause in _CLAUSE.findall(content):
        read = parse_deadline(clause.strip(" \t\u3000"), year)
        if read.ongoing:
            return read
    return None
