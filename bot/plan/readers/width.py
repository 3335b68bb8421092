"""Caps on a table's width and a cell's length, applied to every reader's document before any
interpreter sees it.

A plan table has a dozen columns; the widest real one seen has under 20. A row of thousands of
cells (a CSV line of commas, a text line of 20,000 ``|``, a sheet with one value in column ZZ)
is no plan's, and every interpreter's work grows with the width (finding the header compares
columns with columns). Columns past :data:`MAX_COLUMNS` are dropped: silently where they are
empty (a sheet's used range stretched by formatting), else with a ``too_wide`` problem naming the
row, the row's width and the first column past the cap that holds text.

A cell's text is cut to :data:`MAX_CELL_CHARS` characters with a ``too_long`` problem naming
its row and column and its length. Cut and kept rather than refused: the longest real 工作内容
is a few hundred characters, so such a cell is a paste gone wrong in one place, and the rest of
the plan should still import; the cut text keeps the task recognisable, and the warning says
where to fix it. Left whole it would swell every answer, digest and export that shows the task.
"""

from __future__ import annotations

from dataclasses import replace

from bot.plan.document import Document, Place, Row, Table
from bot.plan.model import ImportProblem

MAX_COLUMNS = 200
MAX_CELL_CHARS = 2_000
# The caps as the warnings' templates name them (bot.render puts this in every template as plan_limits).
LIMITS = {"columns": MAX_COLUMNS, "cell_chars": MAX_CELL_CHARS}


def cap_width(document: Document) -> Document:
    """``document`` with every table row cut to :data:`MAX_COLUMNS` cells and every cell to
    :data:`MAX_CELL_CHARS` characters (in place; returned); one ``too_wide`` problem in
    ``document.problems`` for each row that lost text, one ``too_long`` for each cell cut."""
    for position, block in enumerate(document.blocks):
        if not isinstance(block, Table):
            continue
        if block.width > MAX_COLUMNS:
            block = replace(block, rows=[_cut(row, document) for row in block.rows])
        if any(len(cell.text) > MAX_CELL_CHARS for row in block.rows for cell in row.cells):
            block = replace(block, rows=[_shorten(row, document) for row in block.rows])
        document.blocks[position] = block
    return document


def _shorten(row: Row, document: Document) -> Row:
    if all(len(cell.text) <= MAX_CELL_CHARS for cell in row.cells):
        return row
    cells = []
    for column, cell in enumerate(row.cells, 1):
        if len(cell.text) > MAX_CELL_CHARS:
            if cell.written:  # a merge's copies are cut alike, told once
                document.problems.append(ImportProblem(
                    "too_long", row.place.line or row.place.row, None, cell.text.strip()[:30], len(cell.text),
                    place=replace(row.place, column=column)))
            cell = replace(cell, text=cell.text[:MAX_CELL_CHARS])
        cells.append(cell)
    return replace(row, cells=cells)


def _cut(row: Row, document: Document) -> Row:
    if len(row.cells) <= MAX_COLUMNS:
        return row
    lost = next((column for column, cell in enumerate(row.cells[MAX_COLUMNS:], MAX_COLUMNS + 1)
                 if cell.written and cell.text.strip()), None)
    if lost is not None:
        document.problems.append(too_wide(row.place, len(row.cells), lost, row.cells[lost - 1].text))
    return replace(row, cells=row.cells[:MAX_COLUMNS])


def too_wide(place: Place, width: int, column: int, text: str) -> ImportProblem:
    """The ``too_wide`` problem of a row at ``place`` with ``width`` cells whose first text past
    the cap, ``text``, is in (1-based) ``column``."""
    return ImportProblem("too_wide", place.line or place.row, None, text.strip()[:30], width,
                         place=replace(place, column=column))
