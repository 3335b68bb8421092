"""Dates named inside a task's content are milestones (DESIGN §3).

"举办5.30全国科技工作者日系列活动" → 5.30 → 2020-05-30; "“6.18”" (an annual fair held on
June 18) → 2020-06-18; "6月18日" reads the same way. A year ("2020年"), an ordinal ("第13届"),
a count ("20家") or a decimal followed by a unit ("1.5万") is not a milestone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

# M.D not inside a longer number and not followed by a unit or a further digit/dot.
_DOTTED = re.compile(r"(?<![\d.．])(\d{1,2})[.．](\d{1,2})(?![\d.．%％万亿元倍个件次人家项米吨])")
_WRITTEN = re.compile(r"(?<![\d年])(\d{1,2})月(\d{1,2})日")


@dataclass(frozen=True)
class Milestone:
    """An event date named in a task's content: ``date`` (Asia/Shanghai day), ``text`` as written ("5.30")."""

    date: date
    text: str


def find_milestones(content: str, year: int) -> list[Milestone]:
    """Every valid month.day named in ``content`` for plan year ``year``, in order of appearance.

    Impossible dates (13.5, 2.30) are skipped silently: they are not dates but numbers.
    """
    found: list[tuple[int, Milestone]] = []
    for pattern in (_DOTTED, _WRITTEN):
        for match in pattern.finditer(content):
            try:
                day = date(year, int(match[1]), int(match[2]))
            except ValueError:
                continue
            found.append((match.start(), Milestone(day, match[0])))
    seen: set[date] = set()
    result = []
    for _, milestone in sorted(found, key=lambda pair: pair[0]):
        if milestone.date not in seen:
            seen.add(milestone.date)
            result.append(milestone)
    return result
