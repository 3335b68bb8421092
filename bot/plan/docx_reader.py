"""Reader for a plan as a Word .docx table (python-docx; DESIGN §3, issue 7).

The plan is the first table with a row that names the columns; a later table is part of
it when it names them again (a header repeated on the next page is skipped by the rules; a
header of other columns, 备注 first, is read as that table's own) or has the same number of
columns (the table continued). Tables before it (a letterhead) are not read, except that
text above the plan, in paragraphs or such tables, is its preamble (title, year, issue
date); a later table that is neither is not read either, and the import report says so.

Cells are read on the layout grid: a vertically merged cell (``w:vMerge``) gives its
value to every row it spans, a horizontally merged one (``w:gridSpan``) to every column.
Inside a cell a paragraph break separates entries (a blank line in the raw text) and a
line break (Shift+Enter) only wraps (a single line break).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from bot.plan.grid import LOOKED_FOR, grid_table, header_index, row_lines
from bot.plan.model import ImportProblem
from bot.plan.office import check_package
from bot.plan.raw import NotAPlan, RawTable
from bot.text import join_wrapped

if TYPE_CHECKING:
    from docx.table import Table


def _cell_text(tc, table: Table) -> str:
    from docx.table import _Cell

    return "\n\n".join(p.text for p in _Cell(tc, table).paragraphs).strip("\n")


def table_grid(table: Table) -> list[list[str]]:
    """The text of every cell of ``table`` on its layout grid, merges filled.

    Rows that start late or end early (``w:gridBefore``/``w:gridAfter``) are padded with
    empty cells; a vertical merge whose top is missing reads as empty.
    """
    grid: list[list[str]] = []
    for tr in table._tbl.tr_lst:
        cells = [""] * tr.grid_before
        for tc in tr.tc_lst:
            offset = len(cells)
            if tc.vMerge == "continue":
                above = grid[-1] if grid else []
                text = above[offset] if offset < len(above) else ""
            else:
                text = _cell_text(tc, table)
            cells += [text] * tc.grid_span
        grid.append(cells + [""] * tr.grid_after)
    return grid


def read_docx(path: Path) -> RawTable:
    """Read a Word plan into a :class:`RawTable` (header rows included as rows, no fill-down).

    Raises :class:`NotAPlan` when the file is not an intact .docx (password-protected,
    an old .doc, damaged), has no table, or no table with a header row. Row numbers count
    the plan's table rows from 1, header rows included, as a reader of the document would.
    """
    import docx  # here, not at the top: every command would pay 50 ms for it
    from docx.table import Table

    check_package(path, ".docx")
    try:
        document = docx.Document(str(path))
        blocks = list(document.iter_inner_content())
    except Exception as error:  # a damaged part fails anywhere inside python-docx or lxml
        raise NotAPlan(f"{path}: not a readable .docx file ({type(error).__name__}: {error})") from None
    preamble: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    tables = 0
    width: int | None = None
    skipped: list[ImportProblem] = []  # later tables of another width without a header
    for block in blocks:
        if not isinstance(block, Table):
            if width is None:
                preamble.append(block.text)
            continue
        tables += 1
        grid = table_grid(block)
        numbered = [(len(rows) + i + 1, cells) for i, cells in enumerate(grid)]
        columns = max((len(cells) for cells in grid), default=0)
        if header_index(numbered) is not None or (width is not None and columns == width):
            rows += numbered
            width = columns
        elif width is None:  # a letterhead laid out as a table: its title and date count
            preamble += [line for cells in grid for line in row_lines(cells)]
        elif any(row_lines(cells) for cells in grid):
            text = " ".join(line for cells in grid for line in row_lines(cells))
            skipped.append(ImportProblem("table_not_read", None, None, join_wrapped(text)[:30], tables))
    if not tables:
        raise NotAPlan(f"{path}: no table found; a plan is a table with {LOOKED_FOR}")
    table = grid_table(str(path), rows, preamble)
    if table is None:
        raise NotAPlan(f"{path}: none of its {tables} tables has {LOOKED_FOR}")
    table.problems += skipped
    return table
