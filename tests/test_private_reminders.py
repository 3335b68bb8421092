"""Private reminders (``reminders.private``): each owner named in a day's reminders gets their own
lines through the WeCom self-built app (message/send, PROTOCOLS §1.5), claimed like group pushes.
The WeCom API is a local recording server; the clock is stepped, never slept."""

from __future__ import annotations

import asyncio
import json
import logging
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest

from bot.clock import SHANGHAI, FrozenClock
from bot.config import PROJECT_DIR, ConfigError, parse_config
from bot.platforms import SendResult
from bot.platforms.wecom_push import AppClient
from bot.store import outbox
from reminders import private
from reminders.outbox import Sender
from reminders.tick import day_reminders, plan_day, run_tick
from tests.conftest import make_bot
from tests.recorder import Recorder

ROOT = Path(__file__).resolve().parent.parent
DAY = date(2020, 11, 27)  # the digest names 3.3 (林永禄、童聪良) and 3.2 (林永禄、县（市、区）科协主席)
PEOPLE = {"林永禄": {"wecom": "LinYongLu"}, "童聪良": {"wecom": "TongCongLiang"}}
APP = {"corp_id": "ww0000demo0000corp", "secret": "app-secret", "agent_id": 1000002}
CHAIRS = "县（市、区）科协主席"
LINE_3_3 = "3.3 举办第13届市青少年科技创新大赛｜11月30日到期，还有3天｜林永禄、童聪良"
LINE_3_2 = "3.2 组织开展全国科普日系列活动｜9月30日到期，已逾期58天｜林永禄、县（市、区）科协主席"


def private_bot(tmp_path, on: date = DAY, api: str = "https://qyapi.weixin.qq.com", **config):
    config.setdefault("people", PEOPLE)
    bot = make_bot(tmp_path, on=on, reminders={"private": True}, wecom={**APP, "api_base": api}, **config)
    at(bot, on, 9)
    return bot


def at(bot, day: date, hour: int, minute: int = 0, second: int = 0) -> None:
    bot.clock = FrozenClock(datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=SHANGHAI))


def private_rows(bot) -> dict[str, tuple]:
    return {row.chat: (row.platform, row.refs, row.mentions) for row in outbox.rows(bot.store)
            if row.platform == "wecom_app"}


def deliver(bot, app: AppClient) -> int:
    async def local(push) -> SendResult:
        return SendResult(True)

    return asyncio.run(Sender(bot, {"local": local, "wecom_app": app.send}).deliver_due())


def test_the_tick_queues_each_owner_only_their_own_lines(tmp_path):
    bot = private_bot(tmp_path)
    run_tick(bot, DAY)
    group = next(row for row in outbox.rows(bot.store) if row.chat == "本地群")
    assert group.refs == ["3.3", "3.2"]
    assert private_rows(bot) == {"私信:林永禄": ("wecom_app", ["3.3", "3.2"], ["林永禄"]),
                                 "私信:童聪良": ("wecom_app", ["3.3"], ["童聪良"])}
    texts = {row.chat: row.text for row in outbox.rows(bot.store)}
    assert texts["私信:童聪良"].splitlines() == [
        "童聪良，您好：今天（11月27日 星期五）的督办提醒中有您的任务：", "", "即将到期：", LINE_3_3, "",
        "办完后请在本对话中回复“完成 任务编号”（例如“完成 3.3”）；报告进展请回复“进展 任务编号 内容”。"]
    # A private line is the group digest's line, word for word.
    assert LINE_3_3 in group.text.splitlines() and LINE_3_2 in group.text.splitlines()
    assert [line for line in texts["私信:林永禄"].splitlines() if line[:1].isdigit()] == [LINE_3_3, LINE_3_2]


def test_a_role_reaches_its_members_with_ids_and_the_others_are_counted_not_told(tmp_path, caplog):
    bot = private_bot(tmp_path, people={**PEOPLE, "钟永通": {"wecom": "ZhongYongTong"}},
                      roles={CHAIRS: {"members": ["钟永通", "伍加禄"]}})
    [today] = day_reminders(bot, DAY).plans
    found = private.recipients(today.found, today.tasks, bot.config, day_reminders(bot, DAY).people)
    assert {name: [r.ref for r in mine] for name, mine in found.reminders.items()} == {
        "林永禄": ["3.2", "3.3"], "童聪良": ["3.3"], "钟永通": ["3.2"]}  # plan order
    assert found.unreachable == ["伍加禄"]
    with caplog.at_level(logging.INFO, logger="duban.reminders"):
        run_tick(bot, DAY)
    assert private_rows(bot)["私信:钟永通"] == ("wecom_app", ["3.2"], ["钟永通"])
    assert "私信:伍加禄" not in private_rows(bot)
    assert "no WeCom userid in [people] for 1: 伍加禄" in caplog.text
    # Nothing about the skipped people goes to the admins: the group digest is the usual one.
    assert "伍加禄" not in next(r.text for r in outbox.rows(bot.store) if r.chat == "本地群")


def test_a_tick_run_twice_queues_each_private_message_once(tmp_path):
    bot = private_bot(tmp_path)
    first = run_tick(bot, DAY)
    assert len(first) == 3  # the group digest, 林永禄, 童聪良
    assert run_tick(bot, DAY) == []
    restarted = make_bot(tmp_path, on=DAY, reminders={"private": True}, wecom=APP, people=PEOPLE)
    assert run_tick(restarted, DAY) == []
    assert len(outbox.rows(bot.store)) == 3
    claims = list(bot.store.read(
        "SELECT task_ref, kind, chat FROM reminder_claims WHERE chat LIKE '私信:%' ORDER BY chat, task_ref"))
    assert claims == [{"task_ref": "3.2", "kind": "overdue", "chat": "私信:林永禄"},
                      {"task_ref": "3.3", "kind": "due_soon", "chat": "私信:林永禄"},
                      {"task_ref": "3.3", "kind": "due_soon", "chat": "私信:童聪良"}]


def test_private_false_queues_nothing_private(tmp_path):
    bot = make_bot(tmp_path, on=DAY, wecom=APP, people=PEOPLE)
    assert [push.chat for push in plan_day(bot, DAY)] == ["本地群"]
    run_tick(bot, DAY)
    assert [row.chat for row in outbox.rows(bot.store)] == ["本地群"]


def _token_then(answers):
    """A WeCom API: gettoken hands out TOKEN1, TOKEN2 …; message/send answers from ``answers``."""
    tokens = iter(f"TOKEN{i}" for i in range(1, 10))

    def respond(request):
        if request.path == "/cgi-bin/gettoken":
            return {"errcode": 0, "errmsg": "ok", "access_token": next(tokens), "expires_in": 7200}
        return next(answers, {"errcode": 0, "errmsg": "ok"})
    return respond


def test_delivery_posts_message_send_to_the_userid_and_marks_sent_on_errcode_0(tmp_path):
    with Recorder(_token_then(iter([]))) as api:
        bot = private_bot(tmp_path, api=api.url)
        run_tick(bot, DAY)
        assert deliver(bot, AppClient(bot.config, bot.clock)) == 3
    token, *sends = api.requests
    assert (token.path, token.query) == ("/cgi-bin/gettoken",
                                         {"corpid": ["ww0000demo0000corp"], "corpsecret": ["app-secret"]})
    assert [(r.path, r.query["access_token"]) for r in sends] == [("/cgi-bin/message/send", ["TOKEN1"])] * 2
    texts = {row.chat: row.text for row in outbox.rows(bot.store)}
    assert [r.json for r in sends] == [
        {"touser": "LinYongLu", "msgtype": "text", "agentid": 1000002, "text": {"content": texts["私信:林永禄"]},
         "safe": 0},
        {"touser": "TongCongLiang", "msgtype": "text", "agentid": 1000002, "text": {"content": texts["私信:童聪良"]},
         "safe": 0}]
    assert {row.chat: row.status for row in outbox.rows(bot.store)} == {
        "本地群": "sent", "私信:林永禄": "sent", "私信:童聪良": "sent"}


def test_45009_is_retried_a_minute_later(tmp_path):
    busy = {"errcode": 45009, "errmsg": "api freq out of limit"}
    with Recorder(_token_then(iter([busy]))) as api:
        bot = private_bot(tmp_path, api=api.url, people={"童聪良": PEOPLE["童聪良"]})
        run_tick(bot, DAY)
        app = AppClient(bot.config, bot.clock)
        assert deliver(bot, app) == 1  # the group digest; the private message was refused
        [row] = [r for r in outbox.rows(bot.store) if r.chat == "私信:童聪良"]
        assert (row.status, row.last_error) == ("pending", "45009 api freq out of limit")
        assert row.next_attempt_at == datetime(2020, 11, 27, 9, 1, tzinfo=SHANGHAI).isoformat()
        at(bot, DAY, 9, 0, 59)
        app.clock = bot.clock
        assert deliver(bot, app) == 0  # not before the minute is up
        at(bot, DAY, 9, 1)
        app.clock = bot.clock
        assert deliver(bot, app) == 1
    assert [r.path for r in api.requests] == ["/cgi-bin/gettoken", "/cgi-bin/message/send", "/cgi-bin/message/send"]
    assert [r.status for r in outbox.rows(bot.store)] == ["sent", "sent"]


def test_an_expired_token_is_fetched_again(tmp_path):
    with Recorder(_token_then(iter([{"errcode": 42001, "errmsg": "access_token expired"}]))) as api:
        bot = private_bot(tmp_path, api=api.url, people={"童聪良": PEOPLE["童聪良"]})
        run_tick(bot, DAY)
        assert deliver(bot, AppClient(bot.config, bot.clock)) == 2
    assert [(r.path, r.query.get("access_token")) for r in api.requests] == [
        ("/cgi-bin/gettoken", None), ("/cgi-bin/message/send", ["TOKEN1"]),
        ("/cgi-bin/gettoken", None), ("/cgi-bin/message/send", ["TOKEN2"])]


def test_a_refused_private_message_is_tried_three_times_then_failed_and_the_admins_are_told(tmp_path):
    invalid = {"errcode": 81013, "errmsg": "user & party & tag all invalid"}
    with Recorder(_token_then(iter([invalid] * 30))) as api:
        bot = private_bot(tmp_path, api=api.url, people={"童聪良": PEOPLE["童聪良"]}, bot={"admins": ["朱明生"]})
        run_tick(bot, DAY)
        app = AppClient(bot.config, bot.clock)
        deliver(bot, app)
        [row] = [r for r in outbox.rows(bot.store) if r.chat == "私信:童聪良"]
        assert (row.status, row.last_error) == ("pending", "81013 user & party & tag all invalid")
        assert row.next_attempt_at == datetime(2020, 11, 27, 9, 0, 30, tzinfo=SHANGHAI).isoformat()  # backoff
        for second in (30, 90, 91):  # the third refusal, then the notice it queued
            at(bot, DAY, 9, second // 60, second % 60)
            app.clock = bot.clock
            deliver(bot, app)
    [row] = [r for r in outbox.rows(bot.store) if r.chat == "私信:童聪良"]
    assert (row.status, row.attempts) == ("failed", 3)
    # The admins are told in the local chat (the app is what failed), the moment it is delivered.
    [told] = [r for r in outbox.rows(bot.store) if r.text.startswith("【督办助手·给管理员】")]
    assert (told.chat, told.status) == ("本地群", "sent")
    assert "有一条发给童聪良的私信提醒被平台拒收（81013 user & party & tag all invalid），试了3次" in told.text
    assert outbox.untold_notices(bot.store) == []


def test_a_closed_task_leaves_the_private_messages_still_queued(tmp_path):
    bot = private_bot(tmp_path)
    run_tick(bot, DAY)
    reply = bot.say("完成 3.3", "徐锦清")  # the lead closes the whole task
    assert "3.3" in reply.text
    rows = {row.chat: row for row in outbox.rows(bot.store)}
    assert "私信:童聪良" not in rows  # it named only 3.3: withdrawn
    mine = rows["私信:林永禄"]
    assert (mine.refs, mine.mentions) == (["3.2"], ["林永禄"])
    assert LINE_3_3 not in mine.text and LINE_3_2 in mine.text.splitlines()


def test_a_long_private_message_is_cut_into_parts_of_at_most_2048_bytes(tmp_path):
    december = date(2020, 12, 1)  # the monthly check-in: the county chairs own 17 ongoing tasks
    bot = private_bot(tmp_path, on=december, people={"钟永通": {"wecom": "ZhongYongTong"}},
                      roles={CHAIRS: {"members": ["钟永通"]}})
    pushes = [p for p in plan_day(bot, december) if p.chat == "私信:钟永通"]
    assert len(pushes) == 2
    assert all(len(p.text.encode()) <= 2048 for p in pushes)
    assert [p.text.splitlines()[0] for p in pushes] == ["（1/2）", "（2/2）"]
    assert pushes[0].text.splitlines()[1].startswith("钟永通，您好：")
    refs = [ref for p in pushes for ref in p.refs]
    assert sorted(refs) == sorted(["1.1", "1.2", "1.5", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8",
                                   "3.7", "3.8", "3.9", "4.2", "4.5", "5.2", "5.4"])
    run_tick(bot, december)
    rows = [r for r in outbox.rows(bot.store) if r.chat == "私信:钟永通"]
    assert [(r.part, r.parts, r.text) for r in rows] == [(i, 2, p.text) for i, p in enumerate(pushes, 1)]


@pytest.mark.parametrize("wecom, empty", [
    ({}, "wecom.corp_id, wecom.agent_id, wecom.secret"),
    ({"corp_id": "ww1"}, "wecom.agent_id, wecom.secret"),
    ({"corp_id": "ww1", "agent_id": 1000002}, "wecom.secret"),
])
def test_private_without_an_app_is_a_config_error_naming_the_keys(wecom, empty):
    with pytest.raises(ConfigError) as error:
        parse_config({"reminders": {"private": True}, "wecom": wecom}, "config.toml", PROJECT_DIR, env={})
    assert str(error.value) == (
        f"config.toml：reminders.private（私信提醒）需要企业微信自建应用（{empty} 是空的）"
        "或钉钉应用（dingtalk.app_key、dingtalk.app_secret）来发私信 / "
        f"reminders.private needs the WeCom app ({empty} empty) or the "
        "DingTalk app (dingtalk.app_key, dingtalk.app_secret) to send private messages")


def test_the_app_secret_may_come_from_the_environment():
    config = parse_config({"reminders": {"private": True}, "wecom": {"corp_id": "ww1", "agent_id": 1000002}},
                          "config.toml", PROJECT_DIR, env={"DUBAN_WECOM_SECRET": "s"})
    assert config.reminders.private and config.wecom.secret == "s"


@pytest.mark.parametrize("channel", [
    '[wecom]\ncorp_id = "ww1"\nagent_id = 1000002\nsecret = "s"\n'
    '[people."林永禄"]\nwecom = "LinYongLu"\n[people."童聪良"]\nwecom = "TongCongLiang"\n',
    '[dingtalk]\nmode = "http"\napp_key = "dingAPPKEY"\napp_secret = "S"\n'
    '[people."林永禄"]\ndingtalk = "lyl01"\n[people."童聪良"]\ndingtalk = "tcl02"\n',
], ids=["wecom_app", "dingtalk_robot"])
def test_remind_dry_run_json_lists_the_private_pushes(tmp_path, channel):
    (tmp_path / "config.toml").write_text(
        '[bot]\ndatabase = "duban.db"\n[reminders]\nprivate = true\n' + channel, encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "bot", "remind", "--on", "2020-11-27", "--dry-run", "--json",
                             "--today", "2020-11-27"], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    pushes = json.loads(result.stdout)
    assert [(p["chat"], p["refs"], p["mentions"]) for p in pushes] == [
        ("本地群", ["3.3", "3.2"], ["林永禄", "童聪良"]),
        ("私信:林永禄", ["3.3", "3.2"], ["林永禄"]),
        ("私信:童聪良", ["3.3"], ["童聪良"])]
    assert all(p["date"] == "2020-11-27" for p in pushes)
    assert LINE_3_3 in pushes[2]["text"].splitlines()


def test_a_bare_done_in_the_app_chat_closes_the_task_of_ones_private_reminder(tmp_path):
    """童聪良's private message of 11-27 names only 3.3; his "完成" in the app's 1:1 chat means 3.3.
    林永禄's names 3.3 and 3.2, so he is asked which."""
    from bot.messages import Message

    bot = private_bot(tmp_path)
    run_tick(bot, DAY)
    deliver(bot, FakeApp())  # the private rows are marked sent, as last_sent_refs reads them

    def app_says(person: str, userid: str, text: str):
        return bot.answer(Message(platform="wecom", chat_id=f"app:{userid}", sender_id=userid, person=person,
                                  text=text, msg_id=f"{userid}-{text}", received_at=bot.clock.now()))

    assert app_says("童聪良", "TongCongLiang", "完成").text == "3.3 童聪良已完成，进度 1/2，待：林永禄"
    assert app_says("林永禄", "LinYongLu", "完成").refs == ["3.2", "3.3"]


class FakeApp:
    """An app that takes every message (delivery itself is tested against the recorder above)."""

    async def send(self, push) -> SendResult:
        return SendResult(True)
