"""Private reminders through DingTalk (``reminders.private`` with the DingTalk app): a person with a
staffId and no WeCom channel gets their own lines as a 1:1 robot message
(``/v1.0/robot/oToMessages/batchSend``, token from ``/v1.0/oauth2/accessToken``, PROTOCOLS §3.3).
The DingTalk API is a local recording server; the clock is stepped, never slept."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from bot.clock import SHANGHAI, FrozenClock
from bot.config import PROJECT_DIR, ConfigError, parse_config
from bot.platforms import Outgoing, SendResult
from bot.platforms.dingtalk_push import OtoClient
from bot.platforms.wecom_push import AppClient
from bot.store import outbox
from reminders.outbox import Sender
from reminders.tick import plan_day, run_tick
from tests.conftest import make_bot
from tests.recorder import Recorder

ROOT = Path(__file__).resolve().parent.parent
DAY = date(2020, 11, 27)  # the digest names 3.3 (林永禄、童聪良) and 3.2 (林永禄、县（市、区）科协主席)
PEOPLE = {"林永禄": {"dingtalk": "lyl01"}, "童聪良": {"dingtalk": "tcl02"}}
LINE_3_3 = "3.3 举办第13届市青少年科技创新大赛｜11月30日到期，还有3天｜林永禄、童聪良"
TOKEN_PATH = "/v1.0/oauth2/accessToken"
SEND_PATH = "/v1.0/robot/oToMessages/batchSend"
TAKEN = {"processQueryKey": "pqk", "invalidStaffIdList": [], "flowControlledStaffIdList": []}


def dingtalk_bot(tmp_path, api: str = "https://api.dingtalk.com", **config):
    config.setdefault("people", PEOPLE)
    config.setdefault("dingtalk", {"app_key": "dingAPPKEY", "app_secret": "S", "api_base": api})
    bot = make_bot(tmp_path, on=DAY, reminders={"private": True}, **config)
    bot.clock = FrozenClock(datetime(2020, 11, 27, 9, 0, tzinfo=SHANGHAI))
    return bot


def api(answers=()):
    """A DingTalk API: accessToken hands out TOKEN1, TOKEN2 …; batchSend answers from ``answers``
    (an answer is a dict, or (status, dict)), then takes everything."""
    tokens = iter(f"TOKEN{i}" for i in range(1, 10))
    answers = iter(answers)

    def respond(request):
        if request.path == TOKEN_PATH:
            return {"accessToken": next(tokens), "expireIn": 7200}
        if request.path == SEND_PATH:
            return next(answers, TAKEN)
        # The WeCom app, when a test points it here too.
        if request.path == "/cgi-bin/gettoken":
            return {"errcode": 0, "errmsg": "ok", "access_token": "WECOM1", "expires_in": 7200}
        return {"errcode": 0, "errmsg": "ok"}
    return respond


def deliver(bot, client: OtoClient, **platforms) -> int:
    async def local(push) -> SendResult:
        return SendResult(True)

    return asyncio.run(Sender(bot, {"local": local, "dingtalk_otm": client.send, **platforms}).deliver_due())


def private_rows(bot) -> dict[str, tuple]:
    return {row.chat: (row.platform, row.refs, row.mentions) for row in outbox.rows(bot.store)
            if row.chat.startswith("私信:")}


def row_of(bot, chat: str) -> outbox.OutboxRow:
    return next(r for r in outbox.rows(bot.store) if r.chat == chat)


def test_the_tick_queues_dingtalk_private_rows_with_each_owners_refs(tmp_path, caplog):
    bot = dingtalk_bot(tmp_path)
    with caplog.at_level(logging.INFO, logger="duban.reminders"):
        run_tick(bot, DAY)
    assert private_rows(bot) == {"私信:林永禄": ("dingtalk_otm", ["3.3", "3.2"], ["林永禄"]),
                                 "私信:童聪良": ("dingtalk_otm", ["3.3"], ["童聪良"])}
    assert LINE_3_3 in row_of(bot, "私信:童聪良").text.splitlines()
    # The role has no members in config: counted in the log, by the id DingTalk would need.
    assert "no DingTalk staffId in [people] for 1: 县（市、区）科协主席" in caplog.text
    assert run_tick(bot, DAY) == []  # never twice


def test_delivery_fetches_a_token_once_then_posts_batch_send_and_marks_sent(tmp_path):
    with Recorder(api()) as server:
        bot = dingtalk_bot(tmp_path, api=server.url)
        run_tick(bot, DAY)
        assert deliver(bot, OtoClient(bot.config, bot.clock)) == 3
    token, *sends = server.requests
    assert (token.method, token.path, token.json) == ("POST", TOKEN_PATH, {"appKey": "dingAPPKEY", "appSecret": "S"})
    assert [(r.method, r.path, r.headers["x-acs-dingtalk-access-token"]) for r in sends] == [
        ("POST", SEND_PATH, "TOKEN1")] * 2
    texts = {row.chat: row.text for row in outbox.rows(bot.store)}
    assert [r.json for r in sends] == [
        {"robotCode": "dingAPPKEY", "userIds": ["lyl01"], "msgKey": "sampleText",
         "msgParam": json.dumps({"content": texts["私信:林永禄"]}, ensure_ascii=False)},
        {"robotCode": "dingAPPKEY", "userIds": ["tcl02"], "msgKey": "sampleText",
         "msgParam": json.dumps({"content": texts["私信:童聪良"]}, ensure_ascii=False)}]
    assert json.loads(sends[1].json["msgParam"]) == {"content": texts["私信:童聪良"]}
    assert {row.chat: row.status for row in outbox.rows(bot.store)} == {
        "本地群": "sent", "私信:林永禄": "sent", "私信:童聪良": "sent"}


def test_the_token_is_kept_until_five_minutes_before_it_expires(tmp_path):
    with Recorder(api()) as server:
        bot = dingtalk_bot(tmp_path, api=server.url)
        client = OtoClient(bot.config, bot.clock)

        async def tokens():
            first = await client.token()
            bot.clock.advance(minutes=114, seconds=59)  # 7200 s less 5 minutes, less a second
            second = await client.token()
            bot.clock.advance(seconds=1)
            return first, second, await client.token()
        assert asyncio.run(tokens()) == ("TOKEN1", "TOKEN1", "TOKEN2")
    assert [r.path for r in server.requests] == [TOKEN_PATH, TOKEN_PATH]


def test_an_invalid_staff_id_is_tried_three_times_then_failed_and_the_admins_are_told_in_the_group(tmp_path):
    invalid = {"processQueryKey": "pqk", "invalidStaffIdList": ["tcl02"], "flowControlledStaffIdList": []}
    with Recorder(api([invalid] * 30)) as server:
        bot = dingtalk_bot(tmp_path, api=server.url, people={"童聪良": PEOPLE["童聪良"]}, bot={"admins": ["朱明生"]})
        run_tick(bot, DAY)
        client = OtoClient(bot.config, bot.clock)
        assert deliver(bot, client) == 1  # the group digest only
        row = row_of(bot, "私信:童聪良")
        assert (row.status, row.last_error, row.refusals) == ("pending", "200 invalidStaffIdList: tcl02", 1)
        # A refusal waiting cannot cure: tried again after 30 s and 1 min, then failed (issue 13).
        assert row.next_attempt_at == datetime(2020, 11, 27, 9, 0, 30, tzinfo=SHANGHAI).isoformat()
        for _ in range(4):
            bot.clock.advance(seconds=30)
            deliver(bot, client)
    assert (row_of(bot, "私信:童聪良").status, row_of(bot, "私信:童聪良").refusals) == ("failed", 3)
    assert [r.path for r in server.requests] == [TOKEN_PATH, SEND_PATH, SEND_PATH, SEND_PATH]
    told = [r for r in outbox.rows(bot.store) if r.text.startswith("【督办助手·给管理员】")]
    assert [(r.chat, r.status, r.mentions) for r in told] == [("本地群", "sent", ["朱明生"])]
    assert "有一条发给童聪良的钉钉私信提醒被平台拒收（200 invalidStaffIdList: tcl02），试了3次" in told[0].text
    assert "dingtalk.app_key、dingtalk.app_secret" in told[0].text
    [notice] = outbox.open_notices(bot.store)
    assert (notice["kind"], notice["detail"], notice["told_on"]) == (
        "failed_private_dingtalk", "童聪良", told[0].sent_at)


def test_a_flow_controlled_message_is_retried_five_minutes_later(tmp_path):
    held = {"processQueryKey": "pqk", "invalidStaffIdList": [], "flowControlledStaffIdList": ["tcl02"]}
    with Recorder(api([held])) as server:
        bot = dingtalk_bot(tmp_path, api=server.url, people={"童聪良": PEOPLE["童聪良"]})
        run_tick(bot, DAY)
        client = OtoClient(bot.config, bot.clock)
        assert deliver(bot, client) == 1
        row = row_of(bot, "私信:童聪良")
        assert (row.status, row.last_error) == ("pending", "200 flowControlledStaffIdList: tcl02")
        assert row.next_attempt_at == datetime(2020, 11, 27, 9, 5, tzinfo=SHANGHAI).isoformat()
        bot.clock.advance(minutes=4, seconds=59)
        assert deliver(bot, client) == 0
        bot.clock.advance(seconds=1)
        assert deliver(bot, client) == 1
    assert [r.path for r in server.requests] == [TOKEN_PATH, SEND_PATH, SEND_PATH]
    assert row_of(bot, "私信:童聪良").status == "sent"


@pytest.mark.parametrize("refused", [
    (401, {"code": "InvalidAuthentication", "message": "不合法的access_token"}),
    (400, {"code": "Forbidden.AccessDenied.AccessTokenInvalid", "message": "accessToken is invalid"}),
])
def test_a_refused_token_is_fetched_again_once_and_the_message_goes(tmp_path, refused):
    with Recorder(api([refused])) as server:
        bot = dingtalk_bot(tmp_path, api=server.url, people={"童聪良": PEOPLE["童聪良"]})
        run_tick(bot, DAY)
        assert deliver(bot, OtoClient(bot.config, bot.clock)) == 2
    assert [(r.path, r.headers.get("x-acs-dingtalk-access-token")) for r in server.requests] == [
        (TOKEN_PATH, None), (SEND_PATH, "TOKEN1"), (TOKEN_PATH, None), (SEND_PATH, "TOKEN2")]
    assert row_of(bot, "私信:童聪良").status == "sent"


@pytest.mark.parametrize(("answer", "error", "retry_in"), [
    ((400, {"code": "staffId.notExisted", "message": "staffId not exist"}),
     "400 batchSend: staffId.notExisted staffId not exist", timedelta(seconds=30)),  # refused: 3 tries
    ((429, {"code": "Throttling", "message": "too many requests"}),
     "429 batchSend: Throttling too many requests", timedelta(seconds=30)),
    ((503, {"code": "ServiceUnavailable", "message": "busy"}),
     "503 batchSend: ServiceUnavailable busy", timedelta(seconds=30)),
])
def test_other_errors_name_the_code_and_message_and_only_429_and_5xx_are_retried(tmp_path, answer, error, retry_in):
    with Recorder(api([answer])) as server:
        bot = dingtalk_bot(tmp_path, api=server.url, people={"童聪良": PEOPLE["童聪良"]})
        run_tick(bot, DAY)
        deliver(bot, OtoClient(bot.config, bot.clock))
    row = row_of(bot, "私信:童聪良")
    assert (row.status, row.last_error) == ("pending", error)
    assert row.next_attempt_at == (bot.clock.now() + retry_in).isoformat()
    assert [r.path for r in server.requests] == [TOKEN_PATH, SEND_PATH]  # no second token for these


def test_no_answer_is_retryable(tmp_path):
    with Recorder() as server:
        closed = server.url  # nothing listens there once the recorder is gone
    bot = dingtalk_bot(tmp_path, api=closed, people={"童聪良": PEOPLE["童聪良"]})
    client = OtoClient(bot.config, bot.clock)
    result = asyncio.run(client.send(Outgoing("私信:童聪良", "x", ["3.3"], ["童聪良"])))
    assert (result.ok, result.code, result.retryable) == (False, -1, True)
    assert result.detail.startswith("accessToken: ConnectError")


def test_a_push_to_someone_without_a_staff_id_is_refused_without_a_request(tmp_path):
    bot = dingtalk_bot(tmp_path, api="http://127.0.0.1:9")
    result = asyncio.run(OtoClient(bot.config, bot.clock).send(Outgoing("私信:严众能", "x", [], ["严众能"])))
    assert result == SendResult(False, -1, "no DingTalk staffId in config [people] for 严众能")


def test_a_person_with_both_ids_gets_the_wecom_app_when_it_is_configured(tmp_path):
    with Recorder(api()) as server:
        people = {"林永禄": {"wecom": "LinYongLu", "dingtalk": "lyl01"}, "童聪良": {"dingtalk": "tcl02"}}
        bot = dingtalk_bot(tmp_path, api=server.url, people=people,
                           wecom={"corp_id": "ww1", "agent_id": 1000002, "secret": "s", "api_base": server.url})
        run_tick(bot, DAY)
        assert private_rows(bot) == {"私信:林永禄": ("wecom_app", ["3.3", "3.2"], ["林永禄"]),
                                     "私信:童聪良": ("dingtalk_otm", ["3.3"], ["童聪良"])}
        app = AppClient(bot.config, bot.clock)
        assert deliver(bot, OtoClient(bot.config, bot.clock), wecom_app=app.send) == 3
    sends = [r for r in server.requests if r.path in (SEND_PATH, "/cgi-bin/message/send")]
    assert [(r.path, r.json.get("touser") or r.json.get("userIds")) for r in sends] == [
        ("/cgi-bin/message/send", "LinYongLu"), (SEND_PATH, ["tcl02"])]


def test_without_the_wecom_app_a_wecom_id_alone_is_unreachable(tmp_path):
    bot = dingtalk_bot(tmp_path, people={"林永禄": {"wecom": "LinYongLu"}, "童聪良": {"dingtalk": "tcl02"}})
    assert [(p.chat, p.platform) for p in plan_day(bot, DAY)] == [("本地群", "local"), ("私信:童聪良", "dingtalk_otm")]


def test_a_closed_task_leaves_the_dingtalk_private_messages_still_queued(tmp_path):
    bot = dingtalk_bot(tmp_path)
    run_tick(bot, DAY)
    bot.say("完成 3.3", "徐锦清")  # the lead closes the whole task
    rows = private_rows(bot)
    assert "私信:童聪良" not in rows  # it named only 3.3: withdrawn
    assert rows["私信:林永禄"] == ("dingtalk_otm", ["3.2"], ["林永禄"])


def test_a_bare_done_in_the_robots_1to1_chat_closes_the_task_of_ones_private_reminder(tmp_path):
    """童聪良's private message of 11-27 names only 3.3; his "完成" in the robot's 1:1 chat
    (conversationType "1") means 3.3. 林永禄's names 3.3 and 3.2, so he is asked which."""
    from bot.platforms.dingtalk import DingTalkPlatform

    bot = dingtalk_bot(tmp_path)
    run_tick(bot, DAY)
    deliver(bot, FakeOto())  # the private rows are marked sent, as last_sent_refs reads them
    platform = DingTalkPlatform(bot)

    def says(staff: str, text: str):
        message = platform.message({"msgtype": "text", "text": {"content": text}, "msgId": f"{staff}-{text}",
                                    "senderStaffId": staff, "conversationType": "1", "conversationId": f"cid{staff}",
                                    "sessionWebhook": "http://127.0.0.1:9/x"})
        assert message.chat_id == f"single:cid{staff}"
        return bot.answer(message)

    assert says("tcl02", "完成").text == "3.3 童聪良已完成，进度 1/2，待：林永禄"
    assert says("lyl01", "完成").refs == ["3.2", "3.3"]


class FakeOto:
    """A DingTalk robot that takes every message (delivery itself is tested against the recorder above)."""

    async def send(self, push) -> SendResult:
        return SendResult(True)


def test_private_with_only_the_dingtalk_app_is_a_valid_config():
    config = parse_config({"reminders": {"private": True}, "dingtalk": {"app_key": "dingAPPKEY"}},
                          "config.toml", PROJECT_DIR, env={"DUBAN_DINGTALK_APP_SECRET": "S"})
    assert config.reminders.private and config.dingtalk.app_secret == "S"


def test_private_without_either_app_is_a_config_error_naming_both():
    with pytest.raises(ConfigError) as error:
        parse_config({"reminders": {"private": True}}, "config.toml", PROJECT_DIR, env={})
    assert str(error.value) == (
        "config.toml：reminders.private（私信提醒）需要企业微信自建应用"
        "（wecom.corp_id, wecom.agent_id, wecom.secret 是空的）"
        "或钉钉应用（dingtalk.app_key、dingtalk.app_secret）来发私信 / "
        "reminders.private needs the WeCom app (wecom.corp_id, wecom.agent_id, wecom.secret empty) or "
        "the DingTalk app (dingtalk.app_key, dingtalk.app_secret) to send private messages")


def test_serve_wires_the_dingtalk_sender(tmp_path):
    """The app's scheduler runs the start-up tick and delivers the private rows through DingTalk."""
    from bot.web import create_app

    with Recorder(api()) as server:
        bot = dingtalk_bot(tmp_path, api=server.url, dingtalk={"mode": "http", "app_key": "dingAPPKEY",
                                                                  "app_secret": "S", "api_base": server.url})

        async def run():
            app = create_app(bot, reminders=True)
            async with app.router.lifespan_context(app):
                pass
        asyncio.run(run())
    assert [r.path for r in server.requests] == [TOKEN_PATH, SEND_PATH, SEND_PATH]
    assert {row.chat: row.status for row in outbox.rows(bot.store)} == {
        "本地群": "sent", "私信:林永禄": "sent", "私信:童聪良": "sent"}
