"""Tighter edges (issue 13): a guessable server.token refused for a public host, "我是X" requests
limited per sender and per name, an admin confirming one of two claims by the account, CSP and
X-Frame-Options on every response, and ``--today`` moving the calendar only (signatures use
the real moment)."""

from __future__ import annotations

from datetime import date, datetime

import httpx
import pytest

from bot.clock import SHANGHAI, DayClock
from bot.config import PROJECT_DIR, ConfigError, parse_config
from bot.messages import Message
from tests.conftest import make_bot

ADMIN = {"bot": {"admins": ["朱明生"]}, "people": {"朱明生": {"dingtalk": "zms01"}}}


MAKE = 'python3 -c "import secrets; print(secrets.token_urlsafe(24))"'


@pytest.mark.parametrize(("token", "error"), [
    ("", "server.host（0.0.0.0）不是本机地址时必须设置 server.token（至少16个字符）：本地群谁都能冒充任何人。"
         f"可用 {MAKE} 生成 / server.token is required when server.host (0.0.0.0) is not a loopback address"),
    ("x", f"server.token 只有 1 个字符；在 0.0.0.0 上提供服务时至少要 16 个，别人才猜不到。可用 {MAKE} 生成 / "
          "server.token is 1 characters; a server on 0.0.0.0 needs at least 16"),
    ("abcdefghijklmno", "server.token 只有 15 个字符；在 0.0.0.0 上提供服务时至少要 16 个"),
])
def test_a_public_server_needs_a_token_of_16_characters_and_the_error_says_how_to_make_one(token, error):
    with pytest.raises(ConfigError) as raised:
        parse_config({"server": {"host": "0.0.0.0", "token": token}}, "config.toml", PROJECT_DIR, env={})
    assert str(raised.value).startswith(f"config.toml：{error}")
    assert str(raised.value).endswith(f"Make one with: {MAKE}")


def test_a_token_of_16_characters_or_a_loopback_host_is_accepted():
    assert parse_config({"server": {"host": "0.0.0.0", "token": "abcdefghijklmnop"}}, "c", PROJECT_DIR,
                        env={}).server.token == "abcdefghijklmnop"
    assert parse_config({"server": {"token": "x"}}, "c", PROJECT_DIR, env={}).server.token == "x"


def _from(bot, text: str, sender: str, n: int) -> str:
    """``text`` from DingTalk account ``sender`` in the group, answered as the callback path does."""
    message = Message("dingtalk", "cidGROUP", sender, bot.identify("dingtalk", sender), text, f"m{n}",
                      bot.clock.now())
    return bot.answer(message).text


def test_binding_requests_are_limited_per_sender_and_per_name(tmp_path):
    bot = make_bot(tmp_path, **ADMIN)
    assert _from(bot, "我是严众能", "s1", 1).startswith("已记下：你是严众能")
    assert _from(bot, "我是严众能", "s1", 2).startswith("已记下：你是严众能")  # again: nothing new
    assert _from(bot, "我是林永禄", "s1", 3).startswith("已记下：你是林永禄")
    assert _from(bot, "我是童聪良", "s1", 4).startswith("已记下：你是童聪良")
    assert _from(bot, "我是徐锦清", "s1", 5) == (
        "这个账号今天已提出3次“我是……”申请，暂不再受理。请等管理员（朱明生）确认，或明天再试。")
    assert _from(bot, "我是严众能", "s2", 6).startswith("已记下")
    assert _from(bot, "我是严众能", "s3", 7).startswith("已记下")
    assert _from(bot, "我是严众能", "s4", 8) == (
        "已有3个账号申请为严众能，正等管理员（朱明生）核实，暂不再受理新的申请。")
    requested = [r["sender_id"] + ":" + r["person"] for r in bot.store.read(
        "SELECT sender_id, person FROM bindings ORDER BY id")]
    assert requested == ["s1:严众能", "s1:林永禄", "s1:童聪良", "s2:严众能", "s3:严众能"]
    bot.clock.advance(hours=24, minutes=1)  # a day later s1 may ask again
    assert _from(bot, "我是徐锦清", "s1", 9).startswith("已记下：你是徐锦清")


def test_two_claims_of_one_name_are_confirmed_by_naming_the_account(tmp_path):
    bot = make_bot(tmp_path, **ADMIN)
    _from(bot, "我是严众能", "real", 1)
    _from(bot, "我是严众能", "evil", 2)
    assert _from(bot, "确认 严众能", "zms01", 3) == (
        "有2个账号申请为严众能（real、evil），无法确定是谁。请核实后回复“确认 严众能 账号”，如“确认 严众能 real”。")
    assert _from(bot, "确认 严众能 nobody", "zms01", 4) == (
        "账号 nobody 没有申请为严众能。正在等待确认的账号：real、evil。请回复“确认 严众能 账号”。")
    assert _from(bot, "确认 严众能 real", "evil", 5).startswith("只有管理员（朱明生）可以确认身份")
    assert _from(bot, "@督办助手 确认 严众能 real", "zms01", 6) == (
        "已确认：账号 real 是严众能，之后从这个账号报完成都算严众能的。")
    assert (bot.identify("dingtalk", "real"), bot.identify("dingtalk", "evil")) == ("严众能", None)


def test_every_response_carries_csp_and_x_frame_options(tmp_path, serve):
    base = serve(make_bot(tmp_path))
    with httpx.Client(base_url=base, timeout=10) as client:
        page, status, health, missing = (client.get(path) for path in ("/", "/status", "/healthz", "/nowhere"))
    for response in (page, status, health, missing):
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    nonce = page.headers["content-security-policy"].split("'nonce-")[1].split("'")[0]
    assert f'<script nonce="{nonce}">' in page.text  # the page's one script runs; nothing else would
    assert "script-src" not in status.headers["content-security-policy"].replace("default-src 'none'", "")


def test_today_moves_the_calendar_not_the_moment_signatures_use():
    real = datetime.now(SHANGHAI)
    clock = DayClock(date(2020, 11, 27), SHANGHAI)
    assert clock.today() == date(2020, 11, 27) and clock.now().date() == date(2020, 11, 27)
    assert abs((clock.instant() - real).total_seconds()) < 60
    assert clock.instant().date() != date(2020, 11, 27)


def test_a_dingtalk_push_on_a_demo_day_is_signed_with_the_real_time(tmp_path):
    import asyncio

    from bot.platforms import Outgoing
    from bot.platforms.dingtalk import DingTalkPlatform
    from tests.recorder import Recorder

    with Recorder() as robot:
        bot = make_bot(tmp_path, chats=[{"name": "钉钉群", "platform": "dingtalk", "secret": "SECx",
                                         "webhook": robot.url + "/robot/send?access_token=t"}])
        bot.clock = DayClock(date(2020, 11, 27), SHANGHAI)  # duban serve --today 2020-11-27

        async def push():
            platform = DingTalkPlatform(bot)
            await platform.send(Outgoing("钉钉群", "3.3 提醒"))
            await platform.http.aclose()
        asyncio.run(push())
        [sent] = robot.requests
    signed_at = datetime.fromtimestamp(int(sent.query["timestamp"][0]) / 1000, SHANGHAI)
    assert abs((signed_at - datetime.now(SHANGHAI)).total_seconds()) < 60
    assert signed_at.date() != date(2020, 11, 27)
