"""Reader for a PDF (pdfplumber; DESIGN §3.1).

Page by page, top to bottom: each table drawn with ruling lines (pdfplumber's table finder)
on its grid, a cell spanning several grid positions read into each and marked "down"/"right";
the text outside tables one paragraph a line. A table that runs on to the next page is two
tables here (the interpreter joins a continuation). A PDF keeps no paragraphs inside a cell,
only lines: a line that ends at the cell's right edge was wrapped ("\\n"), one that ends short
of it ended an entry ("\\n\\n"). A PDF with no text at all (a scan) is refused: it has to be
recognised (OCR) or exported again from its Word or Excel original.
"""

from __future__ import annotations

from bisect import bisect_left
from pathlib import Path

from bot.plan.document import Cell, Document, Paragraph, Place, Row, Table
from bot.plan.errors import PlanError

_TOLERANCE = 2.0  # points: two ruling lines this close are one


def read(path: Path) -> Document:
    """Read a PDF. Raises :class:`PlanError` when it is not a readable PDF (damaged,
    password-protected) or holds no text (scanned pages)."""
    import pdfplumber

    document = Document(str(path))
    try:
        with pdfplumber.open(str(path)) as pdf:
            chars = images = tables = 0
            for number, page in enumerate(pdf.pages, 1):
                chars += len(page.chars)
                images += len(page.images)
                found = page.find_tables()
                items: list[tuple[float, object]] = []
                rest = page
                for table in found:
                    tables += 1
                    items.append((table.bbox[1], _table(page, table, number, tables)))
                    rest = rest.outside_bbox(table.bbox)
                for index, line in enumerate(rest.extract_text_lines(), 1):
                    items.append((line["top"], Paragraph(line["text"], Place(page=number, line=index))))
                document.blocks += [block for _, block in sorted(items, key=lambda item: item[0])]
    except PlanError:
        raise
    except Exception as error:  # pdfminer raises its own errors for damaged or encrypted files
        raise PlanError("unreadable", path, kind=".pdf", detail=f"{type(error).__name__}: {error}") from None
    if not chars:
        raise PlanError("pdf_scanned" if images else "pdf_empty", path)
    return document


def _edges(values: list[float]) -> list[float]:
    edges: list[float] = []
    for value in sorted(values):
        if not edges or value - edges[-1] > _TOLERANCE:
            edges.append(value)
    return edges


def _index(edges: list[float], value: float) -> int:
    at = bisect_left(edges, value - _TOLERANCE)
    return min(at, len(edges) - 1)


def _cell_text(page, box: tuple[float, float, float, float]) -> str:
    lines = page.crop(box).extract_text_lines()
    text = ""
    for index, line in enumerate(lines):
        if index:
            previous = lines[index - 1]
            width = (previous["x1"] - previous["x0"]) / max(len(previous["text"]), 1)
            text += "\n" if box[2] - previous["x1"] < 2.5 * width else "\n\n"
        text += line["text"]
    return text


def _table(page, table, page_number: int, number: int) -> Table:
    boxes = [tuple(cell) for cell in table.cells]
    xs = _edges([box[0] for box in boxes])
    ys = _edges([box[1] for box in boxes])
    grid: dict[tuple[int, int], Cell] = {}
    for box in boxes:
        left, top = _index(xs, box[0]), _index(ys, box[1])
        right = max(left + 1, bisect_left(xs, box[2] - _TOLERANCE))
        bottom = max(top + 1, bisect_left(ys, box[3] - _TOLERANCE))
        text = _cell_text(page, box)
        grid[top, left] = Cell(text, rowspan=bottom - top, colspan=right - left)
        for r in range(top, bottom):
            for c in range(left, right):
                if (r, c) != (top, left):
                    grid[r, c] = Cell(text, merged="right" if r == top else "down")
    rows = [Row([grid.get((r, c), Cell("")) for c in range(len(xs))], Place(page=page_number, table=number, row=r + 1))
            for r in range(len(ys))]
    return Table(rows, Place(page=page_number, table=number))
