"""Plan files in the office formats (.docx, .xlsx, .csv), written by the tests themselves.

A sheet is ``rows`` (lists of cell text in the form of :mod:`bot.plan.document`: a blank
line separates entries, a single line break only wraps) and ``merges`` (0-based inclusive
``(row1, col1, row2, col2)``; the area's value is its top-left cell's). Each writer puts
that text into its format the way a person would have typed it there.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import docx
import openpyxl

from bot.plan.document import Paragraph
from bot.plan.readers.text import read as read_text
from bot.plan.table import flat
from bot.text import paragraphs
from tests.plans import SEED

SEED_TITLE_LINES = ["龙岩市科协2020年度工作要点", "2020年3月16日"]


@dataclass
class Sheet:
    """A table to write: cell texts by row and the merged areas."""

    rows: list[list[str]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)

    def filled(self) -> list[list[str]]:
        """The rows with every merged area holding its value (what a reader should see)."""
        rows = [list(row) for row in self.rows]
        for r1, c1, r2, c2 in self.merges:
            for r in range(r1, r2 + 1):
                for c in range(c1, c2 + 1):
                    rows[r][c] = self.rows[r1][c1]
        return rows


def seed_sheet() -> Sheet:
    """The seed's table as a merged table: each 5-cell header row with 工作内容 merged over the
    section and content columns; every blank cell merged with the cell above (the section
    column down its section, a leader down the rows he leads), as in the Word original."""
    sheet = Sheet([])
    runs: dict[int, list[int]] = {}
    header_above = True
    seed_rows = [row for labels, rows in flat.cut(read_text(SEED).tables[0])
                 for row in [labels, *[[cell.text for cell in r.cells] for r in rows]]]
    for raw_cells in seed_rows:
        r = len(sheet.rows)
        if len(raw_cells) == 5:
            sheet.rows.append([raw_cells[0], *raw_cells])
            sheet.merges.append((r, 0, r, 1))
            sheet.merges += [(a, c, b, c) for c, (a, b) in runs.items() if b > a]
            runs, header_above = {}, True
            continue
        sheet.rows.append(list(raw_cells))
        for c, text in enumerate(raw_cells):
            if text.strip() or header_above:
                if c in runs and runs[c][1] > runs[c][0]:
                    sheet.merges.append((runs[c][0], c, runs[c][1], c))
                runs[c] = [r, r]
            else:
                runs[c][1] = r
        header_above = False
    sheet.merges += [(a, c, b, c) for c, (a, b) in runs.items() if b > a]
    return sheet


def seed_preamble() -> list[str]:
    """The seed's text above its table, line by line (notice, title, issue date)."""
    document = read_text(SEED)
    first = document.blocks.index(document.tables[0])
    return [block.text for block in document.blocks[:first] if isinstance(block, Paragraph)]


def excel_text(text: str) -> str:
    """A raw cell as typed in Excel: soft wraps joined, entries on lines (Alt+Enter)."""
    return "\n".join(paragraphs(text))


def _word_cell(cell, text: str) -> None:
    # A blank line is a new paragraph; a single line break is a Shift+Enter (w:br).
    parts = re.split(r"\n[ \t\u3000]*\n", text.strip("\n"))
    cell.paragraphs[0].text = parts[0]
    for part in parts[1:]:
        cell.add_paragraph(part)


def write_docx(path: Path, preamble: list[str], tables: list[Sheet], after: list[str] = ()) -> Path:
    """A Word document: ``preamble`` paragraphs, the ``tables`` (merges as w:vMerge and
    w:gridSpan), then ``after`` paragraphs."""
    document = docx.Document()
    for line in preamble:
        document.add_paragraph(line)
    for sheet in tables:
        table = document.add_table(rows=len(sheet.rows), cols=max(len(row) for row in sheet.rows))
        covered = {(r, c) for r1, c1, r2, c2 in sheet.merges for r in range(r1, r2 + 1)
                   for c in range(c1, c2 + 1)} - {(r1, c1) for r1, c1, _, _ in sheet.merges}
        for r, row in enumerate(sheet.rows):
            for c, text in enumerate(row):
                if (r, c) not in covered:
                    _word_cell(table.cell(r, c), text)
        for r1, c1, r2, c2 in sheet.merges:
            table.cell(r1, c1).merge(table.cell(r2, c2))
    for line in after:
        document.add_paragraph(line)
    document.save(str(path))
    return path


def write_xlsx(path: Path, title_lines: list[str], sheet: Sheet, *, sheet_title: str = "Sheet1",
               numbers: bool = False) -> Path:
    """A workbook whose first sheet has ``title_lines`` (each merged across the table) above a
    blank row and the table; merges as merged ranges. ``numbers``: cells that are whole
    numbers are written as numbers (序号 typed as 1, read by openpyxl as 1 or 1.0)."""
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.title = sheet_title
    width = max(len(row) for row in sheet.rows)
    for r, line in enumerate(title_lines, 1):
        ws.cell(r, 1, line)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    top = len(title_lines) + 2 if title_lines else 1
    for r, row in enumerate(sheet.rows):
        for c, text in enumerate(row):
            value: object = excel_text(text) or None
            if numbers and isinstance(value, str) and value.isdigit():
                value = float(value)
            ws.cell(top + r, c + 1, value)
    for r1, c1, r2, c2 in sheet.merges:
        ws.merge_cells(start_row=top + r1, start_column=c1 + 1, end_row=top + r2, end_column=c2 + 1)
    workbook.save(path)
    return path


def write_csv(path: Path, title_lines: list[str], sheet: Sheet, *, encoding: str = "utf-8") -> Path:
    """A CSV as Excel saves it (CRLF, quoted multi-line cells, merges written out in full)."""
    with path.open("w", encoding=encoding, newline="") as file:
        writer = csv.writer(file, lineterminator="\r\n")
        for line in title_lines:
            writer.writerow([line])
        if title_lines:
            writer.writerow([])
        for row in sheet.filled():
            writer.writerow([excel_text(text) for text in row])
    return path


def _covered(sheet: Sheet) -> set[tuple[int, int]]:
    """The grid positions a merge covers other than its top-left cell."""
    return ({(r, c) for r1, c1, r2, c2 in sheet.merges for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
            - {(r1, c1) for r1, c1, _, _ in sheet.merges})


def write_html(path: Path, preamble: list[str], sheet: Sheet) -> Path:
    """A saved web page: ``preamble`` paragraphs above the table; merges as rowspan/colspan; a
    cell's entries separated by <br> (soft wraps joined), as a web table shows a list."""
    from html import escape

    spans = {(r1, c1): (r2 - r1 + 1, c2 - c1 + 1) for r1, c1, r2, c2 in sheet.merges}
    covered = _covered(sheet)
    rows = []
    for r, row in enumerate(sheet.rows):
        cells = []
        for c, text in enumerate(row):
            if (r, c) in covered:
                continue
            rowspan, colspan = spans.get((r, c), (1, 1))
            cells.append(f'<td rowspan="{rowspan}" colspan="{colspan}">'
                         + "<br>".join(escape(p) for p in paragraphs(text)) + "</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    body = "".join(f"<p>{escape(line)}</p>" for line in preamble) + "<table border=1>" + "\n".join(rows) + "</table>"
    path.write_text(f'<html><head><meta charset="utf-8"></head><body>{body}</body></html>', encoding="utf-8")
    return path


def write_pdf(path: Path, preamble: list[str], sheet: Sheet, widths: list[float]) -> Path:
    """A PDF table with ruling lines (reportlab, its built-in CJK font STSong-Light: no font
    package): long cells wrap, a cell's entries are on lines of their own, merges are spans."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("cjk", fontName="STSong-Light", fontSize=9, leading=12, wordWrap="CJK")
    covered = _covered(sheet)
    data = [[Paragraph("" if (r, c) in covered else "<br/>".join(paragraphs(text)), style)
             for c, text in enumerate(row)] for r, row in enumerate(sheet.rows)]
    table = Table(data, colWidths=widths)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]
                              + [("SPAN", (c1, r1), (c2, r2)) for r1, c1, r2, c2 in sheet.merges]))
    document = SimpleDocTemplate(str(path), pagesize=landscape(A4))
    document.build([Paragraph(line, style) for line in preamble] + [table])
    return path


def libreoffice(source: Path, target: str, folder: Path) -> Path:
    """``source`` converted by LibreOffice headless to ``target`` ("doc", "xls") in ``folder``.

    A .doc is made through .odt: LibreOffice 7.4 drops a table python-docx wrote when it saves
    that .docx straight to .doc (the same table survives .docx → .odt → .doc)."""
    import subprocess

    from bot.plan.readers.convert import soffice

    def run(path: Path, to: str) -> Path:
        subprocess.run([soffice(), f"-env:UserInstallation={(folder / 'lo-profile').as_uri()}", "--headless",
                        "--convert-to", to, "--outdir", str(folder), str(path)],
                       check=True, capture_output=True, timeout=180)
        return folder / f"{path.stem}.{to}"

    return run(run(source, "odt") if target == "doc" else source, target)
