"""完成时间 phrases → due dates (DESIGN §3 "Deadline phrases", §3.1 "Deadlines", cases/bug18).

A phrase is read after its blanks are dropped ("11 月底前", as a PDF copy spaces it, reads as
"11月底前"), its full-width forms made ASCII and its Chinese numerals turned into digits
(cn2an): "九月底前" reads as "9月底前", "第三季度" as "第3季度". An explicit year
("2021年6月底前", "于2021年6月底前", "2021/6/30" from a spreadsheet's date cell, "到2022年")
wins over the plan year. A deadline may end in what is done by then ("9月投入使用",
"5月底前动工"): the date is the deadline. A phrase naming several periods
("上半年、三季度、四季度", "第一、二、三、四季度", "第二三季度") is a schedule: each period is a
milestone and the latest is due. What no rule reads is kept as text with no due date; the
importer lists it in its report.

Public API: :func:`parse_deadline` (one 完成时间 cell), :func:`find_schedule` (period
phrases inside a task's text, for plans with no deadline column) and :func:`find_dated_clauses`
(deadlines in brackets inside a task's text: milestones).
"""

from __future__ import annotations

import calendar
import re
import unicodedata
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import cn2an

from bot.plan.rules.festivals import FESTIVALS, holiday_start
from bot.plan.rules.milestones import Milestone
from bot.text import join_wrapped, strip_blank


@dataclass(frozen=True)
class Deadline:
    """The reading of one 完成时间 cell.

    ``text`` is the phrase as written with soft wraps joined ("全年开展", "11 月底前"; "" when
    the plan gives none); ``due`` the date it implies (Asia/Shanghai calendar day) or None when
    it does not parse; ``ongoing`` is True for 全年开展-like phrases (due 12-31, shown but not
    counted down, also a task that recurs: 每月, 每季度末); ``schedule`` the periods of a phrase
    naming several (each a milestone, the latest is ``due``) or of a recurring one (每季度末: each
    quarter's end), else empty; ``problem`` the report code when the phrase was understood but
    gives no date (a holiday of a year chinesecalendar does not know), else "".
    """

    text: str
    due: date | None
    ongoing: bool = False
    schedule: tuple[Milestone, ...] = ()
    problem: str = ""  # why a phrase that was understood has no date ("deadline_holiday_unknown"), else ""


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


# The years a written due date may name: those a plan may be for (table.facts.PLAN_YEARS) — the
# date arithmetic around a due date (lead days, the calendar's next day) holds there.
DUE_YEARS = range(1901, 2200)
_QUARTER_END = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}
_TEN_DAY = {"上旬": 10, "中旬": 20}

# What is done by the deadline, written after it: "9月投入使用", "5月底前动工", "6月底前完成".
# A closed list: "3月起每月开展" (from March on) must not read as a March deadline.
_DONE = (r"(?:(?:全面|基本|全部|顺利|并)?(?:完成|动工|开工|建成|竣工|投入使用|投用|启用|启动|到位|上线|出台|印发|"
         r"落实|实施|开展|召开|举办|提交|报送|部署|验收|交付|运行|开通|办结|完工|见效|落地)(?:任务|工作)?)?")

# The name of a day written after its date ("植树节", "“国际博物馆日”", "宪法日"): Han characters
# (quotes allowed), ending in 日, 节 or 纪念日. Shared with text_deadlines.
DAY_NAME = r"[“\"'‘]?[\u4e00-\u9fff]{1,12}?(?:日|节)[”\"'’]?"

# (pattern over the normalised phrase, (year, match) → (due, ongoing)); the first full match wins.
_Rule = tuple[re.Pattern[str], Callable[[int, re.Match[str]], tuple[date, bool]]]
_RULES: list[_Rule] = [
    (re.compile(r"(全年开展|全年|全年推进|长期坚持|长期|持续推进|持续开展|常态化开展|常态化)"),
     lambda y, m: (date(y, 12, 31), True)),
    (re.compile(r"上半年" + _DONE), lambda y, m: (date(y, 6, 30), False)),
    (re.compile(r"下半年" + _DONE), lambda y, m: (date(y, 12, 31), False)),
    (re.compile(r"年?(底前|底|末|内|终)" + _DONE), lambda y, m: (date(y, 12, 31), False)),
    (re.compile(r"第?([1-4])季度(末)?(前)?" + _DONE),
     lambda y, m: (date(y, *_QUARTER_END[int(m[1])]), False)),
    (re.compile(r"(\d{1,2})月(上旬|中旬)(前)?" + _DONE),
     lambda y, m: (date(y, int(m[1]), _TEN_DAY[m[2]]), False)),
    (re.compile(r"(\d{1,2})月(下旬|底前|底|末|月底前|月底|月末)(前|之前|以前)?" + _DONE),
     lambda y, m: (_month_end(y, int(m[1])), False)),
    (re.compile(r"(\d{1,2})月(\d{1,2})日(前|之前|以前)?" + _DONE),
     lambda y, m: (date(y, int(m[1]), int(m[2])), False)),
    # A date and the day's name before 前: "M月D日<某某>日前", "M月D日<某某>节前" — the date is due.
    (re.compile(r"(\d{1,2})月(\d{1,2})日" + DAY_NAME + r"(前|之前|以前)" + _DONE),
     lambda y, m: (date(y, int(m[1]), int(m[2])), False)),
    (re.compile(r"(\d{1,2})月(份)?(前)?" + _DONE), lambda y, m: (_month_end(y, int(m[1])), False)),
    # A date typed as a date in Excel reads 2021/6/30 (see the xlsx reader); its year is its own.
    (re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(日)?(前|之前|以前)?" + _DONE),
     lambda y, m: (date(int(m[1]), int(m[2]), int(m[3])), False)),
]
# "2021年…", "于2021年…", "到2022年" (its end). What comes before the year is a preposition.
_EXPLICIT_YEAR = re.compile(r"(?:于|在|到|至|截至|截止到?)?(\d{4})年(度)?")
_LEADING = re.compile(r"^(?:于|在|力争|确保|争取)")
_ABOUT = re.compile(r"(?<=[日号旬底末])(?:前后|左右)$")

# Periods a schedule names, over the phrase as written (before cn2an: "第二三季度" is two quarters).
_Q = "[一二三四1-4１-４]"
_QUARTERS = re.compile(rf"第?({_Q}(?:[、，,和及与至-]?第?{_Q})*)季度")
_HALVES = re.compile(r"(上|下)半年")
_PERIOD = rf"(?:第?{_Q}(?:[、，,和及与至-]?第?{_Q})*季度|[上下]半年)"
# Several periods in a row ("上半年、三季度、四季度"); one written after 每 is a frequency.
_SCHEDULE = re.compile(rf"(?<!每)(?<!每个)(?<!各){_PERIOD}(?:[、，,和及与]{_PERIOD})*")
_DIGIT = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4, "１": 1, "２": 2, "３": 3, "４": 4}


# A task that recurs (完成时限 "每季度末", "每月底", "每月10日前", "每半年"): a frequency is not a due
# date (DESIGN §3.1), so the task is ongoing — due 12-31, shown, never counted down, reminded by the
# monthly check-in — and a quarter or half year recurring gives each period's end as a milestone
# (reminded 14, 7 and 1 days before, like quarterly targets).
_EVERY = re.compile(r"每(?:个)?(?P<period>季度|半年|月|旬|周|星期|年度|年|天|日)"
                    r"(?:末|底|初|中|上旬|中旬|下旬|最后一?个?(?:工作日|天|日)|第?\d{1,2}(?:日|号)|\d{1,2}个?工作日)?"
                    r"(?:前|之前|以前|内)?" + _DONE)
_HALF_ENDS = (Milestone(date(1, 6, 30), "上半年末"), Milestone(date(1, 12, 31), "下半年末"))
# "春节前", "2027年春节前", "国庆节前完成": the day before the holiday begins.
_FESTIVAL = re.compile(rf"(?P<name>{FESTIVALS})(?:节日|假期|放假)?(?:前|之前|以前)" + _DONE)


def _recurring(text: str, year: int) -> Deadline | None:
    """The reading of a phrase naming how often the task recurs, else None (see :data:`_EVERY`)."""
    match = _EVERY.fullmatch(_LEADING.sub("", strip_blank(unicodedata.normalize("NFKC", text))))
    if match is None:
        return None
    if match["period"] == "季度":
        ends = tuple(Milestone(date(year, *_QUARTER_END[q]), f"第{'一二三四'[q - 1]}季度末") for q in range(1, 5))
    elif match["period"] == "半年":
        ends = tuple(Milestone(m.date.replace(year=year), m.text) for m in _HALF_ENDS)
    else:
        ends = ()
    return Deadline(join_wrapped(text), date(year, 12, 31), True, ends)


def _festival(text: str, phrase: str, year: int) -> Deadline | None:
    """The reading of "春节前"-like ``phrase`` (year taken off) in ``year``, else None."""
    match = _FESTIVAL.fullmatch(phrase)
    if match is None:
        return None
    start = holiday_start(match["name"], year)
    if start is None:
        return Deadline(text, None, problem="deadline_holiday_unknown")
    return Deadline(text, start - timedelta(days=1))


def _normalised(text: str) -> str:
    phrase = unicodedata.normalize("NFKC", strip_blank(text))
    try:
        with warnings.catch_warnings():  # cn2an warns on "万" or "亿" standing alone: not a date anyway
            warnings.simplefilter("ignore")
            return cn2an.transform(phrase, "cn2an")
    except Exception:  # cn2an rejects some odd strings; read them as written
        return phrase


def _periods(phrase: str, year: int) -> list[Milestone]:
    """Each period a schedule phrase names, in order, as a milestone on its last day."""
    found: list[tuple[int, Milestone]] = []
    for match in _QUARTERS.finditer(phrase):
        for digit in re.findall(_Q, match[1]):
            quarter = _DIGIT[digit]
            label = f"第{'一二三四'[quarter - 1]}季度"
            found.append((match.start(), Milestone(date(year, *_QUARTER_END[quarter]), label)))
    for match in _HALVES.finditer(phrase):
        end = date(year, 6, 30) if match[1] == "上" else date(year, 12, 31)
        found.append((match.start(), Milestone(end, match[0])))
    return [milestone for _, milestone in sorted(found, key=lambda pair: pair[0])]


def _schedule(text: str, year: int) -> tuple[Milestone, ...]:
    """The periods of ``text`` when the whole of it is a schedule of two or more periods."""
    phrase = strip_blank(unicodedata.normalize("NFKC", text))
    if not _SCHEDULE.fullmatch(phrase):
        return ()
    periods = _periods(phrase, year)
    return tuple(periods) if len(periods) > 1 else ()


def parse_deadline(raw: str, year: int) -> Deadline:
    """Read a 完成时间 cell for plan year ``year``.

    ``raw`` may carry soft wraps ("全年\\n\\n开展") and extraction spaces ("11 月底前").
    Returns a :class:`Deadline` whose ``text`` keeps the phrase as written (wraps joined);
    its ``due`` is None when no rule reads the phrase (including impossible dates such as
    2月30日) and for an empty cell. Rules: DESIGN §3 ("Deadline phrases"), §3.1 ("Deadlines");
    "2月底前" in 2028 is 2028-02-29.
    """
    text = join_wrapped(raw)
    if not text:
        return Deadline("", None)
    schedule = _schedule(text, year)
    if schedule:
        return Deadline(text, max(m.date for m in schedule), False, schedule)
    recurring = _recurring(text, year)
    if recurring:
        return recurring
    # "4月26日前后", "5月中旬左右": about that day; the day is the due date.
    phrase = _ABOUT.sub("", _LEADING.sub("", _normalised(text)))
    explicit = _EXPLICIT_YEAR.match(phrase)
    if explicit:
        if int(explicit[1]) not in DUE_YEARS:
            return Deadline(text, None)  # "0001年1月3日", "9999年": a slip, reported as unread, never a due date
        year = int(explicit[1])
        phrase = phrase[explicit.end():] or "年底"  # "到2022年": the year's end
    festival = _festival(text, phrase, year)
    if festival:
        return festival
    for pattern, reading in _RULES:
        match = pattern.fullmatch(phrase)
        if match:
            try:
                due, ongoing = reading(year, match)
            except ValueError:  # 13月, 2月30日
                return Deadline(text, None)
            return Deadline(text, due, ongoing)
    return _range(text, year) or _several(text, year) or Deadline(text, None)


# A period written as its start and end ("3月至6月", "9月1日至15日前", "2025年3月-6月"): the end is due.
# A dash is tried last: a spreadsheet's date (2021-6-30) holds dashes of its own.
_RANGE_MARKS = (re.compile(r"至|到|~|～|—|–"), re.compile(r"-"))
# Several dates in one cell, apart: "3月中旬；9月10日前", "上半年2次、下半年2次".
_APART = re.compile(r"[；;，,、/]+")
# How many times, written after a date: "1期", "各1次", "完成2场" — not part of the date.
_COUNT = re.compile(r"(?:各|共|完成|开展|举办|召开)?(?:\d{1,3}|[一二两三四五六七八九十])(?:期|次|批|场|轮|项|回|个)$")


def _range(text: str, year: int) -> Deadline | None:
    """The reading of a cell naming a period by its start and end, due at its end, else None."""
    phrase = strip_blank(unicodedata.normalize("NFKC", text))
    if _APART.search(phrase):
        return None
    for mark in _RANGE_MARKS:
        pieces = mark.split(phrase, maxsplit=1)
        if len(pieces) != 2 or not all(pieces):
            continue
        start, end = pieces
        if re.fullmatch(r"\d{1,2}", start) and re.match(r"\d{1,2}月", end):
            start += "月"  # "5至8月"
        if re.match(r"\d{1,2}日", end) and "月" in start:
            end = start[:start.rindex("月") + 1] + end  # "3月1日至5日前" ends on 3月5日
        first = parse_deadline(start, year)
        if first.due is None or first.ongoing:
            continue
        last = parse_deadline(end, first.due.year if _EXPLICIT_YEAR.match(_normalised(start)) else year)
        if last.due is not None and not last.ongoing and last.due >= first.due:
            return Deadline(text, last.due)
    return None


def _several(text: str, year: int) -> Deadline | None:
    """The reading of a cell naming two or more dates apart ("3月中旬；9月10日前"), each with a count
    perhaps ("上半年2次、下半年2次"): each is a milestone and the latest is due (DESIGN §3.1), else None."""
    parts = [p for p in _APART.split(strip_blank(unicodedata.normalize("NFKC", text))) if p]
    if len(parts) < 2:
        return None
    found: list[Milestone] = []
    for part in parts:
        read = parse_deadline(_COUNT.sub("", part) or part, year)
        if read.due is None or read.ongoing:
            return None
        found.append(Milestone(read.due, part))
    found.sort(key=lambda m: m.date)
    return Deadline(join_wrapped(text), found[-1].date, False, tuple(found))


@dataclass(frozen=True)
class Schedule:
    """Period phrases found inside a task's text (DESIGN §3.1 "quarterly targets in a cell").

    ``text`` the phrases as written, joined by " / " ("第三季度 / 第四季度");
    ``milestones`` one per period named, the text after the phrase up to the next one as its
    text; ``due`` the latest period's end.
    """

    text: str
    milestones: list[Milestone]

    @property
    def due(self) -> date:
        return max(m.date for m in self.milestones)


def find_schedule(text: str, year: int) -> Schedule | None:
    """The quarterly or half-year targets named inside ``text`` for plan year ``year``, or None.

    "某专项:上半年、三季度、四季度目标分别为…" → 上半年、三季度、四季度 (06-30, 09-30, 12-31);
    "第三季度:落实…。第四季度:持续…" → 第三季度 / 第四季度. A period after 每/各 ("每季度通报")
    is a frequency, not a target. Only for a plan that has no deadline of its own for the
    task: a deadline column wins.
    """
    flat = unicodedata.normalize("NFKC", text)
    phrases: list[tuple[re.Match[str], list[Milestone]]] = []
    for match in _SCHEDULE.finditer(flat):
        periods = _periods(match[0], year)
        if periods:
            phrases.append((match, periods))
    if not phrases:
        return None
    milestones: list[Milestone] = []
    for index, (match, periods) in enumerate(phrases):
        end = phrases[index + 1][0].start() if index + 1 < len(phrases) else len(flat)
        what = flat[match.end():end].strip(" :：;；,，。").strip()
        for period in periods:
            milestones.append(Milestone(period.date, f"{period.text}：{what}" if what else period.text))
    return Schedule(" / ".join(match[0] for match, _ in phrases), milestones)


# A deadline in brackets inside a task's text: "按时发布政府信息公开年度报告(3 月底前)".
_BRACKETED = re.compile(r"[（(]\s*([^（）()]{2,16}?)\s*[）)]")
_CLAUSE_BREAK = "。；;，,"


def find_dated_clauses(text: str, year: int) -> list[Milestone]:
    """The deadlines written in brackets inside a task's text, each a milestone of the clause
    it closes (DESIGN §3.1: several dates in one item are each a milestone).

    "主动公开…指南。按时发布政府信息公开年度报告(3 月底前)。" → 2017-03-31, "按时发布政府信息公开年度报告(3 月底前)".
    Only a phrase naming a month, a quarter or a half year counts ("（2020年）" is no deadline).
    """
    found: list[Milestone] = []
    for match in _BRACKETED.finditer(text):
        inner = match[1]
        if not re.search(r"月|季度|半年", inner):
            continue
        deadline = parse_deadline(inner, year)
        if deadline.due is None:
            continue
        start = max(text.rfind(ch, 0, match.start()) for ch in _CLAUSE_BREAK) + 1
        found.append(Milestone(deadline.due, text[start:match.end()].strip()))
    return found
