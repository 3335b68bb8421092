"""Log a state change once: the first failure of a connection ("连不上企业微信：…，正在重试") and its
end ("企业微信已恢复连接"), not every retry in between (those go to DEBUG). A network outage at night
used to print a traceback every 10 seconds until morning.
"""

from __future__ import annotations

import logging
import threading

from bot.ops.words import word


class OutageLog:
    """Outages by ``key`` (a platform or connection: "wecom", "dingtalk", "wecom_ws", "dingtalk_stream",
    "wecom_app", "dingtalk_otm"), logged on ``logger``. Thread-safe: the outbox and the SDKs' threads
    report into it."""

    def __init__(self, logger: logging.Logger):
        self.logger = logger
        self._down: dict[str, str] = {}
        self._lock = threading.Lock()

    def down(self, key: str, reason: str) -> bool:
        """A failed try of ``key`` (``reason``: what the network said). Logged at WARNING the first time
        since it was last up; returns True then, False for a repeat (logged at DEBUG)."""
        with self._lock:
            first = key not in self._down
            self._down.setdefault(key, reason)
        if first:
            self.logger.warning("%s", word("outage_start", service=key, reason=reason))
        else:
            self.logger.debug("%s still down: %s", key, reason)
        return first

    def up(self, key: str) -> bool:
        """``key`` works again. Logged at INFO once after an outage; returns True then."""
        with self._lock:
            was = self._down.pop(key, None)
        if was is not None:
            self.logger.info("%s", word("outage_end", service=key))
        return was is not None

    def is_down(self, key: str) -> bool:
        with self._lock:
            return key in self._down


class SdkLogger:
    """A logger for an SDK that logs every failed reconnect (dingtalk-stream: an error line every 10 s,
    a traceback for an unknown error). Lines containing one of ``down_words`` report an outage of ``key``,
    lines containing one of ``up_words`` its end; other warnings and errors pass to ``logger`` at their
    level, other info lines (each connect attempt, frame dumps) at DEBUG."""

    def __init__(self, logger: logging.Logger, outages: OutageLog, key: str, *,
                 down_words: tuple[str, ...], up_words: tuple[str, ...]):
        self.logger, self.outages, self.key = logger, outages, key
        self.down_words, self.up_words = down_words, up_words

    def _route(self, level: int, message: str, args: tuple) -> None:
        text = str(message) % args if args else str(message)
        if any(word_ in text for word_ in self.down_words):
            self.outages.down(self.key, text)
        elif any(word_ in text for word_ in self.up_words):
            self.outages.up(self.key)
            self.logger.debug("%s", text)
        else:
            self.logger.log(level, "%s", text)

    def debug(self, message, *args, **kw) -> None:
        self.logger.debug("%s", str(message) % args if args else message)

    def info(self, message, *args, **kw) -> None:
        self._route(logging.DEBUG, message, args)

    def warning(self, message, *args, **kw) -> None:
        self._route(logging.WARNING, message, args)

    warn = warning

    def error(self, message, *args, **kw) -> None:
        self._route(logging.ERROR, message, args)

    def exception(self, message, *args, **kw) -> None:
        # dingtalk-stream calls logger.exception('unknown exception', e): the error is the argument.
        self._route(logging.ERROR, f"{message}: {args[0]}" if args else message, ())
