"""Workdays in mainland China, 调休 included, from ``chinesecalendar`` (DESIGN §5).

2020-06-28 and 2020-09-27 were Sunday workdays; 2020-06-25..27 and 2020-10-01..08 were
holidays. For a year the package has no data for yet (the State Council publishes each
year's arrangement in the autumn before), Monday–Friday less the days off the law itself fixes
(:func:`statutory_days_off`) stands in: no reminder on 元旦 or 除夕, only the 调休 swaps are
unknown. The fact is logged once and ``missing_years`` lets the digest tell the admins;
config's ``reminders.holidays`` / ``reminders.workdays`` override either way.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from functools import cache

import chinese_calendar
from lunardate import LunarDate

from bot.ops.words import word

log = logging.getLogger("duban.reminders")


@cache
def statutory_days_off(year: int) -> frozenset[date]:
    """The days off 《全国年节及纪念日放假办法》 (as revised in 2024, in force from 2025) fixes for
    ``year``: 元旦 (1 January), 春节 (除夕 to 初三), 清明 (the solar term's day), 劳动节 (1–2 May),
    端午 (五月初五), 中秋 (八月十五), 国庆 (1–3 October). Lunar dates from lunardate (1900–2099;
    past it only the fixed days), 清明 from chinesecalendar's solar terms. Without the year's 调休
    arrangement these are the days known to be off whatever the State Council decides."""
    days = {date(year, 1, 1), date(year, 5, 1), date(year, 5, 2), *(date(year, 10, d) for d in (1, 2, 3))}
    try:
        new_year = LunarDate(year, 1, 1).to_solar_date()  # 21 January at the earliest: 除夕 is in the year
        days |= {new_year + timedelta(days=n) for n in range(-1, 3)}
        days |= {LunarDate(year, 5, 5).to_solar_date(), LunarDate(year, 8, 15).to_solar_date()}
        days |= {day for day, name in chinese_calendar.get_solar_terms(date(year, 4, 1), date(year, 4, 30))
                 if name == "清明"}
    except (ValueError, IndexError, KeyError):  # past lunardate's or the solar terms' table
        pass
    return frozenset(day for day in days if day.year == year)


class WorkCalendar:
    """``is_workday(day)``; ``workday_on_or_before(day)``; ``next_workday_after(day)``;
    ``first_workday(year, month)``. ``holidays``/``workdays`` are extra days from config."""

    def __init__(self, holidays: list[str] | tuple[str, ...] = (), workdays: list[str] | tuple[str, ...] = ()):
        self.holidays = {date.fromisoformat(d) for d in holidays}
        self.workdays = {date.fromisoformat(d) for d in workdays}
        self.missing_years: set[int] = set()

    def is_workday(self, day: date) -> bool:
        if day in self.holidays:
            return False
        if day in self.workdays:
            return True
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            if day.year not in self.missing_years:
                self.missing_years.add(day.year)
                log.warning("%s", word("holidays_unknown", year=day.year))
            return day.weekday() < 5 and day not in statutory_days_off(day.year)

    def workday_on_or_before(self, day: date) -> date:
        while not self.is_workday(day):
            day -= timedelta(days=1)
        return day

    def workday_on_or_after(self, day: date) -> date:
        while not self.is_workday(day):
            day += timedelta(days=1)
        return day

    def next_workday_after(self, day: date) -> date:
        day += timedelta(days=1)
        while not self.is_workday(day):
            day += timedelta(days=1)
        return day

    def first_workday(self, year: int, month: int) -> date:
        day = date(year, month, 1)
        while not self.is_workday(day):
            day += timedelta(days=1)
        return day
