"""Logs (issue 15): times in the bot's zone with the offset, [log] file rotated daily, and a network outage
logged once in Chinese with its end once — not a line (or a traceback) every retry."""

from __future__ import annotations

import asyncio
import logging
import logging.handlers
from datetime import date, datetime, timezone

from bot.clock import SHANGHAI
from bot.ops.logs import ZoneFormatter, configure
from bot.ops.outage import OutageLog, SdkLogger
from bot.platforms import SendResult
from bot.platforms.dingtalk_stream import SDK_DOWN, SDK_UP
from reminders.outbox import Sender
from reminders.tick import run_tick
from tests.conftest import make_bot

DNS = "ConnectError: [Errno -3] Temporary failure in name resolution"


def _record(at: datetime, message: str = "tick") -> logging.LogRecord:
    record = logging.LogRecord("duban", logging.INFO, __file__, 1, message, (), None)
    record.created = at.timestamp()
    return record


def test_times_are_beijing_time_with_the_offset_on_any_host():
    formatted = ZoneFormatter(SHANGHAI).format(_record(datetime(2020, 11, 27, 1, 0, 5, tzinfo=timezone.utc)))
    assert formatted == "2020-11-27 09:00:05 +0800 INFO duban: tick"


def test_the_log_file_rotates_at_midnight_and_keeps_the_days_asked_for(tmp_path):
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    try:
        handlers = configure("WARNING", SHANGHAI, tmp_path / "logs" / "duban.log", keep=14)
        file = next(h for h in handlers if isinstance(h, logging.handlers.TimedRotatingFileHandler))
        assert (file.when, file.backupCount) == ("MIDNIGHT", 14)
        logging.getLogger("duban.test").info("not at WARNING")
        logging.getLogger("duban.test").warning("连不上钉钉")
        file.flush()
        lines = (tmp_path / "logs" / "duban.log").read_text(encoding="utf-8").splitlines()
        assert len(lines) == 1 and lines[0].endswith("+0800 WARNING duban.test: 连不上钉钉")
        assert logging.getLogger("apscheduler").level == logging.WARNING
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
            handler.close()
        for handler in saved[0]:
            root.addHandler(handler)
        root.setLevel(saved[1])


def test_an_outage_of_the_group_robot_is_logged_once_and_its_end_once(tmp_path, caplog):
    bot = make_bot(tmp_path, on=date(2020, 11, 27), chats=[
        {"name": "企业微信群", "platform": "wecom", "webhook": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"}])
    bot.clock.set(date(2020, 11, 27))
    network = {"up": False}
    tries = []

    async def send(push):
        tries.append(bot.clock.now())
        return SendResult(True) if network["up"] else SendResult(False, -1, DNS, retryable=True)

    sender = Sender(bot, {"wecom": send})
    run_tick(bot, date(2020, 11, 27))
    with caplog.at_level(logging.DEBUG, logger="duban.outbox"):
        for step in range(4 * 60):  # two hours in steps of 30 s; the network comes back after one
            network["up"] = step >= 120
            asyncio.run(sender.deliver_due())
            bot.clock.advance(seconds=30)
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    infos = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert len(tries) >= 6  # it did retry, several times
    assert warnings == [f"连不上企业微信：{DNS}，正在重试 / cannot reach wecom; retrying"]
    assert infos == ["企业微信已恢复连接 / wecom is reachable again"]
    bot.close()


def test_the_dingtalk_sdk_retrying_every_10_s_is_one_line_then_one_line_back(caplog):
    log = logging.getLogger("duban.dingtalk")
    sdk = SdkLogger(log, OutageLog(log), "dingtalk_stream", down_words=SDK_DOWN, up_words=SDK_UP)
    with caplog.at_level(logging.DEBUG, logger="duban.dingtalk"):
        for _ in range(30):  # five minutes of the SDK's own loop with no network
            sdk.info("open connection, url=%s", "https://api.dingtalk.com/v1.0/gateway/connections/open")
            sdk.error("open connection failed, error=HTTPSConnectionPool(host='api.dingtalk.com', port=443): "
                      "Max retries exceeded (NameResolutionError), response.text=")
            sdk.error("open connection failed")
        sdk.info("endpoint is %s", {"endpoint": "wss://wss-open-connection.dingtalk.com:443/connect"})
        sdk.exception("unknown exception", OSError("[Errno 101] Network is unreachable"))
        sdk.warning("unknown message topic, topic=%s", "/v1.0/x")
    shown = [(r.levelname, r.getMessage()) for r in caplog.records if r.levelno >= logging.INFO]
    assert shown == [
        ("WARNING", "连不上钉钉（Stream 连接）：open connection failed, error=HTTPSConnectionPool("
                    "host='api.dingtalk.com', port=443): Max retries exceeded (NameResolutionError), response.text=，"
                    "正在重试 / cannot reach dingtalk_stream; retrying"),
        ("INFO", "钉钉（Stream 连接）已恢复连接 / dingtalk_stream is reachable again"),
        ("WARNING", "连不上钉钉（Stream 连接）：unknown exception: [Errno 101] Network is unreachable，正在重试 / "
                    "cannot reach dingtalk_stream; retrying"),
        ("WARNING", "unknown message topic, topic=/v1.0/x"),
    ]
