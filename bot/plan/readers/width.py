"""A cap on a table's width, applied to every reader's document before any interpreter sees it.

A plan table has a dozen columns; the widest real one seen has under 20. A row of thousands of
cells (a CSV line of commas, a text line of 20,000 ``|``, a sheet with one value in column ZZ)
is no plan's, and every interpreter's work grows with the width (finding the header compares
columns with columns). Columns past :data:`MAX_COLUMNS` are dropped: silently where they are
empty (a sheet's used range stretched by formatting), else with a ``too_wide`` problem naming the
row, the row's width and the first column past the cap that holds text.
"""

from __future__ import annotations

from dataclasses import replace

from bot.plan.document import Document, Place, Row, Table
from bot.plan.model import ImportProblem

MAX_COLUMNS = 200
# The caps as the warnings' templates name them (bot.render puts this in every template as plan_limits).
LIMITS = {"columns": MAX_COLUMNS}


def cap_width(document: Document) -> Document:
    """``document`` with every table row cut to :data:`MAX_COLUMNS` cells (in place; returned);
    one ``too_wide`` problem in ``document.problems`` for each row that lost text."""
    for position, block in enumerate(document.blocks):
        if isinstance(block, Table) and block.width > MAX_COLUMNS:
            document.blocks[position] = replace(block, rows=[_cut(row, document) for row in block.rows])
    return document


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
