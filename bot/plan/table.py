"""Raw table → :class:`PlanDraft`: the plan rules of DESIGN §3, for every reader.

* the header row (repeated on every page) names the columns, in any order; the text
  format's header has one cell fewer than its rows (工作内容 spans the section column and
  the content); two columns of one kind (牵头单位 and 配合单位) are read as one;
* a section is a section column's heading, or a row holding only "一、…" (merged across
  the row, or 一 in the 序号 column and the title beside it);
* in the text format an empty cell is a vertically merged cell: it takes the value above,
  within its section (``RawTable.fill_down``); elsewhere an empty cell is empty;
* 责任人/单位: a blank line separates entries, a single line break is a soft wrap; entries
  split on 、，,；; outside brackets; names lose every blank ("林  丽" = 林丽);
* task numbers "1." "6、" "2. " become integers; ref = section number . task number;
* a control character in a cell (a Word line break pasted into a CSV) is a line break
  (vertical tab, form feed) or dropped, so that every text stored can be written to XML;
* the plan year comes from the title, else the issue date, and is one of 1901-2199;
  ``year`` overrides.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import replace
from datetime import date
from pathlib import PurePath

import cn2an

from bot.plan.model import ImportProblem, PlanDraft, SectionDraft, TaskDraft
from bot.plan.raw import (
    MAX_ROWS,
    SECTION_HEADING,
    TASK_NUMBER,
    WRITTEN_NUMBER,
    RawRow,
    RawTable,
    header_columns,
)
from bot.plan.rules.deadlines import parse_deadline
from bot.plan.rules.milestones import find_milestones
from bot.text import brackets_balanced, canon, join_wrapped, paragraphs, split_entries, xml_safe


class PlanError(ValueError):
    """The file cannot be imported at all (not a plan, no year). Nothing is written."""


DEFAULT_COLUMNS = ["section", "content", "deadline", "lead", "owners", "units"]
_FILLED_DOWN = ("deadline", "lead", "owners", "units")
_MISSING = {"deadline": "no_deadline", "lead": "no_lead", "owners": "no_owner", "units": "no_units"}

# The years a plan may be for: what ``--year`` takes (bot.cli) and what the date arithmetic
# around a plan year (its archive day, a deadline in the next year) can hold.
PLAN_YEARS = range(1901, 2200)
_TITLE = re.compile(r"^\s*([^《》\s]*?(\d{4})年度?(工作要点|重点工作任务分解表|重点工作任务|工作任务分解表))\s*$")
_ISSUED = re.compile(r"^\s*(\d{4})年(\d{1,2})月(\d{1,2})日\s*$")


_NUMERAL = re.compile(r"^\s*([一二三四五六七八九十]{1,3})\s*[、.．]?\s*$")


def _section_row(cells: list[str]) -> str | None:
    """The heading of a row that holds only a section ("一、…" in every cell of a merge, or
    alone; or "一" then the title), else None."""
    texts = list(dict.fromkeys(text for text in (join_wrapped(c) for c in cells) if text))
    if len(texts) == 1 and SECTION_HEADING.match(texts[0]):
        return texts[0]
    numeral = _NUMERAL.match(texts[0]) if len(texts) == 2 else None
    return f"{numeral[1]}、{texts[1]}" if numeral else None


def _plan_facts(preamble: str) -> tuple[str | None, int | None, date | None]:
    title = title_year = issued = None
    for line in preamble.split("\n"):
        match = _TITLE.match(line)
        if match and title is None:
            title, title_year = match[1], int(match[2])
        dated = _ISSUED.match(line)
        if dated and issued is None:
            with contextlib.suppress(ValueError):  # "2020年2月30日" is no issue date
                issued = date(int(dated[1]), int(dated[2]), int(dated[3]))
    return title, title_year, issued


def _check_year(source: str, title: str | None, title_year: int | None, issued: date | None) -> None:
    """Refuse a title or issue-date year outside ``PLAN_YEARS`` ("测试9999年…": the plan's
    archive day, January 31 of the next year, would be past the last date Python has)."""
    if title_year is not None and title_year not in PLAN_YEARS:
        raise PlanError(f"{source}: the year {title_year:04d} in its title {title} is not a plan year "
                        f"({PLAN_YEARS[0]}-{PLAN_YEARS[-1]}); correct the title, or pass --year")
    if title_year is None and issued is not None and issued.year not in PLAN_YEARS:
        raise PlanError(f"{source}: the year {issued.year:04d} of its issue date is not a plan year "
                        f"({PLAN_YEARS[0]}-{PLAN_YEARS[-1]}); correct the date, or pass --year")


def plan_words():
    """``bot/templates/plan_words.j2`` as a module: the names the importer makes up."""
    from bot.render import words

    return words("plan_words.j2")


def build_plan(raw: RawTable, year: int | None = None) -> PlanDraft:
    """Apply DESIGN §3 to ``raw``; every problem is kept in ``PlanDraft.problems`` with its line.

    ``year`` (from ``--year``) overrides the year read from the title or issue date. A row
    the reader could not cut into cells is reported and left out, and so is a later row of
    its section that would fill a blank cell from above it (the value above is not known).
    Raises :class:`PlanError` when the table has more than ``MAX_ROWS`` rows, no plan year can
    be found, the title's (or issue date's) year is not in ``PLAN_YEARS``, or no task row is read.
    """
    if len(raw.rows) > MAX_ROWS:
        raise PlanError(f"{raw.source}: its table has {len(raw.rows):,} rows, which is not a plan (a plan has "
                        f"at most {MAX_ROWS:,}); if the rows below the table are empty, delete them and save")
    # Every cell is made XML-safe once, here, where all readers' rows enter the rules.
    preamble = xml_safe(raw.preamble)
    rows = [replace(row, cells=[xml_safe(cell) for cell in row.cells]) for row in raw.rows]
    title, title_year, issued = _plan_facts(preamble)
    if year is None:
        _check_year(raw.source, title, title_year, issued)
    plan_year = year or title_year or (issued.year if issued else None)
    if plan_year is None:
        raise PlanError(f"{raw.source}: the plan year is not in its title or issue date; pass --year")
    # A made-up title names the file, so that two untitled plans of a year can be told apart.
    plan = PlanDraft(
        title=title or str(plan_words().untitled(plan_year, PurePath(raw.source).name)), year=plan_year, issued=issued,
        source=raw.source, titled=title is not None,
    )
    plan.problems += [replace(problem, value=xml_safe(problem.value)) for problem in raw.problems]
    walk = _Walk(plan, raw.fill_down)
    for row in rows:
        header = header_columns(row.cells)
        if header:
            walk.columns = header
        else:
            walk.row(row)
    if not plan.tasks:
        raise PlanError(f"{raw.source}: no task rows found (is this a 重点工作任务分解表?)")
    return plan


class _Walk:
    """The state of reading a table top to bottom: columns, section, values above, numbering."""

    def __init__(self, plan: PlanDraft, fill_down: bool = True):
        self.plan = plan
        self.fill_down = fill_down
        self.columns: list[str | None] | None = None
        self.section: SectionDraft | None = None
        self.heading = ""  # the current section's heading as written, canonical
        self.above: dict[str, str] = {}
        self.last_number = 0
        self.refs: set[str] = set()
        self.bad_line: int | None = None  # a bad row above, in this section, that blanks may not fill past
        self.fresh: set[str] = set()  # columns written since that bad row

    def problem(self, code: str, line: int | None, ref: str | None = None, value: str = "", count: int = 0):
        self.plan.problems.append(ImportProblem(code, line, ref, value, count))

    def row(self, row: RawRow) -> None:
        if row.problem is not None:
            self.plan.problems.append(replace(row.problem, value=xml_safe(row.problem.value)))
            return
        cols = self.columns or DEFAULT_COLUMNS
        if len(row.cells) == len(cols) + 1 and "section" not in cols:
            cols = ["section", *cols]
        if row.bad or len(row.cells) != len(cols):
            self._bad(row)
            return
        heading = _section_row(row.cells)
        if heading:
            self._section(heading, row.line)
            return
        cell = _by_column(cols, row.cells)
        heading = join_wrapped(cell.get("section", ""))
        if heading:
            self._section(heading, row.line)
        content = join_wrapped(cell.get("content", ""))
        if self.section is None:
            self.problem("no_section", row.line, value=content[:30])
            return
        if not content:
            self.problem("no_content", row.line)
            return
        number, content = self._number(content, cell, row.line)
        ref = f"{self.section.no}.{number}"
        if ref in self.refs:
            self.problem("duplicate_ref", row.line, ref, content[:30])
            return
        self.refs.add(ref)
        values = self._filled(cols, cell, row, ref)
        if values is None:
            return
        deadline = parse_deadline(values["deadline"], self.plan.year)
        if values["deadline"].strip() and deadline.due is None:
            self.problem("deadline_unparsed", row.line_of(cols.index("deadline")), ref, deadline.text)
        self.plan.tasks.append(TaskDraft(
            ref=ref, section=self.section.position, content=content, deadline=deadline,
            lead=self._names(values["lead"], row, ref), owners=self._names(values["owners"], row, ref),
            units=self._names(values["units"], row, ref),
            milestones=find_milestones(content, self.plan.year), line=row.line,
        ))

    def _bad(self, row: RawRow) -> None:
        content = next((c for c in row.cells if TASK_NUMBER.match(c)), row.cells[0] if row.cells else "")
        match = TASK_NUMBER.match(content)
        ref = None
        if match and self.section is not None:
            ref = f"{self.section.no}.{int(match[1])}"
            self.refs.add(ref)
            self.last_number = int(match[1])
        self.problem("bad_row", row.line, ref, join_wrapped(content)[:30], len(row.cells))
        self.bad_line, self.fresh = row.line, set()

    def _section(self, heading: str, line: int) -> None:
        if self.section is not None and canon(heading) == self.heading:
            return  # a section cell merged down the section repeats its heading on every row
        self.heading = canon(heading)
        match = SECTION_HEADING.match(heading)
        if match:
            numeral, title_text = match[1], match[2]
            no = int(cn2an.cn2an(numeral, "strict"))
        else:
            no = len(self.plan.sections) + 1
            numeral, title_text = cn2an.an2cn(no), heading
            self.problem("bad_section", line, value=heading[:30])
        self.section = SectionDraft(len(self.plan.sections) + 1, no, numeral, title_text)
        self.plan.sections.append(self.section)
        self.above, self.last_number, self.bad_line, self.fresh = {}, 0, None, set()

    def _number(self, content: str, cell: dict[str, str], line: int) -> tuple[int, str]:
        match = TASK_NUMBER.match(content)
        written = join_wrapped(cell.get("number", "")).rstrip(".、．")
        if match:
            number, content = int(match[1]), content[match.end():].strip()
        elif WRITTEN_NUMBER.fullmatch(written):  # not isdigit(): "①" and "²" are digits to it
            number = int(written)
        else:
            number = self.last_number + 1
            self.problem("no_number", line, f"{self.section.no}.{number}", content[:30])
        self.last_number = number
        return number, content

    def _filled(self, cols: list[str | None], cell: dict[str, str], row: RawRow, ref: str) -> dict[str, str] | None:
        """The row's values with blanks filled from above; None (reported) when a blank would
        be filled from above a bad row."""
        values: dict[str, str] = {}
        for column in _FILLED_DOWN:
            if column not in cols:
                values[column] = ""
                continue
            written = cell[column]
            if not self.fill_down:
                values[column] = written
                if not written.strip():  # "unmerged": Word/Excel say so with a merge, not a blank
                    self.problem(_MISSING[column], row.line_of(cols.index(column)), ref, "unmerged")
                continue
            if written.strip():
                self.above[column] = written
                self.fresh.add(column)
            elif self.bad_line is not None and column not in self.fresh:
                self.problem("after_bad_row", row.line, ref, str(self.bad_line))
                return None
            values[column] = self.above.get(column, "")
            if not values[column].strip():
                self.problem(_MISSING[column], row.line_of(cols.index(column)), ref)
        if self.fresh >= {c for c in _FILLED_DOWN if c in cols}:
            self.bad_line = None
        return values

    def _names(self, cell: str, row: RawRow, ref: str) -> list[str]:
        names: list[str] = []
        for paragraph in paragraphs(cell):
            balanced = brackets_balanced(paragraph)
            if not balanced:
                self.problem("unbalanced_brackets", row.line, ref, paragraph[:30])
            for name in split_entries(paragraph, brackets=balanced):
                if name not in names:
                    names.append(name)
        return names


def _by_column(cols: list[str | None], cells: list[str]) -> dict[str, str]:
    """Cells by column name; unnamed columns are dropped, and two columns of one kind are one
    cell of two paragraphs (a value a merge wrote into both is kept once)."""
    cell: dict[str, str] = {}
    for column, text in zip(cols, cells, strict=True):
        if column is None:
            continue
        before = cell.get(column, "")
        if not before.strip() or join_wrapped(text) == join_wrapped(before):
            cell[column] = text if text.strip() else before
        elif text.strip():
            cell[column] = f"{before}\n\n{text}"
    return cell
