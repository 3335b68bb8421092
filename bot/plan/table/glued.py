"""A table whose copy ran every cell together ("序号项目名称主要内容…1增加教育资源供给实施…何海平教育局…2促进…").

Nothing marks where a cell ends, so the cells cannot be told apart; what can be found is the
header (header words one after another, run together or spaced) and the rows, each led by
the next number of the 序号 column ("1", then "2"…; a number followed by a unit, "3个",
"1 次", "(3 月底前)", is part of a text). Each row is read as a task whose text is everything
in it, and is reported as such so that someone checks it; the text before the first number
is reported, not read. A header repeated after a page break is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.plan.document import Cell, Paragraph, Place
from bot.plan.rules.labels import COMMON_LABELS
from bot.plan.table.rows import TableRow

_WORD = "|".join(re.escape(w).replace(r"\(", r"[(（]").replace(r"\)", r"[)）]")
                 for w in sorted(COMMON_LABELS, key=len, reverse=True))
_HEADER = re.compile(rf"(?:(?:{_WORD})\s*){{3,}}")
# What a number followed by it counts or dates, not a row: "3个", "1 次", "3 月底前", "4%".
_UNIT = "个人万亿元家次年月日天条名所项倍户座千百%％分岁届期批小时周亩米吨台辆套栋处件场项"


@dataclass
class GluedTable:
    """The header found run together, its labels, and the rows led by running numbers."""

    labels: list[str]
    rows: list[TableRow] = field(default_factory=list)
    before: tuple[Place, str] | None = None
    start: int = 0  # the index of the paragraph holding the header


def find(paragraphs: list[Paragraph]) -> GluedTable | None:
    """The first table in ``paragraphs`` whose cells a copy ran together, or None."""
    for index, paragraph in enumerate(paragraphs):
        header = _HEADER.search(paragraph.text)
        if not header:
            continue
        labels = re.findall(_WORD, header[0])
        body = paragraph.text[header.end():] + "".join(p.text for p in paragraphs[index + 1:])
        body = _HEADER.sub("", body)  # the header again, after a page break
        table = GluedTable(labels, start=index)
        _rows(table, body, paragraph.place)
        if table.rows:
            return table
    return None


def header_words(text: str) -> list[str]:
    """The header words of a run of three or more in ``text`` ("序号工作任务责任单位…"), else []."""
    run = _HEADER.search(text)
    return re.findall(_WORD, run[0]) if run else []


def _next(body: str, number: int, start: int) -> re.Match[str] | None:
    pattern = re.compile(rf"(?<![\d.．]){number}(?![\d.．])\s*(?=[^\s\d{_UNIT}])")
    return pattern.search(body, start)


def _rows(table: GluedTable, body: str, place: Place) -> None:
    found = _next(body, 1, 0)
    if found is None:
        return
    if body[:found.start()].strip():
        table.before = (place, body[:found.start()].strip())
    number = 1
    while found:
        after = _next(body, number + 1, found.end())
        text = body[found.end(): after.start() if after else len(body)].strip()
        table.rows.append(TableRow([Cell(str(number)), Cell(text)], place, glued=True))
        number += 1
        found = after
