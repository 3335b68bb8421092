"""Config mistakes name the key; secrets may come from the environment (DESIGN §8)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.config import PROJECT_DIR, ConfigError, load_config, parse_config


@pytest.mark.parametrize("data, message", [
    ({"server": {"prot": 8080}}, "unknown key server.prot"),
    ({"sever": {}}, "unknown section [sever]"),
    ({"server": {"port": "8080"}}, "server.port must be a whole number, got '8080'"),
    ({"server": {"port": 70000}}, "server.port must be 1-65535"),
    ({"server": {"host": "0.0.0.0"}}, "server.token is required when server.host (0.0.0.0)"),
    ({"bot": {"timezone": "Mars/Olympus"}}, "bot.timezone 'Mars/Olympus' is not a known time zone"),
    ({"bot": {"synchronous": "OFF"}}, 'bot.synchronous must be "FULL" or "NORMAL"'),
    ({"reminders": {"time": "9点"}}, "reminders.time must be HH:MM"),
    ({"reminders": {"lead_days": ["7"]}}, "reminders.lead_days must be a list of a whole numbers"),
    ({"wecom": {"encoding_aes_key": "short"}}, "wecom.encoding_aes_key must be 43 letters and digits"),
    ({"wecom": {"aibot": {"encoding_aes_key": "密" * 43}}}, "wecom.aibot.encoding_aes_key must be 43 letters"),
    ({"bot": {"admins": [1, 2]}}, "bot.admins must be a list of a strings"),
    ({"roles": {"县（市、区）科协主席": {"members": [1]}}}, "members must be a list of a strings"),
    ({"reminders": {"holidays": ["2020-13-01"]}}, "reminders.holidays must hold days written YYYY-MM-DD"),
    ({"reminders": {"workdays": [1]}}, "reminders.workdays must be a list of a strings"),
    ({"reminders": {"lead_days": [-1, 0]}}, "reminders.lead_days must be days from 1 to 366"),
    ({"reminders": {"overdue_every_days": 0}}, "reminders.overdue_every_days must be 1 or more"),
    ({"wecom": {"reply_deadline_s": -5}}, "wecom.reply_deadline_s must be above 0 and below 5"),
    ({"wecom": {"aibot": {"mode": "carrier-pigeon"}}}, 'wecom.aibot.mode must be "callback" or "websocket"'),
    ({"dingtalk": {"api_base": "not a url"}}, "dingtalk.api_base must be an http(s) URL"),
    ({"chats": [{"name": "群", "platform": "local"}, {"name": "群", "platform": "local"}]},
     "chats[1].name '群' is used by another chat"),
    ({"people": {"": {}}}, '[people.""] has no name'),
    ({"people": {"甲": {"wecom": "u1"}, "乙": {"wecom": "u1"}}},
     'people."乙".wecom = \'u1\' is also people."甲".wecom'),
    ({"server": {"token": "密码"}}, "server.token must be printable ASCII"),
    ({"wecom": {"aibot": {"tokn": "x"}}}, "unknown key wecom.aibot.tokn"),
    ({"chats": [{"name": "群", "platform": "qq"}]}, "chats[0].platform must be one of local, wecom, dingtalk"),
    ({"people": {"严众能": {"wechat": "x"}}}, 'unknown key people."严众能".wechat'),
    ({"roles": {"县（市、区）科协主席": {"members": "林丽"}}}, "members must be a list"),
    ({"bot": {"admins": "朱明生"}}, "bot.admins must be a list"),
    ({"chats": [{"name": "科协工作群", "platform": "dingtalk"}]}, "chats[0].webhook is empty"),
    ({"dingtalk": {"mode": "outgoing"}}, 'dingtalk.mode must be "stream" or "http"'),
    ({"dingtalk": {"app_key": "dingabc"}}, "dingtalk.app_secret is empty"),
])
def test_a_wrong_key_or_value_names_the_key(data, message):
    with pytest.raises(ConfigError, match=None) as error:
        parse_config(data, "config.toml", PROJECT_DIR, env={})
    text = str(error.value)
    assert text.startswith("config.toml：")  # the file, then the mistake: Chinese first, English after it
    chinese, _, english = text.removeprefix("config.toml：").partition(" / ")
    assert re.search(r"[\u4e00-\u9fff]", chinese) and message in english


def test_the_embedded_default(tmp_path):
    config = load_config(None, cwd=tmp_path)
    assert config.source is None
    assert config.bot.database == tmp_path / "data" / "duban.db"  # the folder it runs in
    assert config.bot.plan == PROJECT_DIR / "bot" / "bundled" / "longyan-kexie-2020.txt"
    assert (config.server.host, config.server.port, config.bot.timezone) == ("127.0.0.1", 8080, "Asia/Shanghai")


def test_relative_paths_resolve_against_the_config_folder(tmp_path):
    (tmp_path / "conf").mkdir()
    path = tmp_path / "conf" / "duban.toml"
    path.write_text('[bot]\ndatabase = "state/duban.db"\n', encoding="utf-8")
    config = load_config(path, cwd=Path("/"))
    assert config.bot.database == tmp_path / "conf" / "state" / "duban.db"


def test_bad_toml_names_the_line(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[bot]\nname = "督办助手\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"第2行第13列：配置文件格式（TOML）有误。引号没有配对"):
        load_config(path)


def test_secrets_from_the_environment_fill_empty_keys_only():
    config = parse_config({"wecom": {"aibot": {"token": "from-file"}}, "dingtalk": {"app_key": "ding123"}}, "c",
                          PROJECT_DIR,
                          env={"DUBAN_WECOM_AIBOT_TOKEN": "from-env", "DUBAN_DINGTALK_APP_SECRET": "ding"})
    assert config.wecom.aibot.token == "from-file"
    assert config.dingtalk.app_secret == "ding"


def test_the_example_config_is_valid_and_documents_every_key():
    example = PROJECT_DIR / "config.example.toml"
    config = load_config(example)
    text = example.read_text(encoding="utf-8")
    from bot.config import CHAT_KEYS, PERSON_KEYS, SCHEMA, SECRET_ENV

    for section, keys in SCHEMA.items():
        assert f"[{section}]" in text
        for key in keys:
            assert f"\n{key} = " in text or f"\n# {key} = " in text, f"{section}.{key} is not documented"
    for key in (*CHAT_KEYS, *PERSON_KEYS):
        assert f"\n{key} = " in text
    for variable in SECRET_ENV.values():
        assert variable in text
    assert config.server.port == 8080


def test_names_in_config_are_cleaned_and_members_deduplicated():
    config = parse_config({"roles": {"县(市、区)科协主席": {"members": ["林  丽", "林丽", "严众能"]}},
                           "people": {"严 众能": {"wecom": "yzn"}}}, "c", PROJECT_DIR, env={})
    assert config.roles == {"县（市、区）科协主席": ["林丽", "严众能"]}
    assert list(config.people) == ["严众能"]


def test_toml_dates_count_as_days():
    from bot.config import tomllib  # tomli on Python 3.10

    data = tomllib.loads("[reminders]\nholidays = [2020-10-01]\n")
    assert parse_config(data, "c", PROJECT_DIR, env={}).reminders.holidays == ["2020-10-01"]


def test_a_config_without_a_plan_gets_the_bundled_one(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[bot]\ndatabase = "x.db"\n', encoding="utf-8")
    config = load_config(path)
    assert config.bot.plan == PROJECT_DIR / "bot" / "bundled" / "longyan-kexie-2020.txt"
    assert config.bot.database == tmp_path / "x.db"


def test_a_folder_given_as_the_config_is_named_not_a_traceback(tmp_path):
    with pytest.raises(ConfigError) as error:
        load_config(tmp_path)
    assert str(error.value) == (f"{tmp_path}：这是一个文件夹，不是配置文件；--config 要指向 config.toml 本身"
                                " / a folder, not a config file")
