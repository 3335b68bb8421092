"""Date windows named in a question: 今天, 明天, 本周, 下周, 最近, 本月, 下个月, 本季度, N月,
N月底前, 上半年, 下半年, 第N季度, 年底前, 逾期 (DESIGN §4).

Month, quarter and half-year words mean the plan's year; 今天/本周/本月/最近 count from
today. A today-based window starts today: what is already past due is the answer to 逾期,
not added to other windows. Pure functions: the caller passes today and the plan year.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import cn2an

SOON_DAYS = 14


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


def _month(label: str, year: int, month: int) -> Window:
    return Window(label, date(year, month, 1), _month_end(year, month))


def _quarter(label: str, year: int, q: int, start: date | None = None) -> Window:
    return Window(label, start or date(year, 3 * q - 2, 1), _month_end(year, 3 * q))


def _next_month(today: date) -> Window:
    first = _month_end(today.year, today.month) + timedelta(days=1)
    return _month("下个月", first.year, first.month)


def _monday(today: date) -> date:
    return today - timedelta(days=today.weekday())


_Build = Callable[[re.Match[str], date, int], Window]
_MONTHS_EN = "|".join(name.lower() for name in calendar.month_name if name)
# (pattern over canonical text, window); the first that matches wins, so longer phrases come first.
_RULES: list[tuple[re.Pattern[str], _Build]] = [
    (re.compile(r"逾期|超期|过期|延期|拖期|overdue"),
     lambda m, t, y: Window("逾期", None, t - timedelta(days=1), overdue=True)),
    (re.compile(r"今天|今日|today"), lambda m, t, y: Window("今天", t, t)),
    (re.compile(r"明天|明日|tomorrow"), lambda m, t, y: Window("明天", t + timedelta(days=1), t + timedelta(days=1))),
    (re.compile(r"下周|下星期|下个星期|下礼拜|nextweek"),
     lambda m, t, y: Window("下周", _monday(t) + timedelta(days=7), _monday(t) + timedelta(days=13))),
    (re.compile(r"本周|这周|这个星期|本星期|这星期|本礼拜|thisweek"),
     lambda m, t, y: Window("本周", t, _monday(t) + timedelta(days=6))),
    (re.compile(r"最近|近期|快到期|即将到期|马上到期|快要到期|soon"),
     lambda m, t, y: Window(f"{SOON_DAYS}天内", t, t + timedelta(days=SOON_DAYS))),
    (re.compile(r"下个月|下月|nextmonth"), lambda m, t, y: _next_month(t)),
    (re.compile(r"本月|这个月|当月|这月|thismonth"),
     lambda m, t, y: Window("本月", t, _month_end(t.year, t.month))),
    (re.compile(r"本季度|这季度|这个季度|thisquarter"),
     lambda m, t, y: _quarter("本季度", t.year, (t.month - 1) // 3 + 1, start=t)),
    (re.compile(r"上半年|firsthalf"), lambda m, t, y: Window("上半年", date(y, 1, 1), date(y, 6, 30))),
    (re.compile(r"下半年|secondhalf"), lambda m, t, y: Window("下半年", date(y, 7, 1), date(y, 12, 31))),
    (re.compile(r"第([1-4])季度|q([1-4])"),
     lambda m, t, y: _quarter(f"第{cn2an.an2cn(int(m[1] or m[2]))}季度", y, int(m[1] or m[2]))),
    (re.compile(r"年底前|年底|年内|今年"), lambda m, t, y: Window("年底前", date(y, 1, 1), date(y, 12, 31))),
    (re.compile(r"(?<![\d.])(1[0-2]|0?[1-9])月(底前|底|末|前|以前|之前)"),
     lambda m, t, y: Window(f"{int(m[1])}月底前", date(y, 1, 1), _month_end(y, int(m[1])))),
    (re.compile(r"(?<![\d.])(1[0-2]|0?[1-9])月(份)?(?!\d*日)"),
     lambda m, t, y: _month(f"{int(m[1])}月", y, int(m[1]))),
    (re.compile(rf"(?:in|due|of)({_MONTHS_EN})(?![a-z])"),  # "due in may", not "may I"
     lambda m, t, y: _month(f"{list(calendar.month_name).index(m[1].title())}月", y,
                            list(calendar.month_name).index(m[1].title()))),
]
_CN_MONTH = re.compile(r"(?<![一二三四五六七八九十\d])(十[一二]|[一二三四五六七八九十])(?=月)")
_CN_QUARTER = re.compile(r"(?<=第)([一二三四])(?=季度)")


def _numerals_to_digits(text: str) -> str:
    text = _CN_MONTH.sub(lambda m: str(cn2an.cn2an(m[1], "normal")), text)
    return _CN_QUARTER.sub(lambda m: str(cn2an.cn2an(m[1], "normal")), text)


def find_window(text: str, today: date, plan_year: int) -> tuple[Window | None, str]:
    """The window ``text`` names and ``text`` with that phrase taken out; (None, text) if none.

    ``text`` is canonical (see ``bot.text.canon``) with names already taken out, so a month
    inside a name is never read as a window."""
    text = _numerals_to_digits(text)
    for pattern, build in _RULES:
        match = pattern.search(text)
        if match:
            return build(match, today, plan_year), text[: match.start()] + " " + text[match.end():]
    return None, text
