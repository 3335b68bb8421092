"""DingTalk: signed HTTP callbacks over real HTTP, Stream mode through the SDK's handler, and
signed custom-robot pushes, each against a recording server (PROTOCOLS §3).

The signatures here are computed with hmac/hashlib in the test, from the documented
algorithm, not with the product's signer; bug05's vectors are precomputed by the case.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import sqlite3
from datetime import date, datetime, timedelta
from urllib.parse import unquote

import dingtalk_stream
import httpx
import pytest

from bot.clock import SHANGHAI, FrozenClock
from bot.platforms import Outgoing
from bot.platforms.dingtalk import DingTalkPlatform, sign, signed_url
from bot.platforms.dingtalk_stream import RobotMessageHandler
from tests.conftest import make_bot, refs
from tests.plans import case, tab_plan
from tests.recorder import Recorder

BUG05 = case("bug05")
BUG06 = case("bug06")
SECRET = "appSecretForTests_0123456789"
YAN = ["2.8", "3.1", "3.4", "3.6", "3.8"]


def documented_sign(secret: str, timestamp: str) -> str:
    """PROTOCOLS §3.1, written here independently: base64(HmacSHA256(secret, ts + "\\n" + secret))."""
    mac = hmac.new(secret.encode("utf-8"), (timestamp + "\n" + secret).encode("utf-8"), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode("ascii")


def robot_message(text: str, webhook: str, msg_id: str = "msgA1", **extra) -> dict:
    body = {"msgtype": "text", "text": {"content": text}, "msgId": msg_id, "senderNick": "严众能",
            "senderStaffId": "yzn001", "conversationType": "2", "conversationId": "cidGROUP",
            "conversationTitle": "科协工作群", "isInAtList": True, "createAt": 1604282400000,
            "sessionWebhook": webhook, "sessionWebhookExpiredTime": 4102444800000, "atUsers": []}
    body.update(extra)
    return body


def http_bot(tmp_path, on=date(2020, 11, 2), **config):
    config.setdefault("dingtalk", {}).update({"mode": "http", "app_key": "dingKEY", "app_secret": SECRET})
    config.setdefault("people", {"严众能": {"dingtalk": "yzn001"}})
    return make_bot(tmp_path, on=on, **config)


def post(base: str, body: dict | bytes, timestamp: str, signature: str | None) -> httpx.Response:
    headers = {"content-type": "application/json", "timestamp": timestamp}
    if signature is not None:
        headers["sign"] = signature
    content = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    return httpx.post(f"{base}/dingtalk/callback", content=content, headers=headers, timeout=10)


def now_ms(bot) -> str:
    return str(int(bot.clock.now().timestamp() * 1000))


def test_a_group_question_is_answered_through_the_session_webhook(tmp_path, serve):
    bot = http_bot(tmp_path)
    with Recorder() as session:
        base = serve(bot)
        ts = now_ms(bot)
        response = post(base, robot_message("@督办助手 严众能负责什么", session.url + "/robot/sendBySession?session=x"),
                        ts, documented_sign(SECRET, ts))
        assert response.status_code == 200
        [sent] = session.wait_for(1)
    assert sent.path == "/robot/sendBySession" and sent.query == {"session": ["x"]}
    assert sent.json["msgtype"] == "text"
    assert sent.json["at"] == {"atUserIds": ["yzn001"], "isAtAll": False}
    content = sent.json["text"]["content"]
    assert content.splitlines()[0] == "@yzn001"  # the @ is written in the text too
    assert refs(content) == YAN


def test_the_same_msg_id_twice_is_answered_once(tmp_path, serve):
    bot = http_bot(tmp_path)
    with Recorder() as session:
        base = serve(bot)
        body = robot_message(" 3.3", session.url + "/s")
        for _ in range(2):
            ts = now_ms(bot)
            assert post(base, body, ts, documented_sign(SECRET, ts)).status_code == 200
        assert len(session.wait_for(1)) == 1
    rows = list(bot.store.read("SELECT platform, msg_id, delivered_via FROM inbound"))
    assert rows == [{"platform": "dingtalk", "msg_id": "msgA1", "delivered_via": "session_webhook"}]


def test_a_quoted_message_is_passed_on(tmp_path):
    bot = http_bot(tmp_path)
    platform = DingTalkPlatform(bot)
    payload = robot_message("完成", "http://127.0.0.1:9/s")
    payload["text"].update(isReplyMsg=True, repliedMsg={
        "msgId": "q1", "msgType": "text", "content": {"text": "3.3 举办第13届市青少年科技创新大赛"}})
    message = platform.message(payload)
    assert (message.text, message.quoted_text, message.person) == (
        "完成", "3.3 举办第13届市青少年科技创新大赛", "严众能")


def _bug05_bot(tmp_path):
    plan = tab_plan(tmp_path / "p.txt", BUG05["input"]["baseline_table"])
    bot = make_bot(tmp_path, plan=plan, on=date(2026, 11, 29),
                   dingtalk={"mode": "http", "app_key": "dingKEY",
                             "app_secret": BUG05["input"]["config"]["dingtalk_app_secret"]},
                   people={name: ids for name, ids in BUG05["input"]["people_config"].items()})
    bot.clock = FrozenClock(datetime(2026, 11, 29, 10, 0, 0, 500000, tzinfo=SHANGHAI))
    assert int(bot.clock.now().timestamp() * 1000) == 1795917600500
    return bot


@pytest.mark.parametrize("request_", BUG05["input"]["requests"], ids=lambda r: r["name"])
def test_bug05_signature_and_time_window(tmp_path, serve, request_):
    bot = _bug05_bot(tmp_path)
    accepted = request_["name"] in ("valid", "skewed_59min")
    with Recorder() as session:
        base = serve(bot)
        body = dict(BUG05["input"]["body"], sessionWebhook=session.url + "/robot/sendBySession?session=demo",
                    msgId=f"msg-{request_['name']}")
        body["text"] = {"content": " 韩立新负责什么"}  # a question stands in for bug05's 完成 here
        headers = {"content-type": "application/json", **request_["headers"]}
        response = httpx.post(f"{base}/dingtalk/callback", headers=headers, timeout=10,
                              content=json.dumps(body, ensure_ascii=False).encode())
        if accepted:
            assert response.status_code == 200
            [sent] = session.wait_for(1)
            assert refs(sent.json["text"]["content"]) == ["1.1", "1.2", "1.3"]
            assert sent.json["at"]["atUserIds"] == ["demo_hanlixin"]
        else:
            assert 400 <= response.status_code < 500
            assert session.requests == []
            assert list(bot.store.read("SELECT * FROM inbound")) == []


@pytest.mark.parametrize("mutate, status", [
    (lambda body, ts: (b"{not json", ts), 400),
    (lambda body, ts: (json.dumps({"x": "y" * (1024 * 1024)}).encode(), ts), 413),
    (lambda body, ts: (json.dumps({"msgtype": "text"}).encode(), ts), 400),
])
def test_bad_bodies_are_4xx_and_write_nothing(tmp_path, serve, mutate, status):
    bot = http_bot(tmp_path)
    base = serve(bot)
    ts = now_ms(bot)
    content, ts = mutate(None, ts)
    response = post(base, content, ts, documented_sign(SECRET, ts))
    assert response.status_code == status
    assert list(bot.store.read("SELECT * FROM inbound")) == []


def test_wrong_or_missing_sign_and_stale_time_are_401(tmp_path, serve):
    bot = http_bot(tmp_path)
    base = serve(bot)
    body = robot_message("严众能负责什么", "http://127.0.0.1:9/s")
    ts = now_ms(bot)
    assert post(base, body, ts, documented_sign("another secret", ts)).status_code == 401
    assert post(base, body, ts, None).status_code == 401
    stale = str(int(ts) - 61 * 60 * 1000)
    assert post(base, body, stale, documented_sign(SECRET, stale)).status_code == 401
    assert list(bot.store.read("SELECT * FROM inbound")) == []


def test_pictures_empty_text_and_expired_webhooks(tmp_path, serve):
    bot = http_bot(tmp_path)
    with Recorder() as session:
        base = serve(bot)
        picture = robot_message("", session.url + "/s", msg_id="p1", msgtype="picture",
                                content={"downloadCode": "x"})
        empty = robot_message(" ", session.url + "/s", msg_id="e1")
        expired = robot_message("严众能负责什么", session.url + "/s", msg_id="x1",
                                sessionWebhookExpiredTime=int(now_ms(bot)) - 1)
        for body in (picture, empty, expired):
            ts = now_ms(bot)
            assert post(base, body, ts, documented_sign(SECRET, ts)).status_code == 200
        sent = session.wait_for(2)
    assert len(sent) == 2
    assert "只看得懂文字消息" in sent[0].json["text"]["content"]
    assert "我是督办助手" in sent[1].json["text"]["content"]
    assert [r["msg_id"] for r in bot.store.read("SELECT msg_id FROM inbound ORDER BY id")] == ["p1", "e1"]


def test_stream_mode_answers_through_the_sdk_handler(tmp_path):
    bot = make_bot(tmp_path, dingtalk={"mode": "stream", "app_key": "dingKEY", "app_secret": SECRET},
                   people={"严众能": {"dingtalk": "yzn001"}})
    with Recorder() as session:
        payload = robot_message("严众能负责什么", session.url + "/robot/sendBySession?session=s1", msg_id="st1",
                                robotCode="dingKEY", chatbotUserId="$:LWCP_v1:$bot")
        frame = {"specVersion": "1.0", "type": "CALLBACK",
                 "headers": {"appId": "a1", "connectionId": "c1", "contentType": "application/json",
                             "messageId": "m1", "time": "1604282400000", "topic": "/v1.0/im/bot/messages/get"},
                 "data": json.dumps(payload, ensure_ascii=False)}
        callback = dingtalk_stream.CallbackMessage.from_dict(frame)

        async def run():
            handler = RobotMessageHandler(DingTalkPlatform(bot))
            return await handler.process(callback)

        assert asyncio.run(run()) == (dingtalk_stream.AckMessage.STATUS_OK, "OK")
        [sent] = session.wait_for(1)
    assert refs(sent.json["text"]["content"]) == YAN
    assert sent.json["at"]["atUserIds"] == ["yzn001"]


# -- pushes ------------------------------------------------------------------------------------


def test_bug06_the_signing_helper_matches_the_known_vector():
    vector = BUG06["input"]["known_vector"]
    secret = BUG06["input"]["config"]["dingtalk_secret"]
    assert sign(secret, vector["timestamp"]) == vector["sign_raw"] == documented_sign(secret, vector["timestamp"])
    url = signed_url("http://127.0.0.1:18080/robot/send?access_token=demo_token", secret, int(vector["timestamp"]))
    assert url.endswith(f"&timestamp={vector['timestamp']}&sign={vector['sign_in_url']}")


def _push_bot(tmp_path, webhook: str, **chat):
    return make_bot(tmp_path, on=date(2026, 11, 29),
                    chats=[{"name": "科协工作群", "platform": "dingtalk", "webhook": webhook,
                            "secret": BUG06["input"]["config"]["dingtalk_secret"], **chat}],
                    people={"严众能": {"dingtalk": "yzn001"}, "林丽": {"mobile": "13800000000"}})


def test_bug06_every_push_is_signed_afresh(tmp_path):
    secret = BUG06["input"]["config"]["dingtalk_secret"]
    clock = FrozenClock(datetime(2026, 11, 29, 8, 0, 0, tzinfo=SHANGHAI))

    def mock(request):  # the fake DingTalk endpoint of bug06, with the test's clock
        timestamp, given = request.query["timestamp"][0], request.query["sign"][0]
        if given != documented_sign(secret, timestamp):
            return {"errcode": 310000, "errmsg": "sign not match"}
        if abs(clock.now().timestamp() * 1000 - int(timestamp)) > 3_600_000:
            return {"errcode": 310000, "errmsg": "invalid timestamp"}
        return {"errcode": 0, "errmsg": "ok"}

    with Recorder(mock) as robot:
        bot = _push_bot(tmp_path, robot.url + "/robot/send?access_token=demo_token")
        bot.clock = clock

        async def run():
            platform = DingTalkPlatform(bot)
            clock.advance(seconds=5)
            first = await platform.send(Outgoing("科协工作群", "第一条提醒"))
            clock.set(date(2026, 11, 29), datetime(2026, 11, 29, 10, 30).time())
            second = await platform.send(Outgoing("科协工作群", "第二条提醒"))
            return first, second

        first, second = asyncio.run(run())
    assert first.ok and second.ok
    assert len(robot.requests) == 2
    stamps = [r.query["timestamp"][0] for r in robot.requests]
    assert stamps == [str(int(datetime(2026, 11, 29, 8, 0, 5, tzinfo=SHANGHAI).timestamp() * 1000)),
                      str(int(datetime(2026, 11, 29, 10, 30, tzinfo=SHANGHAI).timestamp() * 1000))]
    for request in robot.requests:
        raw_sign = request.raw_query.split("sign=")[1]
        assert len(request.query["timestamp"][0]) == 13
        assert not any(ch in raw_sign for ch in "+/=")
        assert unquote(raw_sign) == documented_sign(secret, request.query["timestamp"][0])


def test_mentions_go_in_at_and_in_the_text_with_the_keyword(tmp_path):
    with Recorder() as robot:
        bot = _push_bot(tmp_path, robot.url + "/robot/send?access_token=t", keyword="督办")
        push = Outgoing("科协工作群", "3.3 举办第13届市青少年科技创新大赛\n3.4 举办第4届市青少年机器人竞赛",
                        refs=["3.3", "3.4"], mentions=["严众能", "林丽", "童聪良"], markdown=True, title="今日提醒")
        result = asyncio.run(DingTalkPlatform(bot).send(push))
    assert result.ok
    body = robot.requests[0].json
    assert body["msgtype"] == "markdown" and body["markdown"]["title"] == "今日提醒"
    assert body["at"] == {"atUserIds": ["yzn001"], "atMobiles": ["13800000000"], "isAtAll": False}
    text = body["markdown"]["text"]
    assert "@yzn001" in text and "@13800000000" in text and "督办" in text
    assert "3.3 举办第13届市青少年科技创新大赛  \n3.4 举办第4届市青少年机器人竞赛" in text


def test_send_too_fast_holds_the_robot_ten_minutes_and_loses_nothing(tmp_path):
    answers = iter([{"errcode": 130101, "errmsg": "send too fast"}])

    with Recorder(lambda request: next(answers, {"errcode": 0, "errmsg": "ok"})) as robot:
        bot = _push_bot(tmp_path, robot.url + "/robot/send?access_token=t")
        start = bot.clock.now()

        async def run():
            platform = DingTalkPlatform(bot)
            push = Outgoing("科协工作群", "提醒")
            refused = await platform.send(push)
            bot.clock.advance(minutes=5)
            held = await platform.send(push)
            bot.clock.advance(minutes=5, seconds=1)
            delivered = await platform.send(push)
            return refused, held, delivered

        refused, held, delivered = asyncio.run(run())
    assert (refused.ok, refused.code, refused.retryable) == (False, 130101, True)
    assert refused.retry_at == start + timedelta(minutes=10)
    assert (held.ok, held.code) == (False, 130101)
    assert delivered.ok
    assert len(robot.requests) == 2  # the held try never reached DingTalk


def test_a_sign_error_is_reported_not_retried(tmp_path, caplog):
    with Recorder(lambda request: {"errcode": 310000, "errmsg": "sign not match"}) as robot:
        bot = _push_bot(tmp_path, robot.url + "/robot/send?access_token=t")
        result = asyncio.run(DingTalkPlatform(bot).send(Outgoing("科协工作群", "提醒")))
    assert (result.ok, result.code, result.retryable) == (False, 310000, False)
    assert "310000" in caplog.text and "科协工作群" in caplog.text


def test_a_message_is_committed_before_its_200(tmp_path, serve):
    """DingTalk does not resend what it got 200 for: a kill right after the 200 must find the
    message and its note already in the store (a helper's kill -9 test lost 8 of 8 before)."""
    bot = http_bot(tmp_path)
    with Recorder() as session:
        base = serve(bot)
        ts = now_ms(bot)
        body = robot_message("进展 3.4 初赛报名已开始", session.url + "/s", msg_id="msgNOTE")
        assert post(base, body, ts, documented_sign(SECRET, ts)).status_code == 200
        conn = sqlite3.connect(f"{bot.store.path.as_uri()}?mode=ro", uri=True)  # as a restarted process sees it
        try:
            assert conn.execute("SELECT msg_id FROM inbound").fetchall() == [("msgNOTE",)]
            assert conn.execute("SELECT person, text FROM notes").fetchall() == [("严众能", "初赛报名已开始")]
        finally:
            conn.close()
        session.wait_for(1)
