"""Date windows named in a question: 今天, 本周, 下周, 本月, 下个月, N月, N月底前, 上半年,
下半年, 第N季度, 逾期 (DESIGN §4).

Month and half-year words mean the plan's year; 今天/本周/本月/下个月 count from today.
A today-based window starts today: what is already past due is the answer to 逾期, not
added to other windows. Pure functions: the caller passes today and the plan year.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

import cn2an


@dataclass(frozen=True)
class Window:
    """Tasks due in [``start``, ``end``] (Asia/Shanghai days); ``overdue`` means due before
    ``end`` and still open. ``label`` is the phrase to show ("本月", "10月", "上半年")."""

    label: str
    start: date | None
    end: date
    overdue: bool = False

    def holds(self, due: date) -> bool:
        return (self.start is None or self.start <= due) and due <= self.end


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _month(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), _month_end(year, month)


_MONTHS_EN = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_CN_MONTH = re.compile(r"(十[一二]|[一二三四五六七八九十])(?=月)")
_QUARTER = re.compile(r"第([1-4一二三四])季度|q([1-4])")
_MONTH_BY = re.compile(r"(?<![\d.])(1[0-2]|0?[1-9])月(底前|底|末|前|以前|之前)")
_MONTH = re.compile(r"(?<![\d.])(1[0-2]|0?[1-9])月(?!\d*日)")


def _numerals_to_digits(text: str) -> str:
    return _CN_MONTH.sub(lambda m: str(cn2an.cn2an(m[1], "normal")), text)


def find_window(text: str, today: date, plan_year: int) -> Window | None:
    """The window ``text`` names, or None. ``text`` is canonical (see ``bot.text.canon``),
    names already taken out, so a month inside a name is never read as a window."""
    text = _numerals_to_digits(text)
    if re.search(r"逾期|超期|过期|延期|拖期|overdue", text):
        return Window("逾期", None, today - timedelta(days=1), overdue=True)
    if re.search(r"今天|今日|today", text):
        return Window("今天", today, today)
    if re.search(r"明天|明日|tomorrow", text):
        return Window("明天", today + timedelta(days=1), today + timedelta(days=1))
    monday = today - timedelta(days=today.weekday())
    if re.search(r"下周|下星期|下个星期|下礼拜|nextweek", text):
        return Window("下周", monday + timedelta(days=7), monday + timedelta(days=13))
    if re.search(r"本周|这周|这个星期|本星期|这星期|本礼拜|thisweek", text):
        return Window("本周", today, monday + timedelta(days=6))
    if re.search(r"下个月|下月|nextmonth", text):
        first = _month_end(today.year, today.month) + timedelta(days=1)
        return Window("下个月", *_month(first.year, first.month))
    if re.search(r"本月|这个月|当月|这月|thismonth", text):
        return Window("本月", today, _month_end(today.year, today.month))
    if re.search(r"上半年|firsthalf|h1", text):
        return Window("上半年", date(plan_year, 1, 1), date(plan_year, 6, 30))
    if re.search(r"下半年|secondhalf|h2", text):
        return Window("下半年", date(plan_year, 7, 1), date(plan_year, 12, 31))
    quarter = _QUARTER.search(text)
    if quarter:
        q = int(cn2an.cn2an(quarter[1], "normal")) if quarter[1] else int(quarter[2])
        return Window(f"第{cn2an.an2cn(q)}季度", date(plan_year, 3 * q - 2, 1), _month_end(plan_year, 3 * q))
    by = _MONTH_BY.search(text)
    if by:
        month = int(by[1])
        return Window(f"{month}月底前", date(plan_year, 1, 1), _month_end(plan_year, month))
    named = _MONTH.search(text)
    if named:
        month = int(named[1])
        return Window(f"{month}月", *_month(plan_year, month))
    for name, month in _MONTHS_EN.items():
        if re.search(rf"(in|due|of){name}(?![a-z])", text):  # "due in may", not "may I"
            return Window(f"{month}月", *_month(plan_year, month))
    return None
