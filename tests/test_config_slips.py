"""More config slips an office admin makes (issue 15), each named with its key and what to write: a duplicate key on
a last line with no newline, a BOM from Notepad, an EncodingAESKey with + or /, ``host = ""``, TOML dates in
reminders.holidays, and a short server.token on loopback (a warning; beyond loopback an error, issue 13)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.config import PROJECT_DIR, ConfigError, load_config, parse_config
from bot.ops.checks import startup_warnings, weak_token
from reminders.calendar import WorkCalendar

MAKE = 'python3 -c "import secrets; print(secrets.token_urlsafe(24))"'


def refused(tmp_path, text: str) -> str:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    return str(error.value).removeprefix(f"{path}")


def test_a_duplicate_key_on_the_last_line_without_a_newline_is_named(tmp_path):
    assert refused(tmp_path, '[bot]\nname = "督办助手"\nname = "小助手"') == (
        " 第3行：配置文件格式（TOML）有误。重复的键：name 在这一节前面已经写过一次，同一个键只能写一次：删掉其中一行。"
        '\n  3 | name = "小助手"\n(TOML: Cannot overwrite a value (at end of document))')


def test_a_bom_from_notepad_is_read_past(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes('\ufeff[bot]\nname = "督办助手"\nadmins = ["朱明生"]\n'.encode())
    config = load_config(path)
    assert (config.bot.name, config.bot.admins) == ("督办助手", ["朱明生"])


@pytest.mark.parametrize("key, odd, length", [("abcdefghijklmnopqrstuvwxyz0123456789ABCD+/G", "+ /", 43),
                                               ("abcdefghijklmnopqrstuvwxyz0123456789ABCDEF=", "=", 43)])
def test_an_encoding_aes_key_with_plus_or_slash_names_the_key_and_what_wecom_shows(key, odd, length):
    with pytest.raises(ConfigError) as error:
        parse_config({"wecom": {"aibot": {"token": "t", "encoding_aes_key": key}}}, "config.toml", PROJECT_DIR, env={})
    assert str(error.value) == (
        f"config.toml：wecom.aibot.encoding_aes_key（EncodingAESKey）要和企业微信后台显示的一样：43 个英文字母和数字，"
        f"不能有 {odd}。请在接收消息设置里点“随机获取”，把它原样复制过来（不要自己改写或用 Base64 补全） / "
        f"wecom.aibot.encoding_aes_key must be 43 letters and digits as WeCom shows it (EncodingAESKey), not {odd}; "
        f"got {length} characters")


@pytest.mark.parametrize("host", ["", " ", "http://0.0.0.0", "0.0.0.0:8080"])
def test_a_host_that_is_not_an_address_says_what_to_write(host):
    with pytest.raises(ConfigError) as error:
        parse_config({"server": {"host": host}}, "config.toml", PROJECT_DIR, env={})
    assert str(error.value) == (
        f"config.toml：server.host 要写本机的一个地址，现在是 {host!r}：只在本机用写 \"127.0.0.1\"，"
        "让企业微信/钉钉或同事的电脑访问写 \"0.0.0.0\"（或本机的某个 IP），"
        "不带 http:// 和端口（端口写在 server.port） / "
        f"server.host must be an address such as \"127.0.0.1\" or \"0.0.0.0\" (no scheme, no port), got {host!r}")


@pytest.mark.parametrize("host", ["127.0.0.1", "0.0.0.0", "::1", "::", "localhost", "duban.example.org"])
def test_addresses_and_host_names_are_hosts(host):
    token = "s3cret-0123456789ab"
    assert parse_config({"server": {"host": host, "token": token}}, "c", PROJECT_DIR, env={}).server.host == host


def test_toml_dates_in_holidays_are_days(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[reminders]\nholidays = [2021-10-01, \"2021-10-04\"]\nworkdays = [2021-09-26]\n", encoding="utf-8")
    config = load_config(path)
    assert (config.reminders.holidays, config.reminders.workdays) == (["2021-10-01", "2021-10-04"], ["2021-09-26"])
    calendar = WorkCalendar(config.reminders.holidays, config.reminders.workdays)
    assert [calendar.is_workday(date(2021, 10, d)) for d in (1, 4)] == [False, False]
    assert calendar.is_workday(date(2021, 9, 26)) is True  # a Sunday made a workday
    # A date with a time is not a day: named with its key and the entry.
    assert refused(tmp_path, "[reminders]\nholidays = [2021-10-01, 2021-10-02T08:00:00]\n") == (
        "：reminders.holidays 的日期要写成 \"YYYY-MM-DD\"（如 \"2021-10-01\"），现在是 '2021-10-02T08:00:00' / "
        "reminders.holidays must hold days written YYYY-MM-DD, got '2021-10-02T08:00:00'")


def test_a_short_token_on_loopback_is_a_warning_not_a_refusal():
    # Issue 13 refuses one beyond loopback; on loopback only this machine reaches the server, and its local
    # chat needs no token at all, so a short one starts, with the warning: /admin and /status are behind it.
    config = parse_config({"server": {"token": "s3cret"}}, "c", PROJECT_DIR, env={})
    warning = ("server.token 只有 6 个字符：服务只在本机（127.0.0.1）上，照常启动，但 /admin 和 /status 靠它把关，"
               f"太短会被本机的其他程序猜到。请换成至少 16 个字符：{MAKE}"
               " / server.token is 6 characters; use at least 16.")
    assert weak_token(config) == [warning]
    assert startup_warnings(config, set()) == [warning]
    for token in ("", "s3cret-0123456789ab"):  # none (the local chat alone) or long enough: nothing to say
        assert weak_token(parse_config({"server": {"token": token}}, "c", PROJECT_DIR, env={})) == []
    with pytest.raises(ConfigError, match=r"server\.token 只有 6 个字符；在 0\.0\.0\.0 上提供服务时至少要 16 个"):
        parse_config({"server": {"host": "0.0.0.0", "token": "s3cret"}}, "c", PROJECT_DIR, env={})


def test_doctor_names_a_short_loopback_token(tmp_path):
    from bot.clock import DayClock
    from bot.ops import doctor

    path = tmp_path / "config.toml"
    path.write_text('[bot]\ndatabase = "data/duban.db"\n[server]\ntoken = "s3cret"\n', encoding="utf-8")
    report = doctor.run(path, lambda c: DayClock(date(2020, 11, 2), c.tz))
    assert [(c.status, c.text) for c in report.checks if c.part == "配置与计划"] == [
        ("problem", "server.token 只有 6 个字符：服务只在本机（127.0.0.1）上，照常启动，但 /admin 和 /status 靠它把关，"
                    f"太短会被本机的其他程序猜到。请换成至少 16 个字符：{MAKE} / server.token is 6 characters; "
                    "use at least 16.")]
    assert report.exit_code == 1
