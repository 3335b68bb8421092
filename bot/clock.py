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
    """``now()`` is an aware datetime in ``tz``; ``today()`` its calendar day; ``instant()`` the
    moment as the outside world counts it: signatures, protocol timestamps and the windows
    they are checked in (DingTalk's and WeCom's one hour) use it, never the calendar date."""

    tz: ZoneInfo

    def now(self) -> datetime: ...

    def today(self) -> date: ...

    def instant(self) -> datetime: ...


class SystemClock:
    """The real clock, in zone ``tz``."""

    def __init__(self, tz: ZoneInfo = SHANGHAI):
        self.tz = tz

    def now(self) -> datetime:
        return datetime.now(self.tz)

    def today(self) -> date:
        return self.now().date()

    def instant(self) -> datetime:
        return datetime.now(self.tz)


class DayClock(SystemClock):
    """Date fixed to ``day`` at the real time of day: ``--today D`` for demos and the CLI.

    Only the calendar moves: :meth:`instant` stays the real moment, so a demo on a real robot
    signs its pushes and checks callbacks with the time the platform knows (issue 13)."""

    def __init__(self, day: date, tz: ZoneInfo = SHANGHAI):
        super().__init__(tz)
        self.day = day

    def now(self) -> datetime:
        return datetime.combine(self.day, datetime.now(self.tz).timetz())

    def today(self) -> date:
        return self.day


class FrozenClock:
    """A clock that moves only when told to (tests): ``FrozenClock(datetime(..., tzinfo=SHANGHAI))``.

    ``instant`` (aware) sets the signature time apart from the calendar, as ``--today`` does
    (a 2020 plan checked by a peer signing in 2026); by default it is ``at``. ``advance`` moves
    both, ``set`` only the calendar (as a ``--today`` restart would)."""

    def __init__(self, at: datetime, tz: ZoneInfo = SHANGHAI, instant: datetime | None = None):
        if at.tzinfo is None:
            at = at.replace(tzinfo=tz)
        self.tz = tz
        self._at = at.astimezone(tz)
        self._instant = instant

    def now(self) -> datetime:
        return self._at

    def today(self) -> date:
        return self._at.date()

    def instant(self) -> datetime:
        return self._at if self._instant is None else self._instant

    def advance(self, **delta: float) -> None:
        """Move forward by ``timedelta(**delta)``."""
        self._at += timedelta(**delta)
        if self._instant is not None:
            self._instant += timedelta(**delta)

    def set(self, day: date, at: time = time(9, 0)) -> None:
        """Jump to ``day`` at ``at`` (default 09:00) in this clock's zone."""
        self._at = datetime.combine(day, at, tzinfo=self.tz)
