"""The rows the interpreter walks: cells with where each came from, whatever cut them.

A Word, Excel, CSV, HTML or PDF table gives its rows; a text copy has to be cut into rows
first (:mod:`bot.plan.table.flat`, :mod:`bot.plan.table.lines`, :mod:`bot.plan.table.glued`).
All of them end as :class:`Segment` — a header's columns and the rows under it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.plan.document import Cell, Place
from bot.plan.table.header import Columns


@dataclass
class TableRow:
    """One row: its ``cells`` (the segment's width), ``place`` where it starts, ``places`` where
    each cell starts (a text copy's lines; else the row's place). ``problem`` a reason the row
    cannot be read as it is ("bad_row": its cells could not be cut; "stray_quote"): it is reported,
    not read. ``glued`` a row whose cells a copy ran together: its text is all content."""

    cells: list[Cell]
    place: Place
    places: list[Place] = field(default_factory=list)
    problem: str | None = None
    glued: bool = False

    def place_of(self, index: int) -> Place:
        """Where cell ``index`` starts (the row's place when the format has no finer one)."""
        return self.places[index] if index < len(self.places) else self.place

    @property
    def line(self) -> int | None:
        """The 1-based line (text) or row (a sheet, a table) the row starts at."""
        return self.place.line or self.place.row


@dataclass
class Segment:
    """Rows read under one header: ``columns``; ``rows`` below the header (repeated headers
    included: the walk skips them); ``blank_is_merge`` whether an empty cell repeats the one
    above (a text copy of a Word table); ``table`` the table's number in the document (for
    places), ``sheet`` its sheet's name."""

    columns: Columns
    rows: list[TableRow]
    blank_is_merge: bool
    table: int | None = None
    sheet: str | None = None
