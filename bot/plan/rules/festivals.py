"""Public holidays named as deadlines ("2026年春节前", "国庆节前"): their dates from ``chinesecalendar``.

The State Council fixes each year's holidays (春节 moves with the lunar calendar); chinesecalendar
carries them for the years it knows. "春节前" is the day before the first day of the 春节 holiday
(what an office means: done before everyone goes home). For a year the package has no data for
there is no date: the importer keeps the phrase and warns (DESIGN §3: a phrase that does not parse
is kept as text with no due date).

Public API: :data:`FESTIVALS` (the names read), :func:`holiday_start`.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from chinese_calendar.constants import Holiday, holidays

# The names a plan writes → chinesecalendar's holiday. Longest first for a regex alternation.
_NAMES = {"春节": Holiday.spring_festival, "清明节": Holiday.tomb_sweeping_day, "清明": Holiday.tomb_sweeping_day,
          "劳动节": Holiday.labour_day, "五一": Holiday.labour_day, "端午节": Holiday.dragon_boat_festival,
          "端午": Holiday.dragon_boat_festival, "中秋节": Holiday.mid_autumn_festival,
          "中秋": Holiday.mid_autumn_festival,
          "国庆节": Holiday.national_day, "国庆": Holiday.national_day}
FESTIVALS = "|".join(sorted(_NAMES, key=len, reverse=True))


@cache
def _starts() -> dict[tuple[str, int], date]:
    starts: dict[tuple[str, int], date] = {}
    for day, name in holidays.items():
        key = (name, day.year)
        if key not in starts or day < starts[key]:
            starts[key] = day
    return starts


def holiday_start(festival: str, year: int) -> date | None:
    """The first day of the holiday ``festival`` ("春节", one of :data:`FESTIVALS`) in ``year``
    (Asia/Shanghai day), or None when chinesecalendar has no holidays for that year.
    Raises KeyError for a name not in :data:`FESTIVALS`."""
    return _starts().get((_NAMES[festival].value, year))
