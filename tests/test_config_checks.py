"""Config read as an office admin writes it (issue 15): TOML slips explained in Chinese with the line, "9:00"
accepted, names one slip from the plan's warned about at start-up, half-finished platform setups named."""

from __future__ import annotations

import logging

import pytest

from bot.config import PROJECT_DIR, ConfigError, load_config, parse_config
from bot.ops.checks import half_setups, name_slips, one_slip
from bot.store.maintenance import plan_people
from tests.conftest import make_bot

PLAN_PEOPLE = {"朱明生", "陈家国", "林丽", "刘艺平", "梁伟坚", "吴泽荣", "钟晓鹏", "徐锦清", "严众能", "林永禄",
               "童聪良", "钟永通", "伍加禄", "严旺龙", "沈锦松", "罗昌彪"}


@pytest.mark.parametrize("text, where, reason", [
    ('[bot]\nadmins = [“朱明生”]\n', "第2行第11列",
     '用了中文引号 “”：请改成英文引号 "（输入法切到英文再打），如 admins = ["朱明生"]。'),
    ('[bot]\nname ＝ "督办助手"\n', "第2行第6列", "用了全角等号 ＝：请改成半角等号 =（输入法切到英文再打）。"),
    ('[bot]\nname = "督办助手"\nname = "小助手"\n', "第3行第13列",
     "重复的键：name 在这一节前面已经写过一次，同一个键只能写一次：删掉其中一行。"),
    ('[reminders]\ntime = 9:00\n', "第2行第9列", '9:00 没有加引号：文字、名字和时间要写在英文引号里：time = "9:00"。'),
    ('[bot]\nadmins = [朱明生, 徐锦清]\n', "第2行第11列",
     '朱明生, 徐锦清 没有加引号：文字、名字和时间要写在英文引号里：admins = ["朱明生", "徐锦清"]。'),
    ('[bot]\nadmins = ["朱明生"，"徐锦清"]\n', "第2行第16列", "用了中文标点 ，：请改成英文标点 ,。"),
    ('[bot]\nname = "督办助手\n', "第2行第13列", '引号没有配对：这一行的字符串少了结尾的英文引号 "。'),
])
def test_a_toml_slip_is_explained_in_chinese_with_its_line(tmp_path, text, where, reason):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(path)
    message = str(error.value)
    number = where[1]
    bad_line = text.splitlines()[int(number) - 1]
    assert message.startswith(f"{path} {where}：配置文件格式（TOML）有误。{reason}\n  {number} | {bad_line}\n(TOML: ")


def test_times_like_9_00_are_accepted():
    config = parse_config({"reminders": {"time": "9:00"}, "backup": {"time": "3:30"}}, "c", PROJECT_DIR, env={})
    assert (config.reminders.time, config.backup.time) == ("09:00", "03:30")
    with pytest.raises(ConfigError, match=r"reminders\.time must be HH:MM"):
        parse_config({"reminders": {"time": "25:00"}}, "c", PROJECT_DIR, env={})


@pytest.mark.parametrize("a, b, slip", [
    ("朱明升", "朱明生", True), ("林丽丽", "林丽", True), ("严能众", "严众能", True), ("徐清", "徐锦清", True),
    ("朱明生", "朱明生", False), ("朱生明升", "朱明生", False), ("王五", "朱明生", False), ("林永陆", "林永禄", True),
])
def test_one_slip(a, b, slip):
    assert one_slip(a, b) is slip


def test_admins_and_people_one_slip_from_the_plan_are_named_but_role_members_are_not():
    config = parse_config({"bot": {"admins": ["朱明升", "王主任"]},
                           "people": {"严众能": {"wecom": "yzn"}, "林永陆": {"wecom": "lyl"}},
                           "roles": {"县（市、区）科协主席": {"members": ["林丽丽"]}}}, "c", PROJECT_DIR, env={})
    assert name_slips(config, PLAN_PEOPLE) == [
        "bot.admins：计划里没有 朱明升，是否是 朱明生？（写错的名字不是管理员。） / bot.admins: no 朱明升 in any plan; "
        "did you mean 朱明生?\n  → 把 bot.admins 里的 朱明升 改成计划里的写法：朱明生",
        'people：计划里没有 林永陆，是否是 林永禄？（[people."林永陆"] 的账号不会对应到计划里的人。） / '
        'no 林永陆 in any plan; did you mean 林永禄?\n  → 把 [people."林永陆"] 里的 林永陆 改成计划里的写法：林永禄',
    ]


def test_the_plan_people_are_the_plans_own_not_configs(tmp_path):
    bot = make_bot(tmp_path, people={"朱明升": {"wecom": "zms"}},
                   roles={"县（市、区）科协主席": {"members": ["林丽丽"]}})
    assert plan_people(bot.store) == PLAN_PEOPLE  # 朱明升 and 林丽丽 are in the people table, not in the plan
    bot.close()


def test_serve_warns_at_start_naming_the_slip(tmp_path, caplog):
    from bot.cli import _warn_at_start

    bot = make_bot(tmp_path, bot={"admins": ["朱明升"]})
    with caplog.at_level(logging.WARNING, logger="duban"):
        _warn_at_start(bot)
    assert [r.getMessage().split("（")[0] for r in caplog.records] == ["bot.admins：计划里没有 朱明升，是否是 朱明生？"]
    bot.close()


HOOK = "https://oapi.dingtalk.com/robot/send?access_token=abc"
WECOM_HOOK = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"


@pytest.mark.parametrize("data, found", [
    ({"chats": [{"name": "科协工作群", "platform": "dingtalk", "webhook": HOOK}]},
     ["钉钉群 科协工作群 有 webhook 没有 app_key：能收到提醒，群里提问收不到（要在群里提问，请在 [dingtalk] 填写 "
      "app_key 和 app_secret）。"]),
    ({"chats": [{"name": "办公室群", "platform": "wecom", "webhook": WECOM_HOOK}]},
     ["企业微信群 办公室群 有 webhook 没有智能机器人（[wecom.aibot] 的 token、encoding_aes_key）：能收到提醒，"
      "群里提问收不到。"]),
    ({"wecom": {"corp_id": "ww1"}},
     ["企业微信自建应用只填了 corp_id：缺 token、encoding_aes_key，单聊提问收不到；"
      "缺 agent_id、secret，发不了私信提醒。"]),
    ({"wecom": {"aibot": {"token": "t"}}},
     ["企业微信智能机器人缺 wecom.aibot.encoding_aes_key：回调无法解密，群里提问收不到。请从智能机器人的接收消息设置里"
      "复制 Token 和 EncodingAESKey。"]),
    ({"dingtalk": {"app_key": "ding1", "app_secret": "s"}},
     ["钉钉应用已配置，但 [[chats]] 里没有钉钉群：群里能提问，收不到提醒（请为每个群加一个 [[chats]]，platform = "
      "\"dingtalk\"，填写自定义机器人的 webhook）。"]),
    ({"dingtalk": {"app_key": "ding1", "app_secret": "s"},
      "chats": [{"name": "科协工作群", "platform": "dingtalk", "webhook": HOOK}]}, []),
    ({}, []),
])
def test_a_half_finished_platform_setup_says_what_works_and_what_does_not(data, found):
    assert half_setups(parse_config(data, "c", PROJECT_DIR, env={})) == found


@pytest.mark.parametrize("data, chinese", [
    ({"server": {"prot": 8080}}, "没有这个键：server.prot（[server] 里可写：host, port, token），请检查拼写"),
    ({"server": {"port": "8080"}}, "server.port 应为整数，现在是 '8080'"),
    ({"reminders": {"time": "9点"}}, "reminders.time 要写成 \"时:分\"（如 \"9:00\"、\"09:00\"），现在是 '9点'"),
    ({"chats": [{"name": "科协工作群", "platform": "dingtalk"}]},
     "chats[0].webhook 是空的：钉钉群的提醒经群机器人发送，请填写它的 webhook 地址"),
    ({"server": {"host": "0.0.0.0"}},
     "server.host（0.0.0.0）不是本机地址时必须设置 server.token（至少16个字符）：本地群谁都能冒充任何人。"
     '可用 python3 -c "import secrets; print(secrets.token_urlsafe(24))" 生成'),
])
def test_config_errors_are_chinese_first(data, chinese):
    with pytest.raises(ConfigError) as error:
        parse_config(data, "config.toml", PROJECT_DIR, env={})
    assert str(error.value).split(" / ")[0] == f"config.toml：{chinese}"

