"""Logging for ``duban serve`` and the commands: the console (stderr) always, and ``[log] file`` rotated
at midnight (``logging.handlers.TimedRotatingFileHandler``, ``[log] keep`` old files); ``[log] level``.
Timestamps are in the bot's zone with the offset (``2020-11-28 09:00:00 +0800``), not the host's: the
bot speaks Beijing time, and a server's zone is often UTC.
"""

from __future__ import annotations

import logging
import logging.handlers
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
KEEP_DAYS = 30


class ZoneFormatter(logging.Formatter):
    """A Formatter whose times are in ``tz`` (Asia/Shanghai by default) with the zone's offset."""

    def __init__(self, tz: ZoneInfo, fmt: str = FORMAT):
        super().__init__(fmt)
        self.tz = tz

    def converter(self, seconds: float) -> datetime:  # the record's own time, seen in the bot's zone
        return datetime.fromtimestamp(seconds, self.tz)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return self.converter(record.created).strftime(datefmt or "%Y-%m-%d %H:%M:%S %z")


def configure(level: str, tz: ZoneInfo, file: Path | None = None, keep: int = KEEP_DAYS) -> list[logging.Handler]:
    """Set the root logger: ``level`` ("INFO"…), a stderr handler and, with ``file``, a file rotated at
    midnight keeping ``keep`` old files (``duban.log.2020-11-27``); both formatted in ``tz``. Replaces the
    handlers a previous call (or ``logging.basicConfig``) set. Returns the handlers. Raises ``OSError``
    when the log file's folder cannot be made or the file opened."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    formatter = ZoneFormatter(tz)
    handlers: list[logging.Handler] = [logging.StreamHandler()]
    if file:
        file.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.handlers.TimedRotatingFileHandler(file, when="midnight", backupCount=keep,
                                                                  encoding="utf-8", delay=False))
    for handler in handlers:
        handler.setFormatter(formatter)
        root.addHandler(handler)
    root.setLevel(level)
    # APScheduler logs each run of the 5-second delivery job at INFO: 34,000 lines a day of nothing.
    logging.getLogger("apscheduler").setLevel(max(logging.WARNING, root.level))
    return handlers


def configure_from(config) -> list[logging.Handler]:
    """:func:`configure` with ``[log]`` and ``bot.timezone`` of ``config``."""
    file = Path(config.log.file) if config.log.file else None
    return configure(config.log.level, config.tz, file, config.log.keep)
