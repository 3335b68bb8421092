"""Cutting the seed's TAB-led cells into rows (DESIGN §3: "rows must be delimited by counting cells").

The cells come one after another; blank lines occur inside cells, so they say nothing about
rows. A header (a run of cells naming columns) may come back on every page. Under it, a row
starts where its first cell is empty or a section heading and the next cell is a task's
content led by its number ("1." "6、"): so rows are found. Their width W is the header's, plus
one where rows start with a section cell the header does not label (the seed's 工作内容 spans
the section column). A run of cells between two starts that is W long is a row; k×W long, with
every W-th cell empty or a heading, k rows (one lost its number); anything else is one
``bad_row``, reported by line. Without such starts the cells are cut by the header's width.
"""

from __future__ import annotations

import itertools
from collections import Counter

from bot.plan.document import Cell, Place, Table
from bot.plan.rules.labels import label_role
from bot.plan.rules.numbering import read_label, task_number
from bot.plan.table.fit import is_section
from bot.plan.table.rows import TableRow

Run = list[tuple[Place, str]]


def header_length(cells: Run, index: int) -> int:
    """The number of cells from ``index`` that name columns (0 when fewer than 3 do)."""
    length = 0
    while index + length < len(cells) and 0 < len(cells[index + length][1].strip()) <= 20 \
            and label_role(cells[index + length][1]):
        length += 1
    return length if length >= 3 else 0


def _led_by_number(text: str) -> bool:
    label = read_label(text)
    return bool(label and label.style == "arabic")


def _starts(cells: Run) -> list[int]:
    return [i for i in range(len(cells) - 1)
            if (not cells[i][1].strip() or is_section(cells[i][1])) and _led_by_number(cells[i + 1][1])]


def cut(table: Table) -> list[tuple[list[str], list[TableRow]]]:
    """The header runs of a flat table, each with the rows under it: [(labels, rows)].
    Cells before the first header are rows of no header (an empty label list)."""
    cells: Run = [(row.place, row.cells[0].text if row.cells else "") for row in table.rows]
    parts: list[tuple[list[str], Run]] = []
    index = 0
    current: tuple[list[str], Run] = ([], [])
    while index < len(cells):
        length = header_length(cells, index)
        if length:
            if current[0] or current[1]:
                parts.append(current)
            current = ([text for _, text in cells[index:index + length]], [])
            index += length
            continue
        current[1].append(cells[index])
        index += 1
    if current[0] or current[1]:
        parts.append(current)
    starts = [_starts(run) for _, run in parts]
    width = _width(parts, starts)
    return [(labels, _rows(run, width, found)) for (labels, run), found in zip(parts, starts, strict=True)]


def _width(parts: list[tuple[list[str], Run]], starts: list[list[int]]) -> int:
    """The cells a row has: the header's, plus the section column it does not label when rows
    start with a section cell before the numbered content (the seed's 工作内容 spans both);
    without a header, the usual distance between two row starts."""
    labels = next((labels for labels, _ in parts if labels), [])
    if labels:
        roles = [label_role(label) for label in labels]
        content = roles.index("content") if "content" in roles else 0
        led = any(starts)
        return len(labels) + (1 - content if led and content < 1 else 0)
    distances: Counter[int] = Counter()
    for found in starts:
        distances.update(b - a for a, b in itertools.pairwise(found))
    return distances.most_common(1)[0][0] if distances else 1


def _rows(run: Run, width: int, starts: list[int]) -> list[TableRow]:
    """Cut a run of cells (between headers) into rows of ``width``, ``starts`` its row starts."""
    if not starts:
        starts = [i for i in range(len(run)) if task_number(run[i][1])] or [0]
    if starts[0] != 0:
        starts = [0, *starts]
    rows: list[TableRow] = []
    for a, b in zip(starts, [*starts[1:], len(run)], strict=False):
        rows += _span(run[a:b], width)
    return rows


def _row(span: Run, problem: str | None = None) -> TableRow:
    return TableRow([Cell(text) for _, text in span], span[0][0], [place for place, _ in span], problem)


def _span(span: Run, width: int) -> list[TableRow]:
    if not any(text.strip() for _, text in span):
        return []
    whole = len(span) % width == 0 and all(
        not span[k][1].strip() or is_section(span[k][1]) for k in range(0, len(span), width))
    if not whole:
        return [_row(span, "bad_row")]
    return [_row(span[k:k + width]) for k in range(0, len(span), width)]
