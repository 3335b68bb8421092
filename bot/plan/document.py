"""The document model every plan reader produces and every interpreter reads (DESIGN §3.1).

A reader cuts a file into a :class:`Document`: blocks in reading order, each a
:class:`Paragraph` or a :class:`Table`, and nothing else. No rule about columns, headers,
numbering, names or deadlines lives in a reader; the table and prose interpreters apply
them (``file ──reader──▶ Document ──interpreter──▶ PlanDraft``).

Text conventions inside a block, the same for every format:

* a break the format means as a new entry (a Word paragraph inside a cell, an Excel
  Alt+Enter, a blank line in a text copy) is written ``"\\n\\n"``;
* a break that only wraps (a line of a text copy, a Word soft line break) is ``"\\n"``;
* the text is otherwise as written (no trimming inside, no NFKC): interpreters decide.

Merges: a table is a full grid. A position covered by a merge carries the text of the
merge's top-left cell and says so (``Cell.merged`` "down" or "right"), so an interpreter
sees every row at full width and knows which values were written and which repeat.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Place:
    """Where a block, row or cell is in its file, for reports ("第3行", "表2第5行", "工作表“任务”第7行").

    Every field is optional and 1-based: ``line`` of a text file; ``paragraph`` the
    paragraph's number among the document's paragraphs; ``table`` the table's number among
    the document's tables; ``sheet`` a sheet's name; ``row`` and ``column`` inside a table
    or sheet; ``page`` of a PDF.
    """

    line: int | None = None
    paragraph: int | None = None
    table: int | None = None
    sheet: str | None = None
    row: int | None = None
    column: int | None = None
    page: int | None = None


@dataclass(frozen=True)
class Paragraph:
    """A paragraph outside any table.

    ``text`` as written (soft wraps "\\n"); ``level`` its outline level where the format
    has one (a Word heading or outline level, an HTML h1-h6: 1 = top), else None;
    ``numbering`` the label a format draws outside the text (Word automatic numbering
    rendered, "一、", "（一）", "1."), else None — a label typed into the text stays in ``text``;
    ``style`` the format's style name where it has one ("Title", "Heading 1").
    """

    text: str
    place: Place = field(default_factory=Place)
    level: int | None = None
    numbering: str | None = None
    style: str | None = None


@dataclass(frozen=True)
class Cell:
    """One grid position of a table.

    ``text`` follows the module's break conventions. ``merged``: "down" when the position is
    covered by a vertical merge from a cell above, "right" when by a horizontal merge from a
    cell to its left (a block merge covers with "down" below its first row); None when the
    text was written here. ``rowspan``/``colspan`` are given on the merge's first cell.
    """

    text: str
    merged: Literal["down", "right"] | None = None
    rowspan: int = 1
    colspan: int = 1

    @property
    def written(self) -> bool:
        """The text was written in this position (not repeated from a merge)."""
        return self.merged is None


@dataclass(frozen=True)
class Row:
    """One table row: its cells left to right, and its place in the file."""

    cells: list[Cell]
    place: Place = field(default_factory=Place)
    #: A row the reader could not cut into cells (a text copy whose cell count is off):
    #: interpreters report it with ``problem`` and do not read it as a task.
    problem: str | None = None


@dataclass(frozen=True)
class Table:
    """A table: rows top to bottom, every row the table's width where the format allows.

    ``blank_is_merge``: in this format a vertically merged cell reads as an empty cell (a
    text copy of a Word table), so an empty cell may repeat the one above; False where
    merges are explicit (Word, Excel, HTML) and an empty cell is empty. ``name`` a sheet's
    or caption's name where the format has one. ``place`` where the table starts.

    ``flat``: the format marks where each cell starts but not where a row ends (the seed's
    TAB-led text: every cell on a line of its own, a row's cells one after another); each
    :class:`Row` then holds one cell, in reading order, and the interpreter cuts the rows.
    ``hidden``: a sheet the workbook hides (an old version kept out of sight).
    """

    rows: list[Row]
    place: Place = field(default_factory=Place)
    blank_is_merge: bool = False
    name: str | None = None
    flat: bool = False
    hidden: bool = False

    @property
    def width(self) -> int:
        return max((len(r.cells) for r in self.rows), default=0)


Block = Paragraph | Table


@dataclass
class Document:
    """A plan file as blocks in reading order.

    ``source`` the path as given; ``blocks`` paragraphs and tables interleaved as the file
    has them; ``problems`` what the reader found that is no block's (a sheet it skipped, a
    formula with no saved value), as :class:`bot.plan.model.ImportProblem`.
    """

    source: str
    blocks: list[Block] = field(default_factory=list)
    problems: list = field(default_factory=list)

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]
