"""Reader for a PDF (pdfplumber; DESIGN §3.1).

Page by page, top to bottom: each table drawn with ruling lines (pdfplumber's table finder)
on its grid, a cell spanning several grid positions read into each and marked "down"/"right";
the text outside tables as paragraphs (see :func:`_paragraphs`). A table that runs on to the
next page is two tables here (the interpreter joins a continuation). A PDF keeps no paragraphs inside a cell,
only lines: a line that ends at the cell's right edge was wrapped ("\\n"), one that ends short
of it ended an entry ("\\n\\n"). A PDF with no text at all (a scan) is refused: it has to be
recognised (OCR) or exported again from its Word or Excel original.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from pathlib import Path
from statistics import median

from bot.plan.document import Cell, Document, Paragraph, Place, Row, Table
from bot.plan.errors import PlanError
from bot.plan.rules.numbering import read_label

_TOLERANCE = 2.0  # points: two ruling lines this close are one
# A page number printed in the top or bottom line ("- 3 -", "—3—", "第3页 共12页"): not the plan's text.
_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–]\s*\d{1,4}\s*[-—–]|\d{1,4}|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
                          r"|\d{1,4}\s*/\s*\d{1,4})\s*$")


def read(path: Path) -> Document:
    """Read a PDF. Raises :class:`PlanError` when it is not a readable PDF (damaged,
    password-protected) or holds no text (scanned pages)."""
    import pdfplumber

    document = Document(str(path))
    try:
        with pdfplumber.open(str(path)) as pdf:
            chars = images = tables = 0
            pages: list[tuple[int, float, list]] = []
            lines_by_width: dict[int, list[dict]] = {}
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
                lines = _body_lines(rest.extract_text_lines())
                items += [(line["top"], line) for line in lines]
                lines_by_width.setdefault(round(page.width), []).extend(lines)
                pages.append((number, page.width, [block for _, block in sorted(items, key=lambda item: item[0])]))
            # Pages of one size share their margins: a page with one full line still has them.
            margins = {width: _margins(lines) for width, lines in lines_by_width.items()}
            wrapped = False
            for number, width, blocks in pages:
                wrapped = _paragraphs(blocks, number, margins[round(width)], document.blocks, wrapped)
    except PlanError:
        raise
    except Exception as error:  # pdfminer raises its own errors for damaged or encrypted files
        raise PlanError("unreadable", path, kind=".pdf", detail=f"{type(error).__name__}: {error}") from None
    if not chars:
        raise PlanError("pdf_scanned" if images else "pdf_empty", path)
    return document


def _body_lines(lines: list[dict]) -> list[dict]:
    """The page's text lines less a page number printed as its first or last line."""
    if lines and _PAGE_NUMBER.match(lines[-1]["text"]):
        lines = lines[:-1]
    if lines and _PAGE_NUMBER.match(lines[0]["text"]):
        lines = lines[1:]
    return lines


def _margins(lines: list[dict]) -> tuple[float, float, float] | None:
    """(left edge, right edge, character size) of running text in ``lines`` (the pages of one
    size), in points; None when no two lines end at one right edge (centred or short lines
    only: nothing wraps)."""
    if len(lines) < 2:
        return None
    size = median(char["size"] for line in lines for char in line["chars"]) or 10.0
    right = max(line["x1"] for line in lines)
    if sum(1 for line in lines if right - line["x1"] < size) < 2:
        return None
    return min(line["x0"] for line in lines), right, size


def _paragraphs(blocks: list, page: int, margins: tuple[float, float, float] | None,
                document: list, wrapped: bool) -> bool:
    """Append ``blocks`` (tables and text lines, top to bottom) to ``document`` with the lines
    made paragraphs; returns whether the page's last line was wrapped. A PDF keeps lines, not
    paragraphs: a line that reaches the right edge was wrapped, and the next line goes on with
    it unless it is indented (a first line), starts with an item number ("（二）", "3.") or a
    table comes between. ``wrapped`` says the page before ended inside a paragraph: the first
    line of this page may go on with it the same way."""
    for index, block in enumerate(blocks, 1):
        if not isinstance(block, dict):
            document.append(block)
            wrapped = False
            continue
        text = block["text"]
        goes_on = (wrapped and margins is not None and block["x0"] - margins[0] < margins[2] * 0.8
                   and read_label(text) is None and bool(document) and isinstance(document[-1], Paragraph))
        if goes_on:
            document[-1] = Paragraph(document[-1].text + text, document[-1].place)
        else:
            document.append(Paragraph(text, Place(page=page, line=index)))
        wrapped = margins is not None and margins[1] - block["x1"] < 1.5 * margins[2]
    return wrapped


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
