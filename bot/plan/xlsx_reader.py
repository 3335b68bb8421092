"""Reader for a plan as an Excel .xlsx sheet (openpyxl; DESIGN §3, issue 7).

The plan is the first visible sheet with a row that names the columns and a task row below
it (a template sheet holding the header alone, or a hidden old version, placed first is not
the plan); failing that, a hidden one, or one with the header alone. The rows above the
header row, and the sheet's name, are its preamble (title, year, issue date). A merged range gives
its value to every cell of its area (a section merged across a row, a leader merged down
the rows he leads); an empty cell outside a merge stays empty. openpyxl's read-only mode
does not report merged ranges, so the workbook is loaded whole; the 20 MB file cap, the
unpacked-size cap and the merged-area cap below keep that bounded.

A cell reads as the text a person sees in Excel: 序号 1 → "1" (not "1.0"), a date as
2021/6/30 (the Chinese short date) or 2021年6月30日 when its format is written in 年月日.
A formula reads as the value Excel saved with it; a formula saved with no value (a file
written by a program, never opened in Excel) reads as empty, and the import report says so.
"""

from __future__ import annotations

import posixpath
import re
import warnings
import zipfile
from datetime import date, datetime, time
from pathlib import Path
from xml.etree import ElementTree

from bot.plan.grid import LOOKED_FOR, entry_lines, grid_table, has_task_row
from bot.plan.model import ImportProblem
from bot.plan.office import check_package
from bot.plan.raw import MAX_ROWS, NotAPlan, RawTable

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
                raise NotAPlan(f"{path}: sheet {names.get(part, part)} has {rows:,} rows, which is not a plan "
                               f"(a plan has at most {MAX_ROWS:,}); if the rows below the table are empty, "
                               f"delete them in Excel or WPS and save")
            cells = sum(1 for _ in _CELL.finditer(data))
            if cells > MAX_SHEET_CELLS:
                raise NotAPlan(f"{path}: sheet {names.get(part, part)} has {cells:,} cells, which is not a plan "
                               f"(a plan has at most {MAX_SHEET_CELLS:,})")
            formulas = formulas or _FORMULA.search(data) is not None
    if merged > MAX_MERGED_CELLS:
        raise NotAPlan(f"{path}: its merged ranges cover {merged:,} cells, which is not a plan")
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
    raise NotAPlan(f"{path}: sheet {sheet.title} uses the range A1:{get_column_letter(columns)}{rows} "
                   f"({rows:,} rows × {columns:,} columns), which is not a plan (a plan has at most "
                   f"{MAX_ROWS:,} rows and {MAX_SHEET_CELLS:,} cells); usually the cause is a stray value or "
                   f"format in a far cell, here {get_column_letter(far[1])}{far[0]}: delete the rows and "
                   f"columns beyond the table in Excel or WPS and save")


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


def sheet_rows(sheet) -> list[tuple[int, list[str]]]:
    """(row number, cell texts) of every row of ``sheet``, merged ranges filled."""
    merged: dict[tuple[int, int], str] = {}
    for area in sheet.merged_cells.ranges:
        text = shown(sheet.cell(area.min_row, area.min_col))
        for row in range(area.min_row, area.max_row + 1):
            for column in range(area.min_col, area.max_col + 1):
                merged[row, column] = text
    rows = []
    for cells in sheet.iter_rows():
        if cells:
            rows.append((cells[0].row, [merged.get((c.row, c.column)) or shown(c) for c in cells]))
    return rows


def _formulas_without_values(path: Path, sheet) -> list[ImportProblem]:
    """A ``formula_no_value`` problem for each row of ``sheet`` (read with the values Excel
    saved) where a cell that reads empty holds a formula: its value was never saved, so the
    cell is read as empty. The formulas are read by loading the workbook a second time."""
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        workbook = openpyxl.load_workbook(path)
    try:
        cells: dict[int, list[str]] = {}
        for row in workbook[sheet.title].iter_rows():
            for cell in row:
                if cell.data_type == "f" and sheet.cell(cell.row, cell.column).value is None:
                    cells.setdefault(cell.row, []).append(cell.coordinate)
    finally:
        workbook.close()
    return [ImportProblem("formula_no_value", row, None, " ".join(coordinates)) for row, coordinates in cells.items()]


def read_xlsx(path: Path) -> RawTable:
    """Read an Excel plan into a :class:`RawTable` (header rows included as rows, no fill-down).

    Row numbers are the sheet's own (as Excel shows them). Raises :class:`NotAPlan` when the
    file is not an intact .xlsx (password-protected, an old .xls, damaged, far too big
    unpacked, a sheet far bigger than a plan) or no sheet has a row naming the columns.
    """
    import openpyxl  # here, not at the top: every command would pay 60 ms for it

    check_package(path, ".xlsx")
    formulas = _check_sheets(path)
    try:
        with warnings.catch_warnings():  # "extension is not supported" and the like: not the user's concern
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(path, data_only=True)
    except Exception as error:  # a damaged part fails anywhere inside openpyxl or its XML parser
        raise NotAPlan(f"{path}: not a readable .xlsx file ({type(error).__name__}: {error})") from None
    try:
        found = None  # (sheet, table): the first sheet with a header row and a task row, else with a header row
        for sheet in sorted(workbook.worksheets, key=lambda sheet: sheet.sheet_state != "visible"):
            _check_used_range(path, sheet)
            table = grid_table(str(path), sheet_rows(sheet))
            if table is None:
                continue
            tasks = has_task_row(table)
            if found is None or tasks:
                found = (sheet, table)
            if tasks:
                break
        if found is None:
            names = ", ".join(sheet.title for sheet in workbook.worksheets)
            raise NotAPlan(f"{path}: no sheet ({names}) has {LOOKED_FOR}")
        sheet, table = found
        table.preamble = "\n".join(filter(None, [table.preamble, sheet.title]))
        if formulas:
            table.problems += _formulas_without_values(path, sheet)
        return table
    finally:
        workbook.close()
