"""The only place that reads the wall clock (DESIGN §2).

Everything else takes a :class:`Clock`. All times are aware datetimes in the configured
zone (Asia/Shanghai by default), so "today" is the Shanghai calendar day even on a host
whose zone is UTC (cases/bug14: 00:30 on 1 December is December).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


class Clock(Protocol):
    """``now()`` is an aware datetime in ``tz``; ``today()`` its calendar day."""

    tz: ZoneInfo

    def now(self) -> datetime: ...

    def today(self) -> date: ...


class SystemClock:
    """The real clock, in zone ``tz``."""

    def __init__(self, tz: ZoneInfo = SHANGHAI):
        self.tz = tz

    def now(self) -> datetime:
        return datetime.now(self.tz)

    def today(self) -> date:
        return self.now().date()


class DayClock(SystemClock):
    """Date fixed to ``day`` at the real time of day: ``--today D`` for demos and the CLI."""

    def __init__(self, day: date, tz: ZoneInfo = SHANGHAI):
        super().__init__(tz)
        self.day = day

    def now(self) -> datetime:
        return datetime.combine(self.day, datetime.now(self.tz).timetz())

    def today(self) -> date:
        return self.day


class FrozenClock:
    """A clock that moves only when told to (tests): ``FrozenClock(datetime(..., tzinfo=SHANGHAI))``."""

    def __init__(self, at: datetime, tz: ZoneInfo = SHANGHAI):
        if at.tzinfo is None:
            at = at.replace(tzinfo=tz)
        self.tz = tz
        self._at = at.astimezone(tz)

    def now(self) -> datetime:
        return self._at

    def today(self) -> date:
        return self._at.date()

    def advance(self, **delta: float) -> None:
        """Move forward by ``timedelta(**delta)``."""
        self._at += timedelta(**delta)

    def set(self, day: date, at: time = time(9, 0)) -> None:
        """Jump to ``day`` at ``at`` (default 09:00) in this clock's zone."""
        self._at = datetime.combine(day, at, tzinfo=self.tz)
