"""Readers: a plan file → :class:`~bot.plan.document.Document` (DESIGN §3.1).

One module a format; :func:`read_document` picks by the file's extension. A reader only
cuts its file into paragraphs and tables in reading order (with merges and places); no rule
about columns, numbering, names or deadlines lives here.

| extension | reader |
|---|---|
| .txt .text .md | :mod:`.text` (the seed's TAB-led cells, TAB- or `|`-separated rows, else lines) |
| .docx .docm | :mod:`.word` (python-docx) |
| .xlsx .xlsm | :mod:`.excel` (openpyxl) |
| .xls | :mod:`.xls` (xlrd) |
| .csv | :mod:`.csv_file` |
| .html .htm | :mod:`.html` (lxml) |
| .pdf | :mod:`.pdf` (pdfplumber) |
| .doc .wps .et | :mod:`.convert` (LibreOffice headless → .docx/.xlsx, then the reader above) |
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.plan.document import Document
from bot.plan.errors import PlanError
from bot.plan.readers.width import cap_width

MAX_PLAN_BYTES = 20 * 1024 * 1024  # a 35-task plan is 20 KB; 1,400 tasks are under 1 MB


def _readers() -> dict[str, Callable[[Path], Document]]:
    # Imported on use: each reader's library costs tens of ms to import, and a command reads one format.
    from bot.plan.readers import convert, csv_file, excel, html, pdf, text, word, xls

    return {
        ".txt": text.read, ".text": text.read, ".md": text.read,
        ".docx": word.read, ".docm": word.read,
        ".xlsx": excel.read, ".xlsm": excel.read,
        ".xls": xls.read, ".csv": csv_file.read,
        ".html": html.read, ".htm": html.read, ".pdf": pdf.read,
        ".doc": convert.read, ".wps": convert.read, ".et": convert.read,
    }


KNOWN = (".txt", ".docx", ".xlsx", ".xls", ".csv", ".html", ".pdf", ".doc", ".wps", ".et")


def read_document(path: Path) -> Document:
    """Read the file at ``path`` into a :class:`Document`.

    Raises :class:`PlanError` for a folder, a missing file, a path that is not a regular file
    (a FIFO, a socket, a device, a dangling link), one over ``MAX_PLAN_BYTES``,
    an unknown extension, and whatever its reader cannot read (damaged, password-protected,
    not the format its extension says, far bigger than a plan inside). Tables are cut to
    :data:`~bot.plan.readers.width.MAX_COLUMNS` columns (a ``too_wide`` problem where text
    was cut). ``OSError`` (no
    permission, a name too long) passes through: the caller words it.
    """
    if path.is_dir():
        raise PlanError("folder", path)
    if not path.is_file():
        # A FIFO, socket or device exists but is no file to read (reading a FIFO would block).
        raise PlanError("not_regular" if path.exists() or path.is_symlink() else "no_file", path)
    size = path.stat().st_size
    if size > MAX_PLAN_BYTES:
        raise PlanError("too_big", path, mb=round(size / 1024 / 1024), limit=MAX_PLAN_BYTES // 1024 // 1024)
    reader = _readers().get(path.suffix.lower())
    if reader is None:
        raise PlanError("unknown_format", path, suffix=path.suffix, known=", ".join(KNOWN))
    return cap_width(reader(path))
