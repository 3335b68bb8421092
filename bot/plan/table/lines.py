"""A table copied as one cell per line (a web page's table, a PDF's text): finding its rows.

Such a copy writes each cell — and each paragraph inside a cell — on a line of its own, often
with blank lines between all of them alike; merged cells appear once. The header is a run of
lines naming columns ("序号 / 民生实事 / 责任单位 / 完成时限"; a label wrapped over two lines,
"目标 / 任务" or "区政府办 / 协管责任人", is joined). Under it each line is placed where it fits
best (:func:`bot.plan.table.fit.fit`), reading on from the last place:

* the next cell of the row (a column skipped on the way is a merged or empty cell);
* the same cell again, for a list (units, people) — likely when the line before ended in a
  separator ("区财政局、⏎区工信局");
* a new row (its first columns may be merged from the row above: "开工建设老年大学。" under
  item 5 starts a row with no 序号);
* a row of its own for a section heading ("一、…") or a footnote (注：…).

A line that fits nowhere is reported, not guessed. The rows read as a text copy of a Word
table: an empty cell may be merged from above (``blank_is_merge``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.plan.document import Cell, Paragraph, Place
from bot.plan.rules.labels import MAX_LABEL, label_role
from bot.plan.rules.numbering import read_label
from bot.plan.table.fit import fit, is_section
from bot.plan.table.header import by_labels, header_roles
from bot.plan.table.rows import TableRow

_LISTS = ("units", "lead_units", "cooperating", "owners", "lead", "supervisors")
_CONTINUES = re.compile(r"[、，,；;]$")
_FOOTNOTE = re.compile(r"^\s*(注|备注|说明|附注|附件|附)\s*[:：\d一二三四五六七八九十]")
_END = re.compile(r"^\s*(抄送|主送|印发|主题词)")


@dataclass
class LineTable:
    """A header found in the lines and the rows under it; ``unread`` lines that fit no cell."""

    labels: list[str]
    roles: list[str | None]
    rows: list[TableRow] = field(default_factory=list)
    unread: list[tuple[Place, str]] = field(default_factory=list)
    start: int = 0  # the index of the header's first paragraph
    short_end: Place | None = None  # the last row stops before the columns the rows above end in


# A line that is a label with its value ("责任单位：县人社局") or a numbered item ("（三）推进重大项目")
# is a prose plan's, not a header cell.
_LABELLED = re.compile(r"[:：]\s*\S")


def _header(texts: list[tuple[int, str]], at: int) -> tuple[list[str], int] | None:
    """The labels of a header starting at ``texts[at]`` and the index after it, or None."""
    labels: list[str] = []
    index = at
    while index < len(texts):
        text = texts[index][1].strip()
        if _LABELLED.search(text) or read_label(text) is not None:
            break
        following = texts[index + 1][1].strip() if index + 1 < len(texts) else ""
        joined = text + following
        # "目标⏎任务", "区政府办⏎协管责任人": a label wrapped over two lines.
        if following and len(joined) <= MAX_LABEL and label_role(joined) and (
                label_role(text) is None or (len(text) <= 2 and len(following) <= 2)):
            labels.append(joined)
            index += 2
        elif len(text) <= MAX_LABEL and label_role(text):
            labels.append(text)
            index += 1
        else:
            break
    if len(labels) >= 3 and header_roles([Cell(label) for label in labels]):
        return labels, index
    return None


def find(paragraphs: list[Paragraph]) -> LineTable | None:
    """The first table laid out one cell per line in ``paragraphs``, or None."""
    texts = [(i, p.text) for i, p in enumerate(paragraphs) if p.text.strip()]
    for at in range(len(texts)):
        found = _header(texts, at)
        if found:
            labels, after = found
            roles = by_labels(header_roles([Cell(label) for label in labels]), labels)
            table = LineTable(labels, roles, start=texts[at][0])
            _Placer(table, paragraphs).run(texts[after:])
            if any(row.cells for row in table.rows):
                return table
    return None


class _Placer:
    """Places lines into the cells of rows, one after another (see the module)."""

    def __init__(self, table: LineTable, paragraphs: list[Paragraph]):
        self.table = table
        self.paragraphs = paragraphs
        self.roles = table.roles
        self.cells: dict[int, list[str]] | None = None  # the current row: column → its lines
        self.places: dict[int, Place] = {}
        self.column = -1
        self.previous = ""

    def close(self) -> None:
        if self.cells:
            width = len(self.roles)
            cells = [Cell("\n\n".join(self.cells.get(c, []))) for c in range(width)]
            first = min(self.places.values(), key=lambda p: p.line or 0)
            places = [self.places.get(c, first) for c in range(width)]
            self.table.rows.append(TableRow(cells, first, places))
        self.cells, self.places, self.column = None, {}, -1

    def single(self, text: str, place: Place) -> None:
        """A row of one text across the table (a section heading, a footnote)."""
        self.close()
        width = len(self.roles)
        self.table.rows.append(TableRow([Cell(text)] + [Cell(text, merged="right")] * (width - 1), place))

    def put(self, column: int, text: str, place: Place, new_row: bool) -> None:
        if new_row or self.cells is None:
            self.close()
            self.cells = {}
        self.cells.setdefault(column, []).append(text)
        self.places.setdefault(column, place)
        self.column = column

    def run(self, texts: list[tuple[int, str]]) -> None:
        index = 0
        while index < len(texts):
            number, raw = texts[index]
            text = raw.strip()
            place = self.paragraphs[number].place
            if _END.match(text):
                break
            header = _header(texts, index)
            if header and [label for label in header[0]] == self.table.labels:
                self.close()  # the header again after a page break
                index = header[1]
                continue
            if is_section(text) or _FOOTNOTE.match(text):
                self.single(text, place)
            else:
                choice = self.choose(text)
                if choice is None:
                    self.table.unread.append((place, text))
                else:
                    self.put(*choice[:1], text, place, choice[1])
            self.previous = text
            index += 1
        self.close()
        self.check_end()

    def check_end(self) -> None:
        """Mark a last row that stops short of the column every row above reaches (a copy cut
        off mid-row): its missing cells would be filled from above, so the report says so."""
        rows = [row for row in self.table.rows if not any(cell.merged for cell in row.cells)]
        ends = [max((c for c, cell in enumerate(row.cells) if cell.text.strip()), default=-1) for row in rows]
        if len(ends) >= 2 and ends[-1] < min(ends[:-1]):
            self.table.short_end = rows[-1].place

    def choose(self, text: str) -> tuple[int, bool] | None:
        """(column, new row?) where ``text`` fits best, or None where it fits nowhere."""
        options: list[tuple[float, int, int, bool]] = []  # (score, preference, column, new row)
        width = len(self.roles)
        if self.cells is not None:
            role = self.roles[self.column]
            if role in _LISTS or (role in ("progress", "remarks") and self.column == width - 1):
                penalty = 0.0 if _CONTINUES.search(self.previous) else 1.0
                options.append((fit(text, role) - penalty, 1, self.column, False))
            for column in range(self.column + 1, width):
                skipped = column - self.column - 1
                options.append((fit(text, self.roles[column]) - skipped, 0, column, False))
        has_content = self.cells is None or any(
            self.roles[c] == "content" for c in self.cells)
        if has_content:
            for column in range(width):
                options.append((fit(text, self.roles[column]) - 0.5 * column - 0.5, 2, column, True))
        options = [o for o in options if o[0] > 0 and self.roles[o[2]] is not None]
        if not options:
            return None
        best = max(options, key=lambda o: (o[0], -o[1], -o[2]))
        return best[2], best[3]
