"""完成时间 phrases → due dates (DESIGN §3, cases/bug18).

A phrase is read after its soft wraps are joined and its Chinese numerals turned into
digits (cn2an): "九月底前" reads as "9月底前", "第三季度" as "第3季度". An explicit year
("2021年6月底前", "2021/6/30" from a spreadsheet's date cell) wins over the plan year.
What no rule reads is kept as text with no due date; the importer lists it in its report.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import cn2an

from bot.text import strip_blank


@dataclass(frozen=True)
class Deadline:
    """The reading of one 完成时间 cell.

    ``text`` is the phrase as written with soft wraps joined ("全年开展"); ``due`` the date it
    implies (Asia/Shanghai calendar day) or None when it does not parse; ``ongoing`` is True
    for 全年开展-like phrases (due 12-31, shown but not counted down).
    """

    text: str
    due: date | None
    ongoing: bool = False


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


_QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}
_TEN_DAY = {"上旬": 10, "中旬": 20}

# (pattern over the normalised phrase, year → (due, ongoing)); the first full match wins.
_Rule = tuple[re.Pattern[str], Callable[[int, re.Match[str]], tuple[date, bool]]]
_RULES: list[_Rule] = [
    (re.compile(r"(全年开展|全年|全年推进|长期坚持|长期|持续推进|持续开展|常态化开展|常态化)"),
     lambda y, m: (date(y, 12, 31), True)),
    (re.compile(r"上半年(完成)?"), lambda y, m: (date(y, 6, 30), False)),
    (re.compile(r"下半年(完成)?"), lambda y, m: (date(y, 12, 31), False)),
    (re.compile(r"年?(底前|底|末|内)(完成)?"), lambda y, m: (date(y, 12, 31), False)),
    (re.compile(r"第?([1-4])季度(末)?(前)?(完成)?"),
     lambda y, m: (date(y, *_QUARTER_END[int(m[1])]), False)),
    (re.compile(r"(\d{1,2})月(上旬|中旬)(前)?"),
     lambda y, m: (date(y, int(m[1]), _TEN_DAY[m[2]]), False)),
    (re.compile(r"(\d{1,2})月(下旬|底前|底|末|月底前|月底|月末)(前)?(完成)?"),
     lambda y, m: (_month_end(y, int(m[1])), False)),
    (re.compile(r"(\d{1,2})月(\d{1,2})日(前|之前|以前)?(完成)?"),
     lambda y, m: (date(y, int(m[1]), int(m[2])), False)),
    (re.compile(r"(\d{1,2})月(份)?(完成)?"), lambda y, m: (_month_end(y, int(m[1])), False)),
    # A date typed as a date in Excel reads 2021/6/30 (see xlsx_reader); its year is its own.
    (re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(日)?(前|之前|以前)?(完成)?"),
     lambda y, m: (date(int(m[1]), int(m[2]), int(m[3])), False)),
]
_EXPLICIT_YEAR = re.compile(r"(\d{4})年(度)?(?=.)")


def parse_deadline(raw: str, year: int) -> Deadline:
    """Read a 完成时间 cell for plan year ``year``.

    ``raw`` may carry soft wraps ("全年\\n\\n开展"). Returns a :class:`Deadline`; its ``due`` is
    None when no rule reads the phrase (including impossible dates such as 2月30日).
    Rules: DESIGN §3 ("Deadline phrases"); "2月底前" in 2028 is 2028-02-29.
    """
    text = strip_blank(raw)
    try:
        phrase = cn2an.transform(text, "cn2an")
    except Exception:  # cn2an rejects some odd strings; read them as written
        phrase = text
    explicit = _EXPLICIT_YEAR.match(phrase)
    if explicit:
        year = int(explicit[1])
        phrase = phrase[explicit.end():]
    for pattern, reading in _RULES:
        match = pattern.fullmatch(phrase)
        if match:
            try:
                due, ongoing = reading(year, match)
            except ValueError:  # 13月, 2月30日
                return Deadline(text, None)
            return Deadline(text, due, ongoing)
    return Deadline(text, None)
