"""Stage 3b: the date window a question names (DESIGN §4; issue 12 "windows in colloquial form").

Calendar words mean the plan's year, or the year the question gives (2020年12月, 20年12月):
N月, N月上旬/中旬/下旬, 上半年, 下半年, 第N季度 (四季度, Q4). Words about now count from today:
今天, 明天, 后天, 昨天到期的, 上周, 本周/这礼拜, 下周/下礼拜, 下下周, 上个月, 本月/这个月, 下个月,
下下个月, 上季度, 本季度, 下季度, 最近, N天内/未来N天, 两周内, 未来一个月/N个月内. A deadline in a question
("N月底前", 月底前, 下个月底前, 年底前, 国庆前, 春节前, 周五前, 15号前, 3月8号前) means open tasks due from
today up to that day: what is already past due is the answer to 逾期 and is not added.
Pure functions: the caller passes today and the plan year; holidays come from chinesecalendar.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from datetime import date, timedelta

import cn2an

SOON_DAYS = 14


@dataclass(frozen=True)
class Window:
    """Tasks due in [``start``, ``end``] (Asia/Shanghai days); ``overdue`` means due before
    ``end`` and still open. ``label`` is the phrase to show ("本月", "10月", "上半年");
    ``until`` marks a deadline counted from today ("9月底前"), whose overdue tasks are
    answered by 逾期 and only counted in the reply; ``since`` the first day of a period counted
    from today (本周, 本月, 本季度), whose days before today hold overdue tasks counted the same way;
    ``unknown`` a holiday whose date the holiday table does not have yet (春节前 past its years)."""

    label: str
    start: date | None
    end: date
    overdue: bool = False
    until: bool = False
    since: date | None = None
    unknown: bool = False

    def holds(self, due: date) -> bool:
        return (self.start is None or self.start <= due) and due <= self.end


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _month(label: str, year: int, month: int) -> Window:
    return Window(label, date(year, month, 1), _month_end(year, month))


def _add_months(day: date, months: int) -> date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _quarter(label: str, year: int, q: int, start: date | None = None) -> Window:
    first = date(year, 3 * q - 2, 1)
    return Window(label, start or first, _month_end(year, 3 * q), since=first if start else None)


def _monday(today: date) -> date:
    return today - timedelta(days=today.weekday())


def _until(label: str, today: date, end: date) -> Window:
    return Window(label, today, end, until=True)


def _count(text: str) -> int:
    """"30" → 30, "两" → 2, "三十" → 30, "一" → 1."""
    return int(text) if text.isdigit() else int(cn2an.cn2an(text.replace("两", "二"), "normal"))


_HOLIDAYS = {"国庆": "National Day", "十一": "National Day", "春节": "Spring Festival", "过年": "Spring Festival",
             "五一": "Labour Day", "劳动节": "Labour Day", "清明": "Tomb-sweeping Day",
             "端午": "Dragon Boat Festival", "中秋": "Mid-autumn Festival", "元旦": "New Year's Day"}


def _holiday(name: str, year: int, today: date) -> date | None:
    """The first day of the named holiday in ``year`` (the next one after today when that is
    later), from chinesecalendar's table; None outside its years."""
    if name == "元旦":  # always 1 January: no table needed, so years past the table's end work too
        first = date(year + 1, 1, 1)
        return first if first > today else date(today.year + 1, 1, 1)
    import chinese_calendar

    wanted = _HOLIDAYS[name]
    for y in (year, year + 1):
        days = sorted(d for d, n in chinese_calendar.holidays.items() if d.year == y and n == wanted)
        if days and days[0] > today:
            return days[0]
    return None


def holiday_table_end() -> int:
    """The last year chinesecalendar's holiday table covers (a holiday after it is not known)."""
    import chinese_calendar

    return max(chinese_calendar.holidays).year


def _before_holiday(m: re.Match[str], t: date, y: int) -> Window | None:
    first = _holiday(m[1], y if y >= t.year else t.year, t)
    if first is None:  # past the table's years: said, never searched for as words
        return Window(f"{m[1]}前", t, t, until=True, unknown=True)
    return _until(f"{m[1]}前", t, first - timedelta(days=1))


def _weekday_before(m: re.Match[str], t: date, y: int) -> Window:
    day = "一二三四五六日天".index(m[1]) if m[1] in "一二三四五六日天" else int(m[1]) - 1
    end = _monday(t) + timedelta(days=min(day, 6))
    if end < t:
        end += timedelta(days=7)
    return _until(f"周{m[1]}前", t, end)


def _day_before(m: re.Match[str], t: date, y: int) -> Window:
    day = _count(m[1])
    month_end = calendar.monthrange(t.year, t.month)[1]
    end = date(t.year, t.month, min(day, month_end))
    if end < t:
        nxt = _add_months(date(t.year, t.month, 1), 1)
        end = date(nxt.year, nxt.month, min(day, calendar.monthrange(nxt.year, nxt.month)[1]))
    return _until(f"{day}号前", t, end)


def _day_of_month(m: re.Match[str], t: date, y: int) -> Window | None:
    day = _count(m[1])
    if not 1 <= day <= 31:
        return None
    first = date(t.year, t.month, 1) if day >= t.day else _add_months(date(t.year, t.month, 1), 1)
    last = calendar.monthrange(first.year, first.month)[1]
    if day > last:
        return None
    on = date(first.year, first.month, day)
    return Window(f"{on.month}月{on.day}日", on, on)


def _on(m: re.Match[str], year: int, make: Callable[[date], Window]) -> Window | None:
    """The window ``make`` gives for the day month ``m[1]``, day ``m[2]`` of ``year``; None for
    a day the month lacks (2月30号)."""
    try:
        return make(date(year, int(m[1]), int(m[2])))
    except ValueError:
        return None


_Build = Callable[[re.Match[str], date, int], Window | None]
_MONTHS_EN = "|".join(name.lower() for name in calendar.month_name if name)
_N = r"(\d+|[一二两三四五六七八九十]+)"
_BEFORE = r"(?:底前|底之前|底以前|底|末|前|之前|以前)"
# (pattern over normal text, window); the first that matches wins, so longer phrases come first.
_RULES: list[tuple[re.Pattern[str], _Build]] = [
    (re.compile(r"逾期|超期|过期|延期|拖期|超时|过了(?:截止|最后)?(?:日期|期限|时间|时限|deadline|ddl)|"
                r"过了截止|已经过了|overdue|late(?![a-z])|pastdue|past due"),
     lambda m, t, y: Window("逾期", None, t - timedelta(days=1), overdue=True)),
    (re.compile(r"今天|今日|today"), lambda m, t, y: Window("今天", t, t)),
    (re.compile(r"大后天"), lambda m, t, y: Window("大后天", t + timedelta(days=3), t + timedelta(days=3))),
    (re.compile(r"后天"), lambda m, t, y: Window("后天", t + timedelta(days=2), t + timedelta(days=2))),
    (re.compile(r"明天|明日|tomorrow"), lambda m, t, y: Window("明天", t + timedelta(days=1), t + timedelta(days=1))),
    (re.compile(r"昨天|昨日|yesterday"), lambda m, t, y: Window("昨天", t - timedelta(days=1), t - timedelta(days=1))),
    (re.compile(r"前天"), lambda m, t, y: Window("前天", t - timedelta(days=2), t - timedelta(days=2))),
    (re.compile(rf"(?:未来|接下来|今后|最近|近){_N}(?:个)?(?:天|日)|{_N}(?:天|日)(?:内|之内|以内)|"
                r"(?:next|within|in)(\d+)days?"),
     lambda m, t, y: _until(f"{_count(m[1] or m[2] or m[3])}天内", t,
                            t + timedelta(days=_count(m[1] or m[2] or m[3])))),
    (re.compile(rf"(?:未来|接下来|今后|最近|近){_N}(?:个)?(?:周|星期|礼拜)|{_N}(?:个)?(?:周|星期|礼拜)(?:内|之内|以内)|"
                r"(?:next|within|in)(\d+|two)weeks?"),
     lambda m, t, y: _until(f"{7 * _count((m[1] or m[2] or m[3]).replace('two', '2'))}天内", t,
                            t + timedelta(days=7 * _count((m[1] or m[2] or m[3]).replace("two", "2"))))),
    (re.compile(rf"(?:未来|接下来|今后|最近|近){_N}个月|{_N}个月(?:内|之内|以内)|(?:next|within|in)(\d+|a|one)months?"),
     lambda m, t, y: _until(f"{_count((m[1] or m[2] or m[3]).replace('a', '1').replace('one', '1'))}个月内", t,
                            _add_months(t, _count((m[1] or m[2] or m[3]).replace("a", "1").replace("one", "1"))))),
    (re.compile(r"下下(?:周|星期|个星期|礼拜|个礼拜)"),
     lambda m, t, y: Window("下下周", _monday(t) + timedelta(days=14), _monday(t) + timedelta(days=20))),
    (re.compile(r"下周|下星期|下个星期|下礼拜|下个礼拜|nextweek|next week"),
     lambda m, t, y: Window("下周", _monday(t) + timedelta(days=7), _monday(t) + timedelta(days=13))),
    (re.compile(r"本周|这周|这个星期|本星期|这星期|本礼拜|这礼拜|这个礼拜|周内|thisweek|this week"),
     lambda m, t, y: Window("本周", t, _monday(t) + timedelta(days=6), since=_monday(t))),
    (re.compile(r"(?:周|星期|礼拜)([一二三四五六日天1-7])(?:前|之前|以前)"), _weekday_before),
    (re.compile(r"最近|近期|快到期|即将到期|马上到期|快要到期|马上要到期|soon"),
     lambda m, t, y: _until(f"{SOON_DAYS}天内", t, t + timedelta(days=SOON_DAYS))),
    (re.compile(r"上周|上星期|上个星期|上礼拜|上个礼拜|lastweek|last week"),
     lambda m, t, y: Window("上周", _monday(t) - timedelta(days=7), _monday(t) - timedelta(days=1))),
    (re.compile(r"上个月|上月|lastmonth|last month"),
     lambda m, t, y: _month("上个月", *(lambda d: (d.year, d.month))(_add_months(date(t.year, t.month, 1), -1)))),
    (re.compile(r"上季度|上个季度|上一季度|lastquarter|last quarter"),
     lambda m, t, y: _quarter("上季度", *(lambda d: (d.year, (d.month - 1) // 3 + 1))(
         _add_months(date(t.year, t.month, 1), -3)))),
    (re.compile(r"下下个月|下下月"),
     lambda m, t, y: _month("下下个月", *(lambda d: (d.year, d.month))(_add_months(date(t.year, t.month, 1), 2)))),
    (re.compile(rf"(?:下个月|下月){_BEFORE}"),
     lambda m, t, y: _until("下个月底前", t, _month_end(*(lambda d: (d.year, d.month))(
         _add_months(date(t.year, t.month, 1), 1))))),
    (re.compile(r"下个月|下月|nextmonth|next month"),
     lambda m, t, y: _month("下个月", *(lambda d: (d.year, d.month))(_add_months(date(t.year, t.month, 1), 1)))),
    (re.compile(rf"(?:本|这个|这|当|(?<![\d个]))月{_BEFORE}|(?:本月|这个月|这月|当月){_BEFORE}|"
                r"(?:by|before)(?:the)?end(?:of)?(?:the|this)?month"),
     lambda m, t, y: _until("月底前", t, _month_end(t.year, t.month))),
    (re.compile(r"本月|这个月|当月|这月|thismonth|this month"),
     lambda m, t, y: Window("本月", t, _month_end(t.year, t.month), since=t.replace(day=1))),
    (re.compile(r"本季度|这季度|这个季度|thisquarter|this quarter"),
     lambda m, t, y: _quarter("本季度", t.year, (t.month - 1) // 3 + 1, start=t)),
    (re.compile(r"下季度|下个季度|下一季度|nextquarter|next quarter"),
     lambda m, t, y: _quarter("下季度", *(lambda d: (d.year, (d.month - 1) // 3 + 1))(
         _add_months(date(t.year, t.month, 1), 3)))),
    (re.compile(r"上半年|firsthalf|first half|h1(?![0-9])"),
     lambda m, t, y: Window("上半年", date(y, 1, 1), date(y, 6, 30))),
    (re.compile(r"下半年|secondhalf|second half|h2(?![0-9])"),
     lambda m, t, y: Window("下半年", date(y, 7, 1), date(y, 12, 31))),
    (re.compile(r"第?([1-4])(?:个)?季度|q([1-4])(?![0-9])"),
     lambda m, t, y: _quarter(f"第{cn2an.an2cn(int(m[1] or m[2]))}季度", y, int(m[1] or m[2]))),
    (re.compile(r"(?:年底|年末|年终|年内|今年内|本年内|年前)(?:前|之前|以前)?|(?:by|before)(?:the)?endof(?:the)?year"),
     lambda m, t, y: _until("年底前", t, date(y, 12, 31))),
    (re.compile(r"(国庆|十一|春节|过年|五一|劳动节|清明|端午|中秋|元旦)(?:节)?(?:前|之前|以前|放假前)"),
     _before_holiday),
    (re.compile(r"(?<![\d.])(1[0-2]|0?[1-9])月([1-3]?\d)(?:号|日)(?:前|之前|以前)"),
     lambda m, t, y: _on(m, y, lambda day: _until(f"{day.month}月{day.day}日前", t, day))),
    (re.compile(r"(?<![\d.])(1[0-2]|0?[1-9])月([1-3]?\d)(?:号|日)(?!前|之前|以前)"),
     lambda m, t, y: _on(m, y, lambda day: Window(f"{day.month}月{day.day}日", day, day))),
    (re.compile(r"(?<![\d.])([1-3]?\d)(?:号|日)(?:前|之前|以前)"), _day_before),
    # "5.30前", "12.24到期的": month.day written with a dot
    (re.compile(r"(?<![\d.])(1[0-2]|0?[1-9])[.．]([1-3]?\d)(?:号|日)?(?:前|之前|以前)"),
     lambda m, t, y: _on(m, y, lambda day: _until(f"{day.month}月{day.day}日前", t, day))),
    (re.compile(r"(?<![\d.])(1[0-2]|0?[1-9])[.．]([1-3]?\d)(?:号|日)?(?=到期|截止)"),
     lambda m, t, y: _on(m, y, lambda day: Window(f"{day.month}月{day.day}日", day, day))),
    # "24号到期的": that day of this month (of the next when it is past)
    (re.compile(r"(?<![\d.月])([1-3]?\d)(?:号|日)(?=到期|截止|要交|要完成|完成的)"), _day_of_month),
    (re.compile(rf"(?<![\d.])(1[0-2]|0?[1-9])月{_BEFORE}"),
     lambda m, t, y: _until(f"{int(m[1])}月底前", t, _month_end(y, int(m[1])))),
    (re.compile(r"(?<![\d.])(1[0-2]|0?[1-9])月(?:份)?(上旬|中旬|下旬)"),
     lambda m, t, y: Window(f"{int(m[1])}月{m[2]}", date(y, int(m[1]), {"上旬": 1, "中旬": 11, "下旬": 21}[m[2]]),
                            date(y, int(m[1]), 10) if m[2] == "上旬" else date(y, int(m[1]), 20) if m[2] == "中旬"
                            else _month_end(y, int(m[1])))),
    (re.compile(r"(?<![\d.])(1[0-2]|0?[1-9])月(?:份)?(?!\d*[日号])"),
     lambda m, t, y: _month(f"{int(m[1])}月", y, int(m[1]))),
    (re.compile(rf"(?:in|due|of|by|during) ?({_MONTHS_EN})(?![a-z])"),  # "due in may", not "may I"
     lambda m, t, y: _month(f"{list(calendar.month_name).index(m[1].title())}月", y,
                            list(calendar.month_name).index(m[1].title()))),
]
_CN_MONTH = re.compile(r"(?<![一二三四五六七八九十\d])(十[一二]|[一二三四五六七八九十])(?=月)")
_CN_QUARTER = re.compile(r"([一二三四])(?=季度)")
_CALENDAR_AFTER = r"(?=\d|十|[一二三四五六七八九]月|上半年|下半年|第|[1-4一二三四]季度|q\d|底|末)"
_YEAR = re.compile(r"(?<!\d)(20\d\d|\d\d)年(?:度)?" + _CALENDAR_AFTER)
# A year counted from today, written before a calendar word ("明年1月", "去年四季度").
# Years counted from today; also how a question names next or last year's plan (handlers/plan_named.py).
RELATIVE_YEARS = {"明年": 1, "来年": 1, "下一年": 1, "下年度": 1, "下一年度": 1, "去年": -1, "上一年": -1,
                  "上年度": -1, "上一年度": -1, "今年": 0, "本年": 0, "本年度": 0}
_YEAR_WORDS = "|".join(sorted(RELATIVE_YEARS, key=len, reverse=True))
RELATIVE_YEAR = re.compile(rf"({_YEAR_WORDS})(?:度)?(?:的)?" + _CALENDAR_AFTER)


def _numerals_to_digits(text: str) -> str:
    text = _CN_MONTH.sub(lambda m: str(cn2an.cn2an(m[1], "normal")), text)
    return _CN_QUARTER.sub(lambda m: str(cn2an.cn2an(m[1], "normal")), text)


def _coming(window: Window, next_year: Window | None, today: date, dues: Collection[date]) -> Window:
    """``window`` or, when it is past and the same words a year later are not, that one."""
    if next_year is None or next_year == window or next_year.end < today:
        return window
    coming = replace(next_year, label=f"{next_year.end.year}年{next_year.label}")
    if window.until and window.end < today and any(
            date(next_year.end.year, 1, 1) <= d <= next_year.end for d in dues):
        return coming
    if not window.until and window.end < today.replace(day=1) and any(next_year.holds(d) for d in dues):
        return coming
    return window


def find_window(text: str, today: date, plan_year: int,
                dues: Collection[date] = ()) -> tuple[Window | None, str]:
    """The window ``text`` names and ``text`` with that phrase taken out; (None, text) if none.

    ``text`` is in normal form with names already taken out, so a month inside a name is
    never read as a window. A year written before a month, quarter or half-year is that year
    ("20年12月" is December 2020), whatever the plan's year. With no year written, a calendar
    word already past means the coming one when the plan has due dates (``dues``) there (a
    2026 plan's tasks due in January 2027): a deadline ("1月底前" on 3 December) when some are
    due in the coming year up to it, a month or quarter wholly before this month when some are
    due inside it. A plan with nothing due next year keeps its year (9月底前 on 2 November:
    nothing left to do, the overdue ones are counted)."""
    text = _numerals_to_digits(text)
    year = plan_year
    written_year = _YEAR.search(text)
    relative = None if written_year else RELATIVE_YEAR.search(text)
    if written_year:
        year = int(written_year[1]) if len(written_year[1]) == 4 else 2000 + int(written_year[1])
        text = text[: written_year.start()] + text[written_year.end():]
    elif relative:
        year = today.year + RELATIVE_YEARS[relative[1]]
        text = text[: relative.start()] + text[relative.end():]
        written_year = relative
    for pattern, build in _RULES:
        match = pattern.search(text)
        if match:
            window = build(match, today, year)
            if window is not None and not written_year:
                window = _coming(window, build(match, today, year + 1), today, dues)
            if window is not None and written_year and year != today.year and not window.label.startswith(str(year)):
                window = replace(window, label=f"{year}年{window.label}")
            if window is not None:
                return window, text[: match.start()] + " " + text[match.end():]
    return None, text
