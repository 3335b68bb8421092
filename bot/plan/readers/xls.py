"""Reader for an old Excel .xls workbook (xlrd; DESIGN §3.1).

The same reading as the .xlsx reader (:mod:`bot.plan.readers.excel`): a table a sheet, hidden
sheets marked, merged ranges read into every cell of their area, numbers and dates as Excel
shows them, a line break in a cell an entry break. xlrd reads merged ranges only with
``formatting_info``, which it supports for .xls (not .xlsx).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from bot.plan.document import Cell, Document, Place, Row, Table
from bot.plan.errors import PlanError
from bot.plan.readers.excel import MAX_ROWS, MAX_SHEET_CELLS, entry_lines


def _shown(sheet, book, row: int, column: int) -> str:
    import xlrd

    cell = sheet.cell(row, column)
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            day: datetime = xlrd.xldate_as_datetime(cell.value, book.datemode)
        except (ValueError, OverflowError):
            return str(cell.value)
        return f"{day.year}/{day.month}/{day.day}" + (f" {day:%H:%M}" if day.hour or day.minute else "")
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        return str(int(cell.value)) if float(cell.value).is_integer() else str(cell.value)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return "TRUE" if cell.value else "FALSE"
    return entry_lines(str(cell.value))


def read(path: Path) -> Document:
    """Read an .xls workbook, one table a sheet. Raises :class:`PlanError` when it is not a
    readable .xls (password-protected, damaged, another format renamed) or a sheet is far
    bigger than a plan."""
    import xlrd

    try:
        book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    except xlrd.XLRDError as error:
        if "encrypted" in str(error).lower():
            raise PlanError("encrypted", path, kind=".xls", old=".xls") from None
        raise PlanError("unreadable", path, kind=".xls", detail=str(error)) from None
    except Exception as error:  # a damaged OLE file fails anywhere inside xlrd
        raise PlanError("unreadable", path, kind=".xls", detail=f"{type(error).__name__}: {error}") from None
    document = Document(str(path))
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            if sheet.nrows > MAX_ROWS:
                raise PlanError("sheet_rows", path, sheet=sheet.name, rows=f"{sheet.nrows:,}", limit=f"{MAX_ROWS:,}")
            if sheet.nrows * sheet.ncols > MAX_SHEET_CELLS:
                raise PlanError("sheet_cells", path, sheet=sheet.name, cells=f"{sheet.nrows * sheet.ncols:,}",
                                limit=f"{MAX_SHEET_CELLS:,}")
            document.blocks.append(_table(sheet, book))
            book.unload_sheet(index)
    finally:
        book.release_resources()
    return document


def _table(sheet, book) -> Table:
    covered: dict[tuple[int, int], tuple[str, tuple[int, int]]] = {}
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    for top, bottom, left, right in sheet.merged_cells:  # bottom and right are exclusive
        spans[top, left] = (bottom - top, right - left)
        for r in range(top, bottom):
            for c in range(left, right):
                if (r, c) != (top, left):
                    covered[r, c] = ("right" if r == top else "down", (top, left))
    texts = {(r, c): _shown(sheet, book, r, c) for r in range(sheet.nrows) for c in range(sheet.ncols)}
    rows = []
    for r in range(sheet.nrows):
        cells = []
        for c in range(sheet.ncols):
            if (r, c) in covered:
                how, origin = covered[r, c]
                cells.append(Cell(texts[origin], merged=how))
            else:
                rowspan, colspan = spans.get((r, c), (1, 1))
                cells.append(Cell(texts[r, c], rowspan=rowspan, colspan=colspan))
        if any(cell.text.strip() for cell in cells):
            rows.append(Row(cells, Place(sheet=sheet.name, row=r + 1)))
    return Table(rows, Place(sheet=sheet.name), name=sheet.name, hidden=sheet.visibility != 0)
