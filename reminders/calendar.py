"""Workdays in mainland China, 调休 included, from ``chinesecalendar`` (DESIGN §5).

2020-06-28 and 2020-09-27 were Sunday workdays; 2020-06-25..27 and 2020-10-01..08 were
holidays. For a year the package has no data for, Monday–Friday stands in, the fact is
logged once and ``missing_years`` lets the digest tell the admins; config's
``reminders.holidays`` / ``reminders.workdays`` override either way.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

import chinese_calendar

log = logging.getLogger("duban.reminders")


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
                log.warning("chinesecalendar has no holidays for %d: Monday to Friday count as workdays "
                            "(upgrade chinesecalendar, or list reminders.holidays/workdays in config)", day.year)
            return day.weekday() < 5

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
