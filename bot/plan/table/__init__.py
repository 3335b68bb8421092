"""The table interpreter: a document's plan table → :class:`~bot.plan.model.PlanDraft` (DESIGN §3.1 "Tables").

Where the plan table is:

* a Word, web or PDF document: the first table with a header row; a later table is part of
  it when it has a header of its own (read by it) or the same width (the table continued on
  the next page); a table above it (a letterhead) counts as text above it; any other table
  is reported, not read;
* a workbook: every visible sheet with a header row and a task row under it; failing that a
  hidden one (a template with the header alone, or an old version kept hidden, is not the plan);
* a text copy: the seed's TAB-led cells (:mod:`.flat`), rows with separators (as a table), one
  cell per line (:mod:`.lines`), or cells run together (:mod:`.glued`), in that order.

The text above the plan table gives its title, year and issue date (:mod:`.facts`); the rows
are read by :mod:`.walk`. A document with no plan table raises :class:`NoPlanTable` (the
caller then tries the prose interpreter).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import PurePath

from bot.plan.document import Cell, Document, Paragraph, Table
from bot.plan.errors import PlanError
from bot.plan.model import ImportProblem, PlanDraft
from bot.plan.readers.excel import MAX_ROWS
from bot.plan.rules.labels import MAX_LABEL, label_role
from bot.plan.rules.numbering import read_label
from bot.plan.table import flat, glued, lines
from bot.plan.table.facts import plan_year
from bot.plan.table.header import Columns, fits, header_roles, settle, two_row_header
from bot.plan.table.rows import Segment, TableRow
from bot.plan.table.walk import Walk
from bot.text import join_wrapped, strip_blank, xml_safe

__all__ = ["NoPlanTable", "interpret", "plan_words"]


def plan_words():
    """``bot/templates/plan_words.j2`` as a module: the names the importer makes up."""
    from bot.render import words

    return words("plan_words.j2")


class NoPlanTable(LookupError):
    """The document has no table a plan's header names. ``seen``: the header words found in it
    (to say what it has); ``expected``: what a header must name."""

    def __init__(self, seen: list[str]):
        self.seen = seen
        self.expected = str(plan_words().expected_header())
        super().__init__("no plan table")


def interpret(document: Document, year: int | None = None) -> PlanDraft:
    """Read the plan table of ``document`` for ``year`` (None: from its title, issue date or header).

    Raises :class:`NoPlanTable` when no table has a header naming a plan's columns, and
    :class:`PlanError` when one does but no task row is under it ("no_tasks"), it is far
    bigger than a plan, or no plan year can be found.
    """
    found = _segments(document)
    if found is None:
        raise NoPlanTable(_seen(document))
    segments, before, problems = found
    rows = sum(len(segment.rows) + 1 for segment in segments)  # each with its header row
    if rows > MAX_ROWS:
        raise PlanError("table_rows", document.source, rows=f"{rows:,}", limit=f"{MAX_ROWS:,}")
    header = [label for segment in segments[:1] for label in segment.columns.labels]
    title, chosen, issued = plan_year(document.source, before, header, year)
    plan = PlanDraft(title=title or str(plan_words().untitled(chosen, PurePath(document.source).name)),
                     year=chosen, issued=issued, source=document.source, titled=title is not None)
    used = {segment.sheet for segment in segments}
    plan.problems += [replace(p, value=xml_safe(p.value)) for p in document.problems
                      if p.place is None or p.place.sheet is None or p.place.sheet in used]
    plan.labels = header_labels(segments[0].columns)
    walk = Walk(plan, _numbered(segments))
    for segment in segments:
        walk.segment(segment)
    walk.finish()
    by_place = {task.place: task.ref for task in plan.tasks}
    plan.problems += [replace(p, ref=by_place.get(p.place)) if p.code == "last_row_short" else p for p in problems]
    if not plan.tasks:
        raise PlanError("no_tasks", document.source)
    return plan


def header_labels(columns: Columns) -> dict[str, str]:
    """Each column role's label as the header writes it, blanks dropped ("完成 时间" → "完成时间");
    the first column of a role names it. Roles the plan reads but does not label stay out."""
    labels: dict[str, str] = {}
    for role, label in zip(columns.roles, columns.labels, strict=False):
        written = strip_blank(join_wrapped(label))
        if role and written and role not in labels:
            labels[role] = written
    return labels


# Finding the plan table -------------------------------------------------------------------------

def _segments(document: Document) -> tuple[list[Segment], list[str], list[ImportProblem]] | None:
    """(segments of the plan table, the text lines above it, problems of what was not read), or None."""
    sheets = [b for b in document.tables if b.place.sheet is not None and not b.flat]
    if sheets:
        return _workbook(sheets)
    before: list[str] = []
    segments: list[Segment] = []
    problems: list[ImportProblem] = []
    width: int | None = None
    columns: Columns | None = None
    number = 0
    for block in document.blocks:
        if isinstance(block, Paragraph):
            if not segments:
                before.append(block.text)
            continue
        number += 1
        if block.flat:
            parts = _flat(block, number)
            if parts:
                segments += parts
                columns, width = parts[-1].columns, parts[-1].columns.width
            continue
        read = _explicit(block, number, columns if block.width == width else None)
        if read is not None:
            above, parts = read
            if not segments:
                before += above
            segments += parts
            columns, width = parts[-1].columns, block.width
        elif columns is not None and block.width == width:
            segments.append(Segment(columns, _rows(block.rows), block.blank_is_merge, number))
        elif not segments:
            before += [line for row in block.rows for line in _row_texts(row.cells)]
        elif any(_row_texts(row.cells) for row in block.rows):
            text = " ".join(line for row in block.rows for line in _row_texts(row.cells))
            problems.append(ImportProblem("table_not_read", None, None, join_wrapped(text)[:30], number,
                                          block.place))
    if segments:
        return segments, before, problems
    return _in_paragraphs(document.paragraphs)


def _row_texts(cells: Sequence[Cell]) -> list[str]:
    """The distinct non-blank texts of a row, in order (a merged title is read once)."""
    return list(dict.fromkeys(cell.text.strip() for cell in cells if cell.text.strip()))


def _rows(rows) -> list[TableRow]:
    return [TableRow(list(row.cells), row.place, problem=row.problem) for row in rows]


def _header_at(table: Table) -> tuple[int, list[str | None], int] | None:
    """(index of the header row, its roles, the index of the first row under it) or None."""
    for index, row in enumerate(table.rows):
        roles = header_roles(row.cells)
        if roles is None:
            continue
        after = index + 1
        if after < len(table.rows):
            both = two_row_header(roles, table.rows[after].cells)
            if both is not None:
                return index, both, after + 1
        return index, roles, after
    return None


MAX_SHIFT = 3  # the unlabeled columns a header may leave at its rows' left


def _columns(roles: list[str | None], labels: list[str], rows: list[TableRow]) -> Columns:
    """The settled columns of a header over ``rows``, the header shifted right over rows wider
    than it where the rows' values fit that better (an unlabeled 序号 column at the left)."""
    data = [row.cells for row in rows[:40] if row.problem is None]
    width = max((len(cells) for cells in data), default=len(roles))
    best = settle(roles, labels, data)
    # A header sits over its rows or a few columns right of where it is written (unlabeled 序号 or
    # category columns at the left): trying every shift made a wide row cost width² settles.
    for shift in range(1, min(width - len(roles), MAX_SHIFT) + 1):
        shifted = settle([None] * shift + roles, [""] * shift + labels, data)
        if fits(shifted, data) > fits(best, data):
            best = shifted
    return best


def _explicit(table: Table, number: int, going: Columns | None = None) -> tuple[list[str], list[Segment]] | None:
    """The text above a table's header and its segments (a header met again with other
    columns starts a new one), or None when no row is a header. ``going``: the columns of the
    plan table this one may continue (same width): rows above its header are then the plan's."""
    found = _header_at(table)
    if found is None:
        return None
    index, roles, first = found
    segments: list[Segment] = []
    above: list[str] = []
    if going is not None and index:
        segments.append(Segment(going, _rows(table.rows[:index]), table.blank_is_merge, number, table.place.sheet))
    else:
        above = [line for row in table.rows[:index] for line in _row_texts(row.cells)]
    if table.name:
        above.append(table.name)
    labels = [join_wrapped(cell.text) for cell in table.rows[index].cells]
    start = first
    blank = table.blank_is_merge
    for at in range(first, len(table.rows) + 1):
        again = header_roles(table.rows[at].cells) if at < len(table.rows) else None
        if at == len(table.rows) or (again is not None and again != roles):
            rows = _rows(table.rows[start:at])
            segments.append(Segment(_columns(roles, labels, rows), rows, blank, number, table.place.sheet))
            if at < len(table.rows):
                roles, labels, start = again, [join_wrapped(c.text) for c in table.rows[at].cells], at + 1
    return above, segments


def _has_task(segments: list[Segment]) -> bool:
    """Whether a row under a header has a task's content (not only section headings and blanks)."""
    for segment in segments:
        indexes = [i for i, role in enumerate(segment.columns.roles) if role == "content"]
        for row in segment.rows:
            texts = {join_wrapped(row.cells[i].text) for i in indexes if i < len(row.cells)}
            if any(text and not (read_label(text) and read_label(text).style in ("chinese", "part"))
                   and not segment.columns.same([text]) for text in texts):
                return True
    return False


def _workbook(sheets: list[Table]) -> tuple[list[Segment], list[str], list[ImportProblem]] | None:
    read = [(sheet, _explicit(sheet, number)) for number, sheet in enumerate(sheets, 1)]
    read = [(sheet, found) for sheet, found in read if found is not None]
    if not read:
        return None
    with_tasks = [(sheet, found) for sheet, found in read if _has_task(found[1])]
    chosen = [item for item in with_tasks if not item[0].hidden] or with_tasks[:1] or read[:1]
    segments = [segment for _, (_, parts) in chosen for segment in parts]
    return segments, chosen[0][1][0], []


def _flat(table: Table, number: int) -> list[Segment]:
    segments = []
    settled: dict[tuple[str, ...], Columns] = {}  # the header repeated on every page is settled once
    for labels, rows in flat.cut(table):
        roles = header_roles([Cell(label) for label in labels]) if labels else None
        if roles is None:
            continue
        key = tuple(labels)
        if key not in settled:
            settled[key] = _columns(roles, [join_wrapped(label) for label in labels], rows)
        segments.append(Segment(settled[key], rows, True, number))
    return segments


def _in_paragraphs(paragraphs: list[Paragraph]) -> tuple[list[Segment], list[str], list[ImportProblem]] | None:
    """A table laid out one cell per line, else one whose cells a copy ran together."""
    found = lines.find(paragraphs)
    if found is not None:
        columns = _columns(found.roles, found.labels, found.rows)
        problems = [ImportProblem("line_not_read", place.line, None, xml_safe(text)[:30], place=place)
                    for place, text in found.unread]
        if found.short_end is not None:
            problems.append(ImportProblem("last_row_short", found.short_end.line, None, place=found.short_end))
        before = [p.text for p in paragraphs[:found.start]]
        return [Segment(columns, found.rows, True)], before, problems
    run = glued.find(paragraphs)
    if run is not None:
        columns = Columns(["number", "content"], ["序号", "".join(run.labels)])
        problems = []
        if run.before:
            place, text = run.before
            problems.append(ImportProblem("glued_before", place.line, None, xml_safe(text)[:30], place=place))
        holder = paragraphs[run.start].text
        before = [p.text for p in paragraphs[:run.start]] + [holder[:holder.find(run.labels[0])]]
        return [Segment(columns, run.rows, False)], before, problems
    return None


def _numbered(segments: list[Segment]) -> bool:
    """Whether the plan numbers its tasks: a 序号 column, or contents led by "1." / "6、"."""
    for segment in segments:
        if "number" in segment.columns.roles:
            return True
        indexes = [i for i, role in enumerate(segment.columns.roles) if role == "content"]
        for row in segment.rows:
            cells = row.cells if row.problem is None else []
            if any(i < len(cells) and (label := read_label(cells[i].text)) and label.style == "arabic"
                   for i in indexes):
                return True
            if row.problem == "bad_row":
                return True
    return False


def _seen(document: Document) -> list[str]:
    """The header words in ``document`` (cells and short lines that name a column, and header
    words run together in a longer line), up to 12."""
    texts = [cell.text for table in document.tables for row in table.rows[:50] for cell in row.cells]
    texts += [p.text for p in document.paragraphs]
    words: list[str] = []
    for text in (join_wrapped(t) for t in texts):
        if len(text) <= MAX_LABEL and label_role(text):
            words.append(text)
        else:
            words += glued.header_words(text)
    return list(dict.fromkeys(words))[:12]

