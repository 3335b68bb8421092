"""Reader for a saved web page (.html, .htm; lxml, DESIGN §3.1).

The body in reading order: each table (not one nested in another's cell, whose text is the
cell's) on its grid, ``rowspan``/``colspan`` read into every position they cover and marked
"down"/"right"; each block of text outside tables (a paragraph, a heading with its level,
a list item, a div holding text) a paragraph. White space collapses as a browser shows it.
Inside a cell, paragraphs and ``<br>`` separate entries ("\\n\\n": a web table puts each
unit of a list on a line of its own). The encoding is the page's ``charset`` where it names
one, else UTF-8, else GB18030.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.plan.document import Cell, Document, Paragraph, Place, Row, Table
from bot.plan.errors import PlanError
from bot.plan.readers.encoding import decode

_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "pre", "blockquote", "div", "section",
           "article", "header", "footer", "center", "caption", "address", "figcaption", "td", "th", "tr", "ul",
           "ol", "dl", "table", "form", "main", "aside", "nav", "fieldset"}
_SKIP = {"script", "style", "head", "noscript", "template", "iframe", "object", "svg"}
_CHARSET = re.compile(rb"""charset\s*=\s*["']?([\w-]+)""", re.I)
_SPACE = re.compile(r"[ \t\r\n\f\v]+")


def _text_of(data: bytes, path: Path) -> str:
    declared = _CHARSET.search(data[:4096])
    if declared:
        name = declared[1].decode("ascii").lower()
        encoding = "gb18030" if name in ("gb2312", "gbk", "gb18030", "x-gbk") else name
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    return decode(data, path)


def read(path: Path) -> Document:
    """Read a web page. Raises :class:`PlanError` when it is not text or not HTML at all."""
    import lxml.html

    text = _text_of(path.read_bytes(), path)
    try:
        root = lxml.html.document_fromstring(text)
    except Exception as error:  # lxml refuses an empty or binary document
        raise PlanError("unreadable", path, kind=".html", detail=f"{type(error).__name__}: {error}") from None
    document = Document(str(path))
    _Walk(document).element(root.find("body") if root.find("body") is not None else root)
    return document


def _tag(element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _inline(element, breaks: str) -> str:
    """The text of ``element`` with each ``<br>`` and block boundary written as ``breaks``."""
    parts: list[str] = []

    def visit(node) -> None:
        tag = _tag(node)
        if tag in _SKIP:
            return
        if tag == "br" or (tag in _BLOCKS and parts):
            parts.append(breaks)
        if node.text and tag:
            parts.append(_SPACE.sub(" ", node.text))
        for child in node:
            visit(child)
            if child.tail:
                parts.append(_SPACE.sub(" ", child.tail))
        if tag in _BLOCKS:
            parts.append(breaks)

    visit(element)
    lines = [line.strip() for line in "".join(parts).split(breaks)]
    return breaks.join(line for line in lines if line)


class _Walk:
    def __init__(self, document: Document):
        self.document = document
        self.tables = 0
        self.paragraphs = 0

    def paragraph(self, text: str, level: int | None = None) -> None:
        for line in text.split("\n"):
            if line.strip():
                self.paragraphs += 1
                self.document.blocks.append(Paragraph(line.strip(), Place(paragraph=self.paragraphs), level=level))

    def element(self, element) -> None:
        """Blocks of ``element``'s content in order; text outside any block is a paragraph."""
        loose: list[str] = [_SPACE.sub(" ", element.text)] if element.text else []
        for child in element:
            tag = _tag(child)
            if tag == "table":
                self.paragraph("".join(loose))
                loose = []
                self.table(child)
            elif tag in _SKIP or not tag:
                pass
            elif tag in _BLOCKS and child.xpath(".//table"):
                self.paragraph("".join(loose))
                loose = []
                self.element(child)
            elif tag in _BLOCKS:
                self.paragraph("".join(loose))
                loose = []
                level = int(tag[1]) if re.fullmatch(r"h[1-6]", tag) else None
                self.paragraph(_inline(child, "\n"), level)
            elif tag == "br":
                loose.append("\n")
            else:
                loose.append(_inline(child, "\n"))
            if child.tail:
                loose.append(_SPACE.sub(" ", child.tail))
        self.paragraph("".join(loose))

    def table(self, element) -> None:
        self.tables += 1
        number = self.tables
        rows = [tr for tr in element.iter("tr") if _nearest_table(tr) is element]
        grid: dict[tuple[int, int], Cell] = {}
        width = 0
        for r, tr in enumerate(rows):
            c = 0
            for td in (child for child in tr if _tag(child) in ("td", "th")):
                while (r, c) in grid:
                    c += 1
                rowspan, colspan = _span(td, "rowspan"), _span(td, "colspan")
                text = _inline(td, "\n\n")
                grid[r, c] = Cell(text, rowspan=rowspan, colspan=colspan)
                for dr in range(rowspan):
                    for dc in range(colspan):
                        if (dr, dc) != (0, 0) and r + dr < len(rows):
                            grid[r + dr, c + dc] = Cell(text, merged="right" if dr == 0 else "down")
                c += colspan
                width = max(width, c)
        self.document.blocks.append(Table(
            [Row([grid.get((r, c), Cell("")) for c in range(width)], Place(table=number, row=r + 1))
             for r in range(len(rows))], Place(table=number)))


def _nearest_table(element):
    parent = element.getparent()
    while parent is not None and _tag(parent) != "table":
        parent = parent.getparent()
    return parent


def _span(element, name: str) -> int:
    value = element.get(name, "1").strip()
    return max(1, min(int(value), 1000)) if value.isdigit() else 1
