"""Reader for the plan as plain text, the seed's format (DESIGN §3).

Every cell starts on a line that begins with a TAB; lines without a TAB continue the cell
(blank lines included: they may be inside a cell); a lone TAB is an empty cell. Rows are
not delimited by blank lines (cells contain them), so a row is found where a cell that is
empty or a section heading is followed by a content cell that starts with a task number.
The table ends at the 抄送/印发 block.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.plan.raw import SECTION_HEADING, TASK_NUMBER, NotAPlan, RawRow, RawTable, header_column

ROW_CELLS = 6
_TABLE_END = re.compile(r"^\s*(抄送|主送|印发|主题词)|印发\s*$")

__all__ = ["NotAPlan", "read_text"]


def _cells(lines: list[str], start: int) -> list[tuple[int, str]]:
    """(line number, raw text) of every cell from ``start`` until the table's end."""
    cells: list[tuple[int, list[str]]] = []
    for index in range(start, len(lines)):
        line = lines[index]
        if line.startswith("\t"):
            cells.append((index + 1, [line[1:]]))
        elif _TABLE_END.search(line):
            break
        elif cells:
            cells[-1][1].append(line)
    return [(number, "\n".join(parts).rstrip()) for number, parts in cells]


def _is_row_start(cells: list[tuple[int, str]], index: int) -> bool:
    if index + 1 >= len(cells):
        return False
    first = cells[index][1].strip()
    return (not first or bool(SECTION_HEADING.match(first))) and bool(
        TASK_NUMBER.match(cells[index + 1][1])
    )


def _header_length(cells: list[tuple[int, str]], index: int) -> int:
    length = 0
    while index + length < len(cells) and header_column(cells[index + length][1]):
        length += 1
    return length if length >= 3 else 0


def read_text(path: Path) -> RawTable:
    """Read a TAB-led text plan into a :class:`RawTable` (header rows included as rows).

    Raises :class:`NotAPlan` when the file has no TAB-led cells or is not UTF-8 text.
    A row whose cells cannot be cut into 6 is passed on marked ``bad`` (reported by line).
    """
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise NotAPlan(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = next((i for i, line in enumerate(lines) if line.startswith("\t")), None)
    if first is None:
        raise NotAPlan(f"{path}: no table found (a plan's cells start with a TAB)")
    cells = _cells(lines, first)
    table = RawTable(source=str(path), preamble="\n".join(lines[:first]))
    index = 0
    while index < len(cells):
        header = _header_length(cells, index)
        if header:
            table.rows.append(RawRow(cells[index][0], [c for _, c in cells[index:index + header]]))
            index += header
            continue
        end = index + 1
        while end < len(cells) and not _is_row_start(cells, end) and not _header_length(cells, end):
            end += 1
        table.rows.extend(_rows(cells[index:end]))
        index = end
    return table


def _rows(span: list[tuple[int, str]]) -> list[RawRow]:
    """Cut a run of cells into rows of 6. A run of 12, 18… whose every 6th cell is empty or a
    section heading is several rows one of which lost its task number ("全面推进…" without
    "1."); anything else is one bad row, passed on so the rules can report it by line."""
    whole = len(span) % ROW_CELLS == 0 and all(
        not span[k][1].strip() or SECTION_HEADING.match(span[k][1].strip())
        for k in range(0, len(span), ROW_CELLS))
    if not whole:
        return [RawRow(span[0][0], [c for _, c in span], [n for n, _ in span], bad=True)]
    return [RawRow(span[k][0], [c for _, c in span[k:k + ROW_CELLS]], [n for n, _ in span[k:k + ROW_CELLS]])
            for k in range(0, len(span), ROW_CELLS)]
