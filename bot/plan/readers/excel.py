"""Reader for an Excel .xlsx workbook (openpyxl; DESIGN §3.1).

Every sheet is a table, in the workbook's order, named by its sheet's name (hidden sheets
marked ``hidden``); which of them holds the plan is the interpreter's to find. A merged range
gives its value to every cell of its area, marked "right" in its first row and "down" below.
openpyxl's read-only mode does not report merged ranges, so the workbook is loaded whole;
the 20 MB file cap, the unpacked-size cap and the sheet and merged-area caps below keep that
bounded. Rows keep the sheet's own numbers (as Excel shows them); wholly empty rows are left out.

A cell reads as the text a person sees in Excel: 序号 1 → "1" (not "1.0"), a date as
2021/6/30 (the Chinese short date) or 2021年6月30日 when its format is written in 年月日;
a line break typed in a cell (Alt+Enter) separates entries ("\\n\\n"). A formula reads as the
value Excel saved with it; a formula saved with no value (a file written by a program, never
opened in Excel) reads as empty, and the document's problems say so by sheet and row.
"""

from __future__ import annotations

import posixpath
import re
import warnings
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from xml.etree import ElementTree

from bot.plan.document import Cell, Document, Place, Row, Table
from bot.plan.errors import PlanError
from bot.plan.model import ImportProblem
from bot.plan.readers.package import check_package
from bot.plan.readers.width import MAX_COLUMNS, too_wide

# A table row count no plan comes near: a big office's plan has 1,400 tasks (with its section
# and repeated header rows, under 2,000 rows). Past it, the file is something else, or a stray
# cell far below the table; reading on would only print a warning per empty row.
MAX_ROWS = 20_000

# openpyxl makes one object per cell of a merged range; a range over a whole sheet would hang it.
MAX_MERGED_CELLS = 1_000_000
# openpyxl reads every cell of a sheet's used range, empty or not (A1 to the last row and column
# holding anything). A 1,400-task plan of a dozen columns uses under 30,000; one value in a far
# cell (ZZ20000, XFD1048576) makes a 5 KB file's range millions of cells and exhausts memory.
MAX_SHEET_CELLS = 1_000_000
_MERGE_REF = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="\$?([A-Z]{1,3})\$?(\d+):\$?([A-Z]{1,3})\$?(\d+)"')
_ROW = re.compile(rb"<(?:\w+:)?row[\s>/]")
_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_DECIMALS = re.compile(r"\.(0+)")
_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part ("xl/worksheets/sheet1.xml") → the sheet's name, for the messages; {}
    when the workbook's parts cannot say (openpyxl then reports the damage)."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        links = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {link.get("Id"): link.get("Target", "") for link in links}
    names = {}
    for sheet in book.iter():
        if sheet.tag.endswith("}sheet") and sheet.get(_RELATIONSHIP_ID) in targets:
            target = targets[sheet.get(_RELATIONSHIP_ID)]
            part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            names[part] = sheet.get("name", part)
    return names


def _check_sheets(path: Path) -> bool:
    """Refuse, before openpyxl reads it, a workbook whose merged ranges or sheets are far
    bigger than a plan: it would take openpyxl minutes and gigabytes to say so. Returns
    whether any sheet has a formula."""
    formulas = False
    with zipfile.ZipFile(path) as archive:
        names = _sheet_names(archive)
        merged = 0
        for part in archive.namelist():
            if not (part.startswith("xl/worksheets/") and part.endswith(".xml")):
                continue
            data = archive.read(part)
            for m in _MERGE_REF.finditer(data):
                rows = int(m[4]) - int(m[2]) + 1
                columns = _column_number(m[3]) - _column_number(m[1]) + 1
                merged += max(rows, 1) * max(columns, 1)
            rows = sum(1 for _ in _ROW.finditer(data))
            if rows > MAX_ROWS:
                raise PlanError("sheet_rows", path, sheet=names.get(part, part), rows=f"{rows:,}",
                                limit=f"{MAX_ROWS:,}")
            cells = sum(1 for _ in _CELL.finditer(data))
            if cells > MAX_SHEET_CELLS:
                raise PlanError("sheet_cells", path, sheet=names.get(part, part), cells=f"{cells:,}",
                                limit=f"{MAX_SHEET_CELLS:,}")
            formulas = formulas or _FORMULA.search(data) is not None
    if merged > MAX_MERGED_CELLS:
        raise PlanError("merged_cells", path, cells=f"{merged:,}")
    return formulas


def _check_used_range(path: Path, sheet) -> None:
    """Refuse a sheet whose used range (from its cells, not its possibly wrong <dimension>) is
    far bigger than a plan, before openpyxl makes an object for every cell of it; the message
    names a cell in the last row (too many rows) or the last column (too many columns)."""
    from openpyxl.utils import get_column_letter

    rows, columns = sheet.max_row, sheet.max_column
    if rows <= MAX_ROWS and rows * columns <= MAX_SHEET_CELLS:
        return
    # openpyxl keeps the cells it read by (row, column); the far one is among them.
    far = next((cell for cell in sheet._cells if cell[0] == rows) if rows > MAX_ROWS
               else (cell for cell in sheet._cells if cell[1] == columns), (rows, columns))
    raise PlanError("used_range", path, sheet=sheet.title, range=f"A1:{get_column_letter(columns)}{rows}",
                    rows=f"{rows:,}", columns=f"{columns:,}", max_rows=f"{MAX_ROWS:,}",
                    max_cells=f"{MAX_SHEET_CELLS:,}", far=f"{get_column_letter(far[1])}{far[0]}")


def _number_text(value: float, number_format: str) -> str:
    section = number_format.split(";")[0]
    decimals = _DECIMALS.search(section)
    places = len(decimals[1]) if decimals else 0
    if "%" in section:
        return f"{value * 100:.{places}f}%"
    if decimals:
        return f"{value:.{places}f}"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _date_text(value: date, number_format: str) -> str:
    day = value.date() if isinstance(value, datetime) else value
    if any(word in number_format for word in "年月日"):
        text = f"{day.month}月{day.day}日"
        text = f"{day.year}年{text}" if "y" in number_format.lower() else text
    else:
        text = f"{day.year}/{day.month}/{day.day}"
    if isinstance(value, datetime) and value.time() != time(0):
        text += f" {value:%H:%M}"
    return text


def shown(cell) -> str:
    """The text a person sees in ``cell`` (an openpyxl cell): numbers and dates as Excel
    shows them in a Chinese locale, line breaks as entry separators (see :func:`entry_lines`)."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (datetime, date)):
        return _date_text(value, cell.number_format or "")
    if isinstance(value, time):
        return f"{value:%H:%M}"
    if isinstance(value, (int, float)):
        return _number_text(value, cell.number_format or "General")
    return entry_lines(str(value))


def entry_lines(text: str) -> str:
    """A cell typed in Excel (or saved from it as CSV): its line breaks are Alt+Enter, typed to
    put entries on lines of their own, so each becomes an entry break ("\\n\\n"); blank lines
    and CR are dropped."""
    parts = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n\n".join(part for part in parts if part.strip())


def sheet_table(sheet) -> Table:
    """The sheet as a table: every row holding a value (the sheet's row numbers kept),
    merged ranges read into every cell of their area."""
    merged: dict[tuple[int, int], tuple[str, str]] = {}
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    for area in sheet.merged_cells.ranges:
        text = shown(sheet.cell(area.min_row, area.min_col))
        spans[area.min_row, area.min_col] = (area.max_row - area.min_row + 1, area.max_col - area.min_col + 1)
        for row in range(area.min_row, area.max_row + 1):
            for column in range(area.min_col, area.max_col + 1):
                if (row, column) != (area.min_row, area.min_col):
                    merged[row, column] = (text, "right" if row == area.min_row else "down")
    rows = []
    # Columns past the cap are not even made into cells (bot.plan.readers.width says what they held).
    for cells in sheet.iter_rows(max_col=min(sheet.max_column, MAX_COLUMNS)):
        if not cells:
            continue
        row = []
        for c in cells:
            if (c.row, c.column) in merged:
                text, how = merged[c.row, c.column]
                row.append(Cell(text, merged=how))
            else:
                rowspan, colspan = spans.get((c.row, c.column), (1, 1))
                row.append(Cell(shown(c), rowspan=rowspan, colspan=colspan))
        if any(cell.text.strip() for cell in row):
            rows.append(Row(row, Place(sheet=sheet.title, row=cells[0].row)))
    return Table(rows, Place(sheet=sheet.title), name=sheet.title, hidden=sheet.sheet_state != "visible")


def _beyond_the_cap(sheet) -> list[ImportProblem]:
    """A ``too_wide`` problem for each row of ``sheet`` holding text past column MAX_COLUMNS
    (openpyxl keeps the cells it read by (row, column))."""
    if sheet.max_column <= MAX_COLUMNS:
        return []
    first: dict[int, tuple[int, str]] = {}
    for (row, column), cell in sheet._cells.items():
        text = shown(cell).strip() if column > MAX_COLUMNS else ""
        if text and (row not in first or column < first[row][0]):
            first[row] = (column, text)
    widths: dict[int, int] = {}
    for row, column in sheet._cells:
        widths[row] = max(widths.get(row, 0), column)
    return [too_wide(Place(sheet=sheet.title, row=row), widths[row], column, text)
            for row, (column, text) in sorted(first.items())]


def _formulas_without_values(path: Path, titles: list[str], read) -> list[ImportProblem]:
    """A ``formula_no_value`` problem for each row (by sheet) where a cell that reads empty holds
    a formula: its value was never saved, so the cell is read as empty. The formulas are read
    by loading the workbook a second time."""
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = openpyxl.load_workbook(path)
    problems = []
    try:
        for title in titles:
            cells: dict[int, list[str]] = {}
            for row in workbook[title].iter_rows():
                for cell in row:
                    if cell.data_type == "f" and read[title].cell(cell.row, cell.column).value is None:
                        cells.setdefault(cell.row, []).append(cell.coordinate)
            problems += [ImportProblem("formula_no_value", row, None, " ".join(coordinates),
                                       place=Place(sheet=title, row=row)) for row, coordinates in cells.items()]
    finally:
        workbook.close()
    return problems


def read(path: Path) -> Document:
    """Read an Excel workbook, one table a sheet. Raises :class:`PlanError` when the file is
    not an intact .xlsx (password-protected, an old .xls, damaged, far too big unpacked, a
    sheet far bigger than a plan)."""
    import openpyxl  # here, not at the top: every command would pay 60 ms for it

    check_package(path, ".xlsx")
    formulas = _check_sheets(path)
    try:
        with warnings.catch_warnings():  # "extension is not supported" and the like: not the user's concern
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(path, data_only=True)
    except Exception as error:  # a damaged part fails anywhere inside openpyxl or its XML parser
        raise PlanError("unreadable", path, kind=".xlsx", detail=f"{type(error).__name__}: {error}") from None
    try:
        document = Document(str(path))
        for sheet in workbook.worksheets:
            _check_used_range(path, sheet)
            document.blocks.append(sheet_table(sheet))
            document.problems += _beyond_the_cap(sheet)
        if formulas:
            sheets = {sheet.title: sheet for sheet in workbook.worksheets}
            document.problems += _formulas_without_values(path, list(sheets), sheets)
        return document
    finally:
        workbook.close()
