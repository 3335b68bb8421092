"""Reader for a plan saved as .csv (DESIGN §3.1).

The text is UTF-8 (with or without a BOM), UTF-16 with a BOM (Excel's "Unicode text") or
GB18030 (Excel in a Chinese locale saves "CSV" in GBK, which GB18030 contains). Cells are
separated by commas, TABs or semicolons, whichever cuts the most records into several
cells. CSV has no merges: an empty cell is empty. A line break inside a quoted cell is an
Alt+Enter typed in Excel: it separates entries ("\\n\\n"). Rows are numbered by record from 1
(the row Excel shows; a quoted cell may span lines).

A double quote opening a cell by mistake ("举办… typed with one quote) makes the CSV rules
read every line after it, up to the next quote or the end of the file, into that one cell.
Such a row (a cell whose later lines look like whole rows of the file) is marked with the
problem ``stray_quote``, and the document's problems say how many rows it swallowed.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

from bot.plan.document import Cell, Document, Place, Row, Table
from bot.plan.errors import PlanError
from bot.plan.model import ImportProblem
from bot.plan.readers.encoding import decode
from bot.plan.readers.excel import entry_lines

_DELIMITERS = (",", "\t", ";")


def _records(text: str, path: Path) -> tuple[list[list[str]], str]:
    best: tuple[int, list[list[str]], str] | None = None
    for delimiter in _DELIMITERS:
        try:
            records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error as error:
            raise PlanError("not_csv", path, detail=str(error)) from None
        several = sum(1 for record in records if sum(1 for cell in record if cell.strip()) > 1)
        if best is None or several > best[0]:
            best = (several, records, delimiter)
    return best[1], best[2]


def read(path: Path) -> Document:
    """Read a CSV plan as one table. Raises :class:`PlanError` for text in no known
    encoding or text with NUL bytes (a binary file renamed)."""
    records, delimiter = _records(decode(path.read_bytes(), path), path)
    document = Document(str(path))
    widths = Counter(len(record) for record in records if len(record) > 1)
    width = widths.most_common(1)[0][0] if widths else 1
    rows = []
    for number, record in enumerate(records, 1):
        if not any(cell.strip() for cell in record):
            continue
        problem = _open_quote(record, delimiter, width)
        if problem:
            first, swallowed = problem
            document.problems.append(ImportProblem("stray_quote", number, None, first[:30], swallowed,
                                                   place=Place(row=number)))
        rows.append(Row([Cell(entry_lines(cell)) for cell in record], Place(row=number),
                        problem="stray_quote" if problem else None))
    document.blocks.append(Table(rows, Place(row=1)))
    return document


def _open_quote(record: list[str], delimiter: str, width: int) -> tuple[str, int] | None:
    """(the cell's first line, the rows it swallowed) when a cell of ``record`` has later lines
    with as many delimiters as a row of the file has; else None."""
    for cell in record:
        first, *later = cell.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        if width > 1 and any(line.count(delimiter) >= width - 1 for line in later):
            return first, sum(1 for line in later if line.strip())
    return None
