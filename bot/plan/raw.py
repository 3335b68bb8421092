"""The shape every plan reader hands to :func:`bot.plan.table.build_plan`.

A reader knows its file format (TAB-led text, Word, Excel, CSV); it does not know the plan's
rules. It returns the text around the table (for the title, year and issue date) and the
table's rows as raw cell strings, line breaks kept, so that the rules of DESIGN §3 that
depend on line breaks (blank line = separator in 责任人, soft wrap elsewhere) apply once.
A reader writes a break its format means as a new entry (a Word paragraph, an Excel
Alt+Enter) as a blank line, and a break that only wraps (a text line, a Word line break)
as a single one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.plan.model import ImportProblem
from bot.text import canon

# A table row count no plan comes near: a big office's plan has 1,400 tasks (with its section
# and repeated header rows, under 2,000 rows). Past it, the file is something else, or a stray
# cell far below the table; reading on would only print a warning per empty row.
MAX_ROWS = 20_000

# Header cell words by column, compared in canonical form. DESIGN §3 and issue 7's synonyms.
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "section": ("章节", "类别", "工作类别", "项目"),
    "number": ("序号", "编号"),
    "content": ("工作内容", "工作任务", "重点任务", "重点工作", "任务内容", "主要任务", "工作事项"),
    "deadline": ("完成时间", "完成时限", "时间节点", "完成时间节点", "时限", "完成期限"),
    "lead": ("牵头领导", "责任领导", "分管领导", "领导"),
    "owners": ("责任人", "具体责任人", "经办人", "责任人员"),
    "units": ("相关部室、单位", "相关部室单位", "责任单位", "牵头单位", "配合单位", "责任部门",
              "相关单位", "责任部室"),
}
_HEADER_LOOKUP = {canon(word): column for column, words in HEADER_WORDS.items() for word in words}

# "1." "6、" "2. " "３．" at the start of a content cell; "5.30" is not a task number. Digits
# are ASCII or full-width: "①." or "²." is no number (int() fails on both).
TASK_NUMBER = re.compile(r"^\s*([0-9０-９]{1,3})\s*[.．、](?!\d)\s*")
# A 序号 cell: up to 4 digits (a plan has no 10,000th task; 23 digits overflow SQLite's INTEGER).
WRITTEN_NUMBER = re.compile(r"[0-9０-９]{1,4}")
# "一、进一步强化政治引领"
SECTION_HEADING = re.compile(r"^\s*([一二三四五六七八九十]{1,3})\s*[、.．]\s*(.+?)\s*$", re.S)


# A Word line break (vertical tab) or page break (form feed) pasted into a cell is a line break.
# What XML 1.0 cannot carry (the .xlsx export, WeCom's XML replies): C0 controls other than
# TAB, LF and CR, U+FFFE and U+FFFF, lone surrogates.
class NotAPlan(ValueError):
    """The file holds no task table a reader can find (no table, no header row, not the
    format its extension says, damaged, password-protected)."""


def header_column(cell: str) -> str | None:
    """The column a header cell names ("完成 时间" → "deadline"), or None if it names none."""
    return _HEADER_LOOKUP.get(canon(cell))


def header_columns(cells: list[str]) -> list[str | None] | None:
    """The columns a header row names, one per cell, or None when ``cells`` is no header row.

    A header row names the content column and at least two others, in any order; cells
    naming nothing (备注, a blank) are columns the plan does not read (None). A header cell
    spanning two columns (a merge read into both) names both: when the plan has no section
    column, the content header spanning it, or a blank header left of content, is the
    section column (the seed's 工作内容 spans the section and the content, DESIGN §3).
    """
    columns = [header_column(cell) for cell in cells]
    if "content" not in columns or sum(1 for c in columns if c) < 3:
        return None
    if "section" not in columns:
        first = columns.index("content")
        if first + 1 < len(columns) and columns[first + 1] == "content":
            columns[first] = "section"
        elif first > 0 and columns[first - 1] is None and not cells[first - 1].strip():
            columns[first - 1] = "section"
    return columns


@dataclass
class RawRow:
    """One table row as written: ``cells`` raw strings; ``line`` where it starts (1-based);
    ``cell_lines`` where each cell starts, when the format has lines (else the row's line);
    ``bad`` when the reader could not cut it into the table's cells (it is reported, not read);
    ``problem`` when the reader found why the row cannot be read (a CSV quote left open): the
    row is not read and that problem is reported in its place."""

    line: int
    cells: list[str]
    cell_lines: list[int] = field(default_factory=list)
    bad: bool = False
    problem: ImportProblem | None = None

    def line_of(self, index: int) -> int:
        return self.cell_lines[index] if index < len(self.cell_lines) else self.line


@dataclass
class RawTable:
    """A reader's output: ``preamble`` (text before the table), ``rows`` in order, ``source`` path.

    ``fill_down``: an empty cell takes the value above it (the text format, where a vertically
    merged cell reads as empty, DESIGN §3). False where merges are explicit (Word, Excel: the
    reader has already given a merged value to every row it spans) and an empty cell is empty.
    ``problems``: what the reader found that is no row's (a table it did not read, formulas
    with no saved value), reported before the rules' own.
    """

    source: str
    preamble: str
    rows: list[RawRow] = field(default_factory=list)
    fill_down: bool = True
    problems: list[ImportProblem] = field(default_factory=list)
