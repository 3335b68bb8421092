"""Reader for a plan saved as .csv (DESIGN §3, issue 7).

The text is UTF-8 (with or without a BOM), UTF-16 with a BOM (Excel's "Unicode text"),
or GB18030 (Excel in a Chinese locale saves "CSV" in GBK, which GB18030 contains). Cells
are separated by commas, TABs or semicolons, whichever finds a row naming the columns
first. CSV has no merges: an empty cell stays empty. Rows above the header row are the
preamble (title, year, issue date).

A double quote opening a cell by mistake ("举办… typed with one quote) makes the CSV rules
read every line after it, up to the next quote or the end of the file, into that one cell.
Such a cell (one whose later lines look like whole rows of the table) is reported with its
row and not read.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from bot.plan.grid import LOOKED_FOR, entry_lines, grid_table
from bot.plan.model import ImportProblem
from bot.plan.raw import NotAPlan, RawTable

_DELIMITERS = (",", "\t", ";")


def decode(data: bytes, path: Path) -> str:
    """The text of ``data``: BOM first, then strict UTF-8, then GB18030.

    Raises :class:`NotAPlan` when it is none of them (GB18030 decodes most byte strings,
    so what fails it is binary).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    else:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            encoding = "gb18030"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise NotAPlan(f"{path}: not UTF-8 or GB18030 text ({error.reason} at byte {error.start})") from None


def read_csv(path: Path) -> RawTable:
    """Read a CSV plan into a :class:`RawTable` (header rows included as rows, no fill-down).

    Row numbers count records from 1 (the row Excel shows; a quoted cell may span lines).
    Raises :class:`NotAPlan` for text in no known encoding, text with NUL bytes (a binary
    file renamed), or no row naming the columns.
    """
    text = decode(path.read_bytes(), path)
    if "\0" in text:
        raise NotAPlan(f"{path}: not a CSV text file (it holds binary data)")
    for delimiter in _DELIMITERS:
        try:
            records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error as error:
            raise NotAPlan(f"{path}: not a readable CSV file ({error})") from None
        rows = [(number, [entry_lines(cell) for cell in record]) for number, record in enumerate(records, 1)]
        table = grid_table(str(path), rows)
        if table is not None:
            _report_open_quotes(table, records, delimiter)
            return table
    raise NotAPlan(f"{path}: no row has {LOOKED_FOR}")


def _report_open_quotes(table: RawTable, records: list[list[str]], delimiter: str) -> None:
    """Mark each row of ``table`` with a cell that swallowed later rows through a stray quote:
    a line after the cell's first with as many delimiters as a row of the table has."""
    width = len(table.rows[0].cells)  # the header row's
    for row in table.rows:
        for cell in records[row.line - 1]:
            first, *later = cell.replace("\r\n", "\n").replace("\r", "\n").split("\n")
            if any(line.count(delimiter) >= width - 1 for line in later):
                swallowed = sum(1 for line in later if line.strip())
                row.problem = ImportProblem("stray_quote", row.line, None, first[:30], swallowed)
                break
