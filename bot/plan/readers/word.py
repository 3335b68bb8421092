"""Reader for a Word .docx (python-docx; DESIGN §3.1).

The body in reading order: each paragraph (its style, its outline level where a heading
style or ``w:outlineLvl`` gives one, the label Word's automatic numbering draws before it:
:mod:`bot.plan.readers.word_numbering`) and each table on its layout grid. A vertically merged
cell (``w:vMerge``) is read into every row it spans and a horizontally merged one
(``w:gridSpan``) into every column, marked "down"/"right" where repeated; rows that start
late or end early (``w:gridBefore``/``w:gridAfter``) are padded with empty cells. Inside a
cell a paragraph break separates entries ("\\n\\n") and a line break (Shift+Enter) only
wraps ("\\n"). Table rows are numbered from 1 in each table, the header included.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.plan.document import Cell, Document, Paragraph, Place, Row, Table
from bot.plan.errors import PlanError
from bot.plan.readers.package import check_package
from bot.plan.readers.word_numbering import Numbering

_HEADING = re.compile(r"(?:heading|标题)\s*(\d)", re.I)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read(path: Path) -> Document:
    """Read a Word plan. Raises :class:`PlanError` when the file is not an intact .docx
    (password-protected, an old .doc renamed, damaged)."""
    import docx  # here, not at the top: every command would pay 50 ms for it
    from docx.table import Table as WordTable

    check_package(path, ".docx")
    try:
        word = docx.Document(str(path))
        numbering = Numbering(word)
        document = Document(str(path))
        tables = paragraphs = 0
        for block in word.iter_inner_content():
            if isinstance(block, WordTable):
                tables += 1
                document.blocks.append(_table(block, tables))
            else:
                paragraphs += 1
                document.blocks.append(_paragraph(block, paragraphs, numbering))
    except Exception as error:  # a damaged part fails anywhere inside python-docx or lxml
        raise PlanError("unreadable", path, kind=".docx", detail=f"{type(error).__name__}: {error}") from None
    return document


def _paragraph(paragraph, number: int, numbering: Numbering) -> Paragraph:
    style = paragraph.style.name if paragraph.style is not None else None
    level = None
    heading = _HEADING.search(style or "")
    if heading:
        level = int(heading[1])
    outline = paragraph._p.find(f"{_W}pPr/{_W}outlineLvl")
    if outline is not None and outline.get(f"{_W}val", "").isdigit() and int(outline.get(f"{_W}val")) < 9:
        level = int(outline.get(f"{_W}val")) + 1
    return Paragraph(paragraph.text, Place(paragraph=number), level=level, numbering=numbering.label(paragraph),
                     style=style)


def _cell_text(tc, table) -> str:
    from docx.table import _Cell

    return "\n\n".join(p.text for p in _Cell(tc, table).paragraphs).strip("\n")


def _table(table, number: int) -> Table:
    """The table on its layout grid, merges read into every position they cover."""
    grid: list[list[Cell]] = []
    for tr in table._tbl.tr_lst:
        cells = [Cell("") for _ in range(tr.grid_before)]
        for tc in tr.tc_lst:
            offset = len(cells)
            if tc.vMerge == "continue":
                above = grid[-1] if grid else []
                text = above[offset].text if offset < len(above) else ""
                first = Cell(text, merged="down" if offset < len(above) else None, colspan=tc.grid_span)
            else:
                first = Cell(_cell_text(tc, table), colspan=tc.grid_span)
            cells.append(first)
            cells += [Cell(first.text, merged=first.merged or "right") for _ in range(tc.grid_span - 1)]
        grid.append(cells + [Cell("") for _ in range(tr.grid_after)])
    rows = []
    for r, cells in enumerate(grid):
        spanned = []
        for c, cell in enumerate(cells):
            if cell.merged is None:
                span = 1
                while r + span < len(grid) and c < len(grid[r + span]) and grid[r + span][c].merged == "down":
                    span += 1
                cell = Cell(cell.text, None, span, cell.colspan)
            spanned.append(cell)
        rows.append(Row(spanned, Place(table=number, row=r + 1)))
    return Table(rows, Place(table=number))
