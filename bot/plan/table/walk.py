"""Reading a plan table's rows into tasks (DESIGN §3 and §3.1 "Tables").

Top to bottom, across the segments (tables, pages, repeated headers) of one plan:

* a row repeating the header is skipped; a footnote row (注：/备注/说明/附：) is reported, not a task;
* a section row — "一、…", "第一部分…", "（一）…" alone on its row, a text merged across the
  whole row (also with no task under it), or 一 in the 序号 column with the title beside it;
* a category column (工作任务 beside 具体要求, the seed's section column) is the section when
  the plan has no section rows, else a group inside its section; merged down or written once
  at its first row, it holds until another is written;
* a task row: its content (a leading "3." is its number), its 序号 (rows under one merged
  number share it), its deadline (or, with no deadline column, quarterly targets in its text),
  and who: lead people, lead/responsible/cooperating units ("X牵头，Y配合" in one cell),
  owners, supervisors; progress and remarks as written;
* in a text copy an empty cell is a merged one and takes the value above, within its section;
  where merges are explicit an empty cell stays empty and is reported ("unmerged").

Refs are given at the end (:mod:`bot.plan.table.refs`); problems found before carry the
task they concern and get its ref then.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import cn2an

from bot.plan.document import Cell, Place
from bot.plan.model import ImportProblem, PlanDraft, SectionDraft, TaskDraft
from bot.plan.rules.deadlines import Deadline, find_dated_clauses, find_schedule, parse_deadline
from bot.plan.rules.milestones import find_milestones
from bot.plan.rules.names import Parties, read_parties, split_names
from bot.plan.rules.numbering import read_label, task_number
from bot.plan.table.fit import is_group, is_section
from bot.plan.table.refs import Numbered, assign
from bot.plan.table.rows import Segment, TableRow
from bot.text import brackets_balanced, canon, join_wrapped, paragraphs, xml_safe

_WORDS = re.compile(r"[A-Za-z\u3400-\u9fff]")  # a task's content says something in words
_FOOTNOTE = re.compile(r"^\s*(注|备注|说明|附注|附件|附)\s*[:：\d一二三四五六七八九十（(]")
_FILLED = ("deadline", "lead", "owners", "units", "lead_units", "cooperating", "supervisors")
_MISSING = {"deadline": "no_deadline", "lead": "no_lead", "owners": "no_owner", "units": "no_units",
            "lead_units": "no_lead_units"}
_UNIT_ROLES = ("lead_units", "units", "cooperating")
_NUMERAL = re.compile(r"^\s*([一二三四五六七八九十]{1,3})\s*[、.．]?\s*$")


@dataclass
class _Task:
    """A task row read, before its ref: the draft (ref empty), its numbering, and whether it is
    a task (a row left out — a bad row, one filling from above it — still takes a ref)."""

    draft: TaskDraft
    numbered: Numbered
    keep: bool = True


class Walk:
    """The state of reading a plan's rows: section, group, values above, numbering, problems."""

    def __init__(self, plan: PlanDraft, numbered: bool):
        self.plan = plan
        self.numbered = numbered
        self.section: SectionDraft | None = None
        self.group: tuple[int | None, str] | None = None
        self.category = ""  # the category column's text in force, canonical
        self.section_rows = False  # the plan has section rows (a category is then a group)
        self.above: dict[str, str] = {}
        self.last_number = 0
        self.instances = 0
        self.bad_line: int | None = None  # a bad row above, in this section, that blanks may not fill past
        self.fresh: set[str] = set()  # columns written since that bad row
        self.tasks: list[_Task] = []
        self.pending: list[tuple[int, int]] = []  # (problem index, task index): the problem takes its ref

    # Problems -------------------------------------------------------------------------------------
    def problem(self, code: str, place: Place | None, value: str = "", count: int = 0, *, task: int | None = None):
        """Report ``code`` at ``place``; ``task`` (an index into the tasks read) gives it that task's
        ref once refs are known."""
        line = (place.line or place.row) if place else None
        if task is not None:
            self.pending.append((len(self.plan.problems), task))
        self.plan.problems.append(ImportProblem(code, line, None, xml_safe(value), count, place))

    # Rows -----------------------------------------------------------------------------------------
    def segment(self, segment: Segment) -> None:
        """Read every row of ``segment`` (see the module)."""
        for row in segment.rows:
            self.row(segment, row)

    def row(self, segment: Segment, row: TableRow) -> None:
        """Read one row: skipped (a repeated header), reported (a footnote, a bad row), a section,
        or a task."""
        columns = segment.columns
        if row.problem == "stray_quote":
            return  # the reader has reported it
        if row.problem == "bad_row":
            self._bad(row)
            return
        cells = [_xml_safe(cell) for cell in (row.cells + [Cell("")] * columns.width)[:columns.width]]
        labels = [join_wrapped(cell.text) for cell in cells]
        if columns.same(labels):
            return  # the header again, after a page break
        texts = list(dict.fromkeys(label for label in labels if label))
        if not texts:
            return
        if _FOOTNOTE.match(texts[0]) and (len(texts) == 1 or not self._content(columns, cells)):
            self.problem("footnote", row.place, texts[0][:30])
            return
        heading = _section_row(cells, labels, columns.roles)
        if heading:
            self._section(heading, rows=True)
            return
        values = _by_role(columns.roles, cells)
        if values.get("category", "").strip():
            self._category(join_wrapped(values["category"]))
        group = join_wrapped(values.get("group", ""))
        content = join_wrapped(values.get("content", ""))
        if content and not _WORDS.search(content) and _WORDS.search(group):
            content, group = group, ""  # the measure is a number ("2026"): the task is its group's words
        if group.strip():
            self._group(group)
        if content and not _WORDS.search(content):  # "2", "—", "3.1": a number is no task
            self.problem("content_no_words", row.place, content[:30])
            return
        if not content:
            if any(v.strip() for role, v in values.items() if role not in ("category", "group", "number")):
                self.problem("no_content", row.place)
            return
        self._task(segment, row, cells, values, content)

    def _content(self, columns, cells: list[Cell]) -> str:
        return "".join(cell.text for cell, role in zip(cells, columns.roles, strict=False) if role == "content")

    def _bad(self, row: TableRow) -> None:
        texts = [cell.text for cell in row.cells]
        content = next((t for t in texts if (label := read_label(t)) and label.style == "arabic"), texts[0])
        label = read_label(content)
        number = str(label.number) if label and label.style == "arabic" else None
        if number:
            self.last_number = int(number)
        index = self._record(TaskDraft("", None, "", Deadline("", None)), number, None, keep=False)
        self.problem("bad_row", row.place, join_wrapped(content)[:30], len(texts), task=index if number else None)
        self.bad_line, self.fresh = row.line, set()

    # Sections and groups ---------------------------------------------------------------------------
    def _section(self, heading: str, *, rows: bool) -> None:
        label = read_label(heading)
        if rows:
            self.section_rows = True
            if label and label.style == "bracketed_chinese" and self.section is not None and (
                    self.section.numeral or self.section.no is not None):
                self._group(heading)
                return
        if self.section is not None and canon(heading) == canon(self.section.heading):
            return
        position = len(self.plan.sections) + 1
        if label and isinstance(label.number, int) and label.style in ("chinese", "part", "bracketed_chinese"):
            numeral = re.sub(r"[、.．\s]+$", "", label.written)
            section = SectionDraft(position, label.number, numeral if label.style == "chinese" else "",
                                   label.rest or heading, "" if label.style == "chinese" else heading)
        else:
            section = SectionDraft(position, None, "", heading)
        self.plan.sections.append(section)
        self.section, self.group, self.category = section, None, ""
        self.above, self.last_number, self.bad_line, self.fresh = {}, 0, None, set()

    def _group(self, heading: str) -> None:
        label = read_label(heading)
        number = label.number if label and isinstance(label.number, int) else None
        if self.group is None or canon(self.group[1]) != canon(heading):
            self.group = (number, heading)

    def _category(self, text: str) -> None:
        if canon(text) == self.category:
            return  # merged down, or written again on the next row
        self.category = canon(text)
        if self.section_rows or (is_group(text) and self.section is not None and not is_section(text)):
            self._group(text)
        else:
            self._section(text, rows=False)
            self.category = canon(text)

    def _grouped(self, content: str) -> str:
        """``content`` under the unnumbered group in force as "group：content" ("工伤保险扩面：将…").

        A numbered group ("（一）加强预期引导") lives on in the ref (1.1.1); an unnumbered one — the
        broader of two content columns inside section rows — has nowhere else to go: the store
        keeps sections and contents, and questions search contents, so it heads the content."""
        if self.group is None or self.group[0] is not None:
            return content
        heading = self.group[1].rstrip("：:。；; ")
        if not heading or canon(content).startswith(canon(heading)):
            return content
        return f"{heading}：{content}"

    # Tasks -----------------------------------------------------------------------------------------
    def _record(self, draft: TaskDraft, number: str | None, instance: int | None, *, keep: bool = True) -> int:
        self.tasks.append(_Task(draft, Numbered(self.section, self.group, number, instance), keep))
        return len(self.tasks) - 1

    def _number(self, segment: Segment, cells: list[Cell], content: str) -> tuple[str | None, int | None, str, bool]:
        """(number, instance, content without its number, made up?) of a task row: the number
        before the content ("3."), else its 序号 cell (a merged one: the row above's), else — in
        a numbered plan — the next number, made up and reported."""
        label = read_label(content)
        if label and label.style == "arabic":
            self.last_number = int(label.number)
            self.instances += 1
            return str(label.number), self.instances, label.rest, False
        roles = segment.columns.roles
        if "number" in roles:
            cell = cells[roles.index("number")]
            previous = self.tasks[-1].numbered if self.tasks else None
            merged = cell.merged == "down" or (segment.blank_is_merge and not cell.text.strip())
            if merged and previous is not None and previous.section is self.section and previous.number:
                return previous.number, previous.instance, content, False
            written = task_number(cell.text)
            if written:
                self.instances += 1
                if written.isdigit():
                    self.last_number = int(written)
                return written, self.instances, content, False
        if not self.numbered:
            return None, None, content, False
        self.last_number += 1
        self.instances += 1
        return str(self.last_number), self.instances, content, True

    def _task(self, segment: Segment, row: TableRow, cells: list[Cell], values: dict[str, str], content: str) -> None:
        columns = segment.columns
        number, instance, content, made_up = self._number(segment, cells, content)
        content = self._grouped(content)
        index = self._record(TaskDraft("", self.section.position if self.section else None, content,
                                       Deadline("", None), line=row.line, place=row.place), number, instance)
        if made_up:
            self.problem("no_number", row.place, content[:30], task=index)
        if row.glued:
            self.problem("cells_glued", row.place, content[:30], task=index)
        filled = self._filled(segment, row, values, index)
        if filled is None:
            self.tasks[index].keep = False
            return
        draft = self.tasks[index].draft
        year = self.plan.year
        if "deadline" in columns.roles:
            draft.deadline = parse_deadline(filled.get("deadline", ""), year)
            if draft.deadline.text and draft.deadline.due is None:
                self.problem(draft.deadline.problem or "deadline_unparsed",
                             row.place_of(columns.roles.index("deadline")), draft.deadline.text, task=index)
        else:
            schedule = find_schedule(content, year)
            if schedule:
                draft.deadline = Deadline(schedule.text, schedule.due, False, tuple(schedule.milestones))
        draft.milestones = [*find_milestones(content, year), *find_dated_clauses(content, year),
                            *draft.deadline.schedule]
        draft.lead = self._people(filled.get("lead", ""), row, index)
        draft.owners = self._people(filled.get("owners", ""), row, index)
        draft.supervisors = self._people(filled.get("supervisors", ""), row, index)
        parties = Parties()
        for role in _UNIT_ROLES:
            if filled.get(role, "").strip():
                self._check_brackets(filled[role], row, index)
                parties.add(read_parties(filled[role], role))
        draft.lead_units, draft.units, draft.cooperating = parties.lead_units, parties.units, parties.cooperating
        draft.progress = join_wrapped(values.get("progress", ""))
        draft.remarks = join_wrapped(values.get("remarks", ""))

    def _filled(self, segment: Segment, row: TableRow, values: dict[str, str], index: int) -> dict[str, str] | None:
        """The row's values with blanks filled from above where an empty cell is a merge; None
        (reported) when a blank would be filled from above a bad row."""
        roles = segment.columns.roles
        filled: dict[str, str] = {}
        present = [role for role in _FILLED if role in roles]
        for role in present:
            written = values.get(role, "")
            place = row.place_of(roles.index(role))
            if not segment.blank_is_merge:
                filled[role] = written
                if not written.strip() and role in _MISSING:  # Word/Excel say "merged" with a merge
                    self.problem(_MISSING[role], place, "unmerged", task=index)
                continue
            if written.strip():
                self.above[role] = written
                self.fresh.add(role)
            elif self.bad_line is not None and role not in self.fresh:
                self.problem("after_bad_row", row.place, str(self.bad_line), task=index)
                return None
            filled[role] = self.above.get(role, "")
            if not filled[role].strip() and role in _MISSING:
                self.problem(_MISSING[role], place, task=index)
        if self.fresh >= set(present):
            self.bad_line = None
        return filled

    def _check_brackets(self, cell: str, row: TableRow, index: int) -> None:
        for paragraph in paragraphs(cell):
            if not brackets_balanced(paragraph):
                self.problem("unbalanced_brackets", row.place, paragraph[:30], task=index)

    def _people(self, cell: str, row: TableRow, index: int) -> list[str]:
        if not cell.strip():
            return []
        self._check_brackets(cell, row, index)
        return split_names(cell, units=False)

    # The end ---------------------------------------------------------------------------------------
    def finish(self) -> None:
        """Give every task its ref, report duplicates, put the refs into the problems."""
        refs = assign([task.numbered for task in self.tasks], self.numbered)
        seen: set[str] = set()
        for task, ref in zip(self.tasks, refs, strict=True):
            task.draft.ref = ref
            if task.keep and ref in seen:
                task.keep = False
                self.problem("duplicate_ref", task.draft.place, task.draft.content[:30])
                self.pending.append((len(self.plan.problems) - 1, self.tasks.index(task)))
            seen.add(ref)
        for problem_index, task_index in self.pending:
            problem = self.plan.problems[problem_index]
            self.plan.problems[problem_index] = replace(problem, ref=self.tasks[task_index].draft.ref or None)
        self.plan.tasks = [task.draft for task in self.tasks if task.keep]


def _xml_safe(cell: Cell) -> Cell:
    """``cell`` with what XML cannot carry dropped (a Word line break pasted into a CSV is a line break)."""
    text = xml_safe(cell.text)
    return cell if text == cell.text else replace(cell, text=text)


def _by_role(roles: list[str | None], cells: list[Cell]) -> dict[str, str]:
    """Cells by role; unread columns dropped; two columns of one role are one cell of two
    paragraphs (a value a merge wrote into both is kept once)."""
    values: dict[str, str] = {}
    for role, cell in zip(roles, cells, strict=False):
        if role is None:
            continue
        before = values.get(role, "")
        if not before.strip() or join_wrapped(cell.text) == join_wrapped(before):
            values[role] = cell.text if cell.text.strip() else before
        elif cell.text.strip():
            values[role] = f"{before}\n\n{cell.text}"
    return values


def _section_row(cells: list[Cell], labels: list[str], roles: list[str | None]) -> str | None:
    """The heading of a row that holds only a section, else None (see the module)."""
    texts = list(dict.fromkeys(label for label in labels if label))
    if len(texts) == 1:
        text = texts[0]
        if is_section(text) or is_group(text):
            return text
        across = len(cells) > 1 and all(cell.merged == "right" or join_wrapped(cell.text) == text for cell in cells)
        if across and any(cell.merged == "right" for cell in cells):
            return text
        return None
    if len(texts) == 2 and "number" in roles:
        numeral = _NUMERAL.match(labels[roles.index("number")])
        title = next(t for t in texts if t != labels[roles.index("number")]) if numeral else None
        if numeral and title:
            number = int(cn2an.cn2an(numeral[1], "strict"))
            return f"{cn2an.an2cn(number)}、{title}"
    return None
