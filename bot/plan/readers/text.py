"""Reader for a plan as plain text (.txt, pasted text): the shapes people copy out of Word or a web page.

* **TAB-led cells** (the seed, DESIGN §3): every cell starts on a line beginning with a TAB;
  lines without a TAB continue the cell (blank lines too: they may be inside a cell); a lone
  TAB is an empty cell. Rows are not marked, so the cells form one ``flat`` table
  (:class:`~bot.plan.document.Table`) that the interpreter cuts into rows; an empty cell may
  be a vertical merge (``blank_is_merge``). The cells end at the 抄送/印发 block.
* **Rows with separators**: lines whose cells are separated by TABs (a paste from Excel) or
  by ``|`` (a markdown table, or a web page's table rendered with pipes); a run of two or
  more such lines is a table, a markdown rule line (``|---|---|``) is skipped.
* **Anything else**: one paragraph a line, blank lines kept as empty paragraphs — a web copy
  of a table puts one cell per line, and where rows and cells begin is the interpreter's to find.

Lines are numbered from 1 in every :class:`~bot.plan.document.Place`.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.plan.document import Cell, Document, Paragraph, Place, Row, Table
from bot.plan.readers.encoding import decode, lines

_TABLE_END = re.compile(r"^\s*(抄送|主送|印发|主题词)|印发\s*$")
_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")


def read(path: Path) -> Document:
    """Read a text plan. Raises :class:`~bot.plan.errors.PlanError` when the file is not
    UTF-8 (BOM or not), UTF-16 with a BOM (Notepad's "Unicode") or GB18030 text: the same
    detection as .csv (:func:`~bot.plan.readers.encoding.decode`)."""
    all_lines = lines(decode(path.read_bytes(), path))
    document = Document(str(path))
    led = [i for i, line in enumerate(all_lines) if line.startswith("\t")]
    if led and sum("\t" not in all_lines[i][1:] for i in led) >= 0.8 * len(led):
        _tab_led(all_lines, led[0], document)
    else:
        _separated(all_lines, 0, len(all_lines), document)
    return document


def _paragraphs(all_lines: list[str], start: int, end: int, document: Document) -> None:
    for index in range(start, end):
        document.blocks.append(Paragraph(all_lines[index].rstrip(), Place(line=index + 1)))


def _tab_led(all_lines: list[str], first: int, document: Document) -> None:
    _paragraphs(all_lines, 0, first, document)
    cells: list[tuple[int, list[str]]] = []
    end = len(all_lines)
    for index in range(first, len(all_lines)):
        line = all_lines[index]
        if line.startswith("\t"):
            cells.append((index + 1, [line[1:]]))
        elif _TABLE_END.search(line):
            end = index
            break
        else:
            cells[-1][1].append(line)
    rows = [Row([Cell("\n".join(parts).rstrip())], Place(line=number)) for number, parts in cells]
    document.blocks.append(Table(rows, Place(line=first + 1), blank_is_merge=True, flat=True))
    _paragraphs(all_lines, end, len(all_lines), document)


def _cells(line: str, separator: str) -> list[str]:
    parts = [part.strip() for part in line.split(separator)]
    if separator == "|":  # the outer pipes of "| a | b |" open and close the row
        if parts and not parts[0]:
            parts = parts[1:]
        if parts and not parts[-1]:
            parts = parts[:-1]
    return parts


def _separator(line: str) -> str | None:
    if "\t" in line.strip("\t "):
        return "\t"
    return "|" if "|" in line else None


def _separated(all_lines: list[str], start: int, end: int, document: Document) -> None:
    """Runs of two or more lines with one separator are tables; every other line a paragraph."""
    index = start
    while index < end:
        separator = _separator(all_lines[index])
        run = index
        while run < end and all_lines[run].strip() and _separator(all_lines[run]) == separator and separator:
            run += 1
        if run - index >= 2:
            rows = [Row([Cell(text) for text in _cells(all_lines[i], separator)], Place(line=i + 1))
                    for i in range(index, run) if not _RULE.match(all_lines[i])]
            # A text copy of a table: a vertically merged cell reads as an empty one.
            document.blocks.append(Table(rows, Place(line=index + 1), blank_is_merge=True))
            index = run
        else:
            _paragraphs(all_lines, index, index + 1, document)
            index += 1
