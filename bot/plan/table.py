"""Raw table → :class:`PlanDraft`: the plan rules of DESIGN §3, for every reader.

* the header row (repeated on every page) names the columns; the text format's header
  has one cell fewer than its rows (工作内容 spans the section column and the content);
* an empty cell is a vertically merged cell: it takes the value above, within its section;
* 责任人/单位: a blank line separates entries, a single line break is a soft wrap; entries
  split on 、，,；; outside brackets; names lose every blank ("林  丽" = 林丽);
* task numbers "1." "6、" "2. " become integers; ref = section number . task number;
* the plan year comes from the title, else the issue date; ``year`` overrides.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date

import cn2an

from bot.plan.deadlines import parse_deadline
from bot.plan.milestones import find_milestones
from bot.plan.model import ImportProblem, PlanDraft, SectionDraft, TaskDraft
from bot.plan.raw import SECTION_HEADING, TASK_NUMBER, RawRow, RawTable, header_column
from bot.text import join_wrapped, paragraphs, split_entries


class PlanError(ValueError):
    """The file cannot be imported at all (not a plan, no year). Nothing is written."""


DEFAULT_COLUMNS = ["section", "content", "deadline", "lead", "owners", "units"]
_FILLED_DOWN = ("deadline", "lead", "owners", "units")
_MISSING = {"deadline": "no_deadline", "lead": "no_lead", "owners": "no_owner", "units": "no_units"}

_TITLE = re.compile(r"^\s*([^《》\s]*?(\d{4})年度?(工作要点|重点工作任务分解表|重点工作任务|工作任务分解表))\s*$")
_ISSUED = re.compile(r"^\s*(\d{4})年(\d{1,2})月(\d{1,2})日\s*$")


def _names(cell: str) -> list[str]:
    names: list[str] = []
    for paragraph in paragraphs(cell):
        for name in split_entries(paragraph):
            if name not in names:
                names.append(name)
    return names


def _header(row: RawRow) -> list[str] | None:
    columns = [header_column(cell) for cell in row.cells]
    if sum(1 for c in columns if c) >= max(3, len(columns) - 1) and all(columns):
        return [c for c in columns if c]
    return None


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


def build_plan(raw: RawTable, year: int | None = None) -> PlanDraft:
    """Apply DESIGN §3 to ``raw``; every problem is kept in ``PlanDraft.problems`` with its line.

    ``year`` (from ``--year``) overrides the year read from the title or issue date.
    Raises :class:`PlanError` when no plan year can be found or no task row is read.
    """
    title, title_year, issued = _plan_facts(raw.preamble)
    plan_year = year or title_year or (issued.year if issued else None)
    if plan_year is None:
        raise PlanError(f"{raw.source}: the plan year is not in its title or issue date; pass --year")
    plan = PlanDraft(
        title=title or f"{plan_year}年工作任务", year=plan_year, issued=issued, source=raw.source
    )
    plan.problems.extend(raw.problems)
    columns: list[str] | None = None
    section: SectionDraft | None = None
    above: dict[str, str] = {}
    last_number = 0
    refs: set[str] = set()
    for row in raw.rows:
        header = _header(row)
        if header:
            columns = header
            continue
        cols = columns or DEFAULT_COLUMNS
        if len(row.cells) == len(cols) + 1 and "section" not in cols:
            cols = ["section", *cols]
        if len(row.cells) != len(cols):
            plan.problems.append(ImportProblem("bad_row", row.line, count=len(row.cells),
                                               value=join_wrapped(row.cells[0])[:30]))
            continue
        cell = dict(zip(cols, row.cells, strict=True))
        heading = join_wrapped(cell.get("section", ""))
        if heading:
            match = SECTION_HEADING.match(heading)
            if match:
                numeral, title_text = match[1], match[2]
                no = int(cn2an.cn2an(numeral, "strict"))
            else:
                no = len(plan.sections) + 1
                numeral, title_text = cn2an.an2cn(no), heading
                plan.problems.append(ImportProblem("bad_section", row.line, value=heading[:30]))
            section = SectionDraft(no, numeral, title_text)
            plan.sections.append(section)
            above, last_number = {}, 0
        content = join_wrapped(cell.get("content", ""))
        if section is None:
            plan.problems.append(ImportProblem("no_section", row.line, value=content[:30]))
            continue
        if not content:
            plan.problems.append(ImportProblem("no_content", row.line))
            continue
        number_match = TASK_NUMBER.match(content)
        written_number = join_wrapped(cell.get("number", "")).rstrip(".、．")
        if number_match:
            number, content = int(number_match[1]), content[number_match.end():].strip()
        elif written_number.isdigit():
            number = int(written_number)
        else:
            number = last_number + 1
            plan.problems.append(ImportProblem("no_number", row.line, f"{section.no}.{number}",
                                               content[:30]))
        last_number = number
        ref = f"{section.no}.{number}"
        if ref in refs:
            plan.problems.append(ImportProblem("duplicate_ref", row.line, ref, content[:30]))
            continue
        refs.add(ref)
        values: dict[str, str] = {}
        for column in _FILLED_DOWN:
            if column not in cols:
                values[column] = ""
                continue
            written = cell[column]
            if written.strip():
                above[column] = written
            values[column] = above.get(column, "")
            if not values[column].strip():
                plan.problems.append(ImportProblem(_MISSING[column], row.line_of(cols.index(column)), ref))
        deadline = parse_deadline(values["deadline"], plan_year)
        if values["deadline"].strip() and deadline.due is None:
            line = row.line_of(cols.index("deadline"))
            plan.problems.append(ImportProblem("deadline_unparsed", line, ref, deadline.text))
        plan.tasks.append(TaskDraft(
            ref=ref, section_no=section.no, number=number, content=content, deadline=deadline,
            lead=_names(values["lead"]), owners=_names(values["owners"]), units=_names(values["units"]),
            milestones=find_milestones(content, plan_year), line=row.line,
        ))
    if not plan.tasks:
        raise PlanError(f"{raw.source}: no task rows found (is this a 重点工作任务分解表?)")
    return plan
