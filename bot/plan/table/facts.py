"""The plan's title, year and issue date, from the text around its table (DESIGN §3, §3.1).

* The title is the first line that names a plan with its year: a line of its own (not a
  sentence, not in a 《》 of a covering notice, not "附件：…") holding "YYYY年" and ending in
  what plans are called (…工作要点, …分解表, …实施方案, …责任书, …台账, …一览表, …完成情况).
* The issue date is a line holding only a date ("2020年3月16日", "二○○六年四月二十八日").
* The year: the title's, else the issue date's, else one written in the table's header; the
  caller's ``--year`` overrides all. A title or issue date naming a year outside 1901-2199 is
  refused (the date arithmetic around a plan year could not hold it) unless ``--year`` is given.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date

import cn2an

from bot.plan.errors import PlanError
from bot.plan.rules.deadlines import DUE_YEARS
from bot.text import xml_safe

# The years a plan may be for: what ``--year`` takes (bot.cli) and what the date arithmetic
# around a plan year (its archive day, a deadline in the next year) can hold.
PLAN_YEARS = DUE_YEARS
_PLAN_WORDS = (r"(工作要点|要点|分解表|任务表|一览表|清单|台账|实施方案|方案|工作计划|计划|责任书|目标责任书|安排|"
               r"分工|任务|实事|完成情况|情况|目标|重点工作|督办|责任分解)")
_TITLE = re.compile(rf"^(?!附件?\s*[:：])[^，。：:；;]{{0,60}}?(\d{{4}})\s*年度?[^，。；;]{{0,40}}?{_PLAN_WORDS}$")
_NOTICE = re.compile(r"(通知|通报|决定|函|意见|批复|报告)$")
_ISSUED = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_YEAR = re.compile(r"(\d{4})\s*年")
_CN_DATE = re.compile(r"^[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日$")


def _line(text: str) -> str:
    return xml_safe(" ".join(text.split()))


def title_of(lines: list[str]) -> tuple[str, int] | None:
    """The plan's title among ``lines`` (text before its table, in order) and its year, or None."""
    for raw in lines:
        line = _line(raw)
        if not line or _NOTICE.search(line) or line.startswith("《"):
            continue
        match = _TITLE.match(line)
        if match:
            return line, int(match[1])
    return None


def issued_on(lines: list[str]) -> date | None:
    """The issue date: the first line that holds only a date, else None."""
    for raw in lines:
        line = "".join(raw.split())
        if _CN_DATE.match(line):
            with contextlib.suppress(ValueError):
                line = cn2an.transform(line.replace("○", "〇"), "cn2an")
        dated = _ISSUED.match(line)
        if dated:
            with contextlib.suppress(ValueError):  # "2020年2月30日" is no issue date
                return date(int(dated[1]), int(dated[2]), int(dated[3]))
    return None


def plan_year(source: str, lines: list[str], header: list[str],
              year: int | None) -> tuple[str | None, int, date | None]:
    """(title or None, plan year, issue date) for a plan whose table has ``header`` labels and
    ``lines`` of text before it. Raises :class:`PlanError` for a year out of range or none."""
    titled = title_of(lines)
    title, title_year = titled if titled else (None, None)
    issued = issued_on(lines)
    if year is None:
        if title_year is not None and title_year not in PLAN_YEARS:
            raise PlanError("title_year", source, year=f"{title_year:04d}", title=title,
                            first=PLAN_YEARS[0], last=PLAN_YEARS[-1])
        if title_year is None and issued is not None and issued.year not in PLAN_YEARS:
            raise PlanError("issue_year", source, year=f"{issued.year:04d}", first=PLAN_YEARS[0],
                            last=PLAN_YEARS[-1])
    in_header = next((int(m[1]) for label in header for m in [_YEAR.search(label)] if m), None)
    chosen = year or title_year or (issued.year if issued else None) or in_header
    if chosen is None or chosen not in PLAN_YEARS:
        raise PlanError("no_year", source)
    return title, chosen, issued
