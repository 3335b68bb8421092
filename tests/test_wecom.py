"""WeCom over real HTTP, driven by an independent peer (tests/wecom_peer.py, the spec written
with ``cryptography``): Tencent's own vectors, bug01, bug04, bug02, the AI bot and the app,
the retry rule, and group-robot pushes."""

from __future__ import annotations

import asyncio
import json
import re
import threading
from datetime import date, datetime, timezone
from urllib.parse import urlencode

import httpx
import pytest
import xmltodict

from bot.platforms import Outgoing
from bot.platforms.wecom_push import GroupRobot
from tests import wecom_peer as peer
from tests.conftest import make_bot, refs
from tests.plans import case, tab_plan
from tests.recorder import Recorder

YAN = ["2.8", "3.1", "3.4", "3.6", "3.8"]
PEER_TIME = "1795917600"  # the peer's default timestamp: the bots here sign and check at that moment
TOKEN, KEY, CORP = "TaskBotToken2026", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", "ww0000demo0000corp"
# Tencent's published vectors (PROTOCOLS §1.3, weworkapi_python callback/Sample.py).
T_TOKEN, T_KEY, T_CORP = "hJqcu3uJ9Tn2gXPmxx2w9kkCkCE2EPYo", "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt", \
    "ww1436e0e65a779aee"
T_ECHO = "fsi1xnbH4yQh0+PJxcOdhhK6TDXkjMyhEPA7xB2TGz6b+g7xyAbEkRxN/3cNXW9qdqjnoVzEtpbhnFyq6SVHyA=="
T_ENCRYPT = (
    "Kl7kjoSf6DMD1zh7rtrHjFaDapSCkaOnwu3bqLc5tAybhhMl9pFeK8NslNPVdMwmBQTNoW4mY7AIjeLvEl3NyeTkAgGzBhzTtRLN"
    "shw2AEew+kkYcD+Fq72Kt00fT0WnN87hGrW8SqGc+NcT3mu87Ha3dz1pSDi6GaUA6A0sqfde0VJPQbZ9U+3JWcoD4Z5jaU0y9GSh"
    "010wsHF8KZD24YhmZH4ch4Ka7ilEbjbfvhKkNL65HHL0J6EYJIZUC2pFrdkJ7MhmEbU2qARR4iQHE7wy24qy0cRX3Mfp6iELcDNf"
    "SsPGjUQVDGxQDCWjayJOpcwocugux082f49HKYg84EpHSGXAyh+/oxwaWbvL6aSDPOYuPDGOCI8jmnKiypE+"
)


def signed_at(timestamp: str) -> datetime:
    """The moment of a peer's ``timestamp`` (seconds): the bot's signature clock in these tests."""
    return datetime.fromtimestamp(int(timestamp), timezone.utc)


def wecom_bot(tmp_path, token=TOKEN, key=KEY, corp=CORP, plan=None, on=date(2020, 11, 2), instant=PEER_TIME,
              **config):
    config.setdefault("people", {"严众能": {"wecom": "YanZhongNeng"}})
    return make_bot(tmp_path, on=on, plan=plan, instant=signed_at(instant), wecom={
        "corp_id": corp, "token": token, "encoding_aes_key": key, "agent_id": 1000002, "secret": "s",
        "aibot": {"token": token, "encoding_aes_key": key}, **config.pop("wecom", {})}, **config)


def app_reply(response: httpx.Response, key: str = KEY) -> dict:
    envelope = xmltodict.parse(response.text)["xml"]
    assert envelope["MsgSignature"] == peer.signature(TOKEN, envelope["TimeStamp"], envelope["Nonce"],
                                                      envelope["Encrypt"])
    plain, receive_id = peer.decrypt(envelope["Encrypt"], key)
    assert receive_id == CORP
    return xmltodict.parse(plain)["xml"]


def aibot_reply(response: httpx.Response) -> dict:
    envelope = response.json()
    assert envelope["msgsignature"] == peer.signature(TOKEN, envelope["timestamp"], envelope["nonce"],
                                                      envelope["encrypt"])
    plain, receive_id = peer.decrypt(envelope["encrypt"], KEY)
    assert receive_id == ""
    return json.loads(plain)


def test_tencents_url_verification_vector(tmp_path, serve):
    base = serve(wecom_bot(tmp_path, T_TOKEN, T_KEY, T_CORP, instant="1476416373"))
    query = urlencode({"msg_signature": "012bc692d0a58dd4b10f8dfe5c4ac00ae211ebeb", "timestamp": "1476416373",
                       "nonce": "47744683", "echostr": T_ECHO})
    response = httpx.get(f"{base}/wecom/app?{query}", timeout=10)
    assert (response.status_code, response.content) == (200, b"1288432023552776189")


def test_tencents_message_vector_is_read_and_answered(tmp_path, serve):
    assert peer.signature(T_TOKEN, "1476422779", "1597212914", T_ENCRYPT) == "0c3914025cb4b4d68103f6bfc8db550f79dcf48e"
    plain, receive_id = peer.decrypt(T_ENCRYPT, T_KEY)
    assert receive_id == T_CORP and "<FromUserName>ChenJiaShun</FromUserName>" in plain
    assert "<Content>你好</Content><MsgId>1456453720</MsgId>" in plain
    base = serve(wecom_bot(tmp_path, T_TOKEN, T_KEY, T_CORP, instant="1476422779"))
    body = f"<xml><ToUserName><![CDATA[{T_CORP}]]></ToUserName><Encrypt><![CDATA[{T_ENCRYPT}]]></Encrypt>" \
           "<AgentID><![CDATA[1000002]]></AgentID></xml>"
    query = {"msg_signature": "0c3914025cb4b4d68103f6bfc8db550f79dcf48e", "timestamp": "1476422779",
             "nonce": "1597212914"}
    response = httpx.post(f"{base}/wecom/app", params=query, content=body.encode(), timeout=10)
    envelope = xmltodict.parse(response.text)["xml"]
    reply = xmltodict.parse(peer.decrypt(envelope["Encrypt"], T_KEY)[0])["xml"]
    assert (reply["ToUserName"], reply["MsgType"]) == ("ChenJiaShun", "text")
    assert reply["Content"].startswith("我是督办助手")


BUG01 = case("bug01")


@pytest.mark.parametrize("request_", BUG01["input"]["requests"], ids=lambda r: r["name"])
def test_bug01_url_verification(tmp_path, serve, caplog, request_):
    settings = BUG01["input"]["config"]
    base = serve(wecom_bot(tmp_path, settings["wecom_token"], settings["wecom_encoding_aes_key"],
                           settings["wecom_corp_id"]))
    response = httpx.get(f"{base}{request_['path']}?{request_['query_string']}", timeout=10)
    if request_["name"] == "valid":
        assert (response.status_code, response.content) == (200, b"6128457390214487")
        assert "json" not in response.headers["content-type"]
    else:
        assert 400 <= response.status_code < 500 and b"Traceback" not in response.content
    if request_["name"] == "wrong_corp":
        assert response.status_code == 403
        assert len([r for r in caplog.records if "CorpID/receiveid mismatch" in r.getMessage()]) == 1


def test_an_aibot_group_question_gets_a_passive_stream_reply(tmp_path, serve):
    bot = wecom_bot(tmp_path)
    base = serve(bot)
    message = {"msgid": "aibot-1", "aibotid": "AIBOT", "chatid": "wrkGROUP", "chattype": "group",
               "from": {"userid": "YanZhongNeng"}, "response_url": "http://127.0.0.1:9/none", "msgtype": "text",
               "text": {"content": "@督办助手 严众能负责什么"}}
    query, body = peer.aibot_post(message, TOKEN, KEY)
    response = httpx.post(f"{base}/wecom/aibot", params=query, content=body, timeout=10)
    stream = aibot_reply(response)
    assert stream["msgtype"] == "stream" and stream["stream"]["finish"] is True
    assert stream["stream"]["id"] == "aibot-1"
    assert refs(stream["stream"]["content"]) == YAN
    xml = ("<xml><ToUserName><![CDATA[ww0000demo0000corp]]></ToUserName><FromUserName><![CDATA[YanZhongNeng]]>"
           "</FromUserName><CreateTime>1795917600</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA["
           "@督办助手 严众能负责什么]]></Content><MsgId>7459000000000000001</MsgId><AgentID>1000002</AgentID></xml>")
    query, body = peer.app_post(xml, TOKEN, KEY, CORP)
    reply = app_reply(httpx.post(f"{base}/wecom/app", params=query, content=body, timeout=10))
    assert reply["Content"] == stream["stream"]["content"]


def test_a_quote_is_the_quoted_text(tmp_path):
    from bot.platforms.wecom import aibot_message

    bot = wecom_bot(tmp_path)
    message = aibot_message(bot, {
        "msgid": "q1", "chatid": "wrkGROUP", "chattype": "group", "from": {"userid": "YanZhongNeng"},
        "msgtype": "text", "text": {"content": "@督办助手 完成"},
        "quote": {"msgtype": "text", "text": {"content": "3.4 举办第4届市青少年机器人竞赛"}}})
    assert (message.person, message.quoted_text, message.chat_id) == ("严众能", "3.4 举办第4届市青少年机器人竞赛",
                                                                     "wrkGROUP")


@pytest.mark.parametrize("mutate, status", [
    (lambda q, b: ({**q, "msg_signature": "0" * 40}, b), 403),
    (lambda q, b: ({k: v for k, v in q.items() if k != "msg_signature"}, b), 403),
    (lambda q, b: (q, b"not json"), 400),
    (lambda q, b: (q, b"x" * (1024 * 1024 + 1)), 413),
])
def test_bad_aibot_callbacks_are_4xx_and_write_nothing(tmp_path, serve, mutate, status):
    bot = wecom_bot(tmp_path)
    base = serve(bot)
    query, body = peer.aibot_post({"msgid": "m", "msgtype": "text", "from": {"userid": "u"},
                                   "text": {"content": "进度"}}, TOKEN, KEY)
    query, body = mutate(query, body)
    assert httpx.post(f"{base}/wecom/aibot", params=query, content=body, timeout=10).status_code == status
    assert list(bot.store.read("SELECT * FROM inbound")) == []


def test_a_ciphertext_that_is_not_base64_is_400(tmp_path, serve):
    base = serve(wecom_bot(tmp_path))
    sealed = "!!!not-base64!!!"
    query = {"msg_signature": peer.signature(TOKEN, PEER_TIME, "n", sealed), "timestamp": PEER_TIME, "nonce": "n"}
    response = httpx.post(f"{base}/wecom/aibot", params=query, content=json.dumps({"encrypt": sealed}).encode(),
                          timeout=10)
    assert response.status_code == 400


BUG04 = case("bug04")


def _bug04_bot(tmp_path):
    plan = tab_plan(tmp_path / "p.txt", BUG04["input"]["baseline_table"])
    return wecom_bot(tmp_path, plan=plan, on=date(2027, 3, 1),
                     people={name: ids for name, ids in BUG04["input"]["people_config"].items()})


def test_bug04_odd_messages_and_events_are_200(tmp_path, serve):
    bot = _bug04_bot(tmp_path)
    base = serve(bot)
    answers = {}
    for item in BUG04["input"]["items"]:
        xml = item["decrypted_xml"].replace("完成 3", "完成 1.3").replace("👍 3", "👍 1.3")
        for _ in range(3 if item["n"] == 6 else 1):
            query, body = peer.app_post(xml, TOKEN, KEY, CORP)
            response = httpx.post(f"{base}/wecom/app", params=query, content=body, timeout=10)
            assert response.status_code == 200, item["n"]
        answers[item["n"]] = app_reply(response)["Content"] if response.content else ""
    assert answers[1].startswith("本月没有到期的")  # "本月到期\u0002": the control character dropped
    assert answers[2].startswith("1.3 已全部完成，办结。")  # "完成 1.3\u0000"
    assert answers[3].startswith("1.3 已经办结了")  # "完成👍 1.3": the same task, already closed
    assert len(answers[4].encode()) <= 2048 and answers[4].startswith("没看懂“查查查")  # 3000 characters
    assert answers[5].startswith("我是督办助手")
    assert answers[6] == answers[7] == ""
    assert answers[8] == "我暂时只看得懂文字消息。可以发“帮助”看用法，如“张三负责什么”“本月到期”。"
    closes = list(bot.store.read("SELECT actor FROM events WHERE kind LIKE '%.completed'"))
    assert closes == [{"actor": "韩立新"}]


def _gettoken_and_record(request):
    if request.path == "/cgi-bin/gettoken":
        return {"errcode": 0, "errmsg": "ok", "access_token": "TOKEN1", "expires_in": 7200}
    return {"errcode": 0, "errmsg": "ok"}


def test_the_retry_rule_a_slow_answer_goes_to_the_retry(tmp_path, serve):
    with Recorder(_gettoken_and_record) as api:
        bot = wecom_bot(tmp_path, wecom={"reply_deadline_s": 0.3, "api_base": api.url})
        released, calls = threading.Event(), []
        answer = bot.answer

        def slow(message):
            calls.append(message.msg_id)
            released.wait(10)
            return answer(message)
        bot.answer = slow
        base = serve(bot)
        xml = ("<xml><ToUserName><![CDATA[ww0000demo0000corp]]></ToUserName><FromUserName><![CDATA[YanZhongNeng]]>"
               "</FromUserName><CreateTime>1795917600</CreateTime><MsgType><![CDATA[text]]></MsgType><Content>"
               "<![CDATA[严众能负责什么]]></Content><MsgId>7459000000000000777</MsgId><AgentID>1000002</AgentID></xml>")
        query, body = peer.app_post(xml, TOKEN, KEY, CORP)
        first = httpx.post(f"{base}/wecom/app", params=query, content=body, timeout=10)
        assert (first.status_code, first.content) == (200, b"")  # the deadline passed: empty, work goes on
        deliveries = serve.apps[-1].state.wecom.deliveries
        deliveries.on_wait = lambda key: released.set()  # the answer is ready while the retry waits
        retry = httpx.post(f"{base}/wecom/app", params=query, content=body, timeout=10)
        assert refs(app_reply(retry)["Content"]) == YAN
        late = httpx.post(f"{base}/wecom/app", params=query, content=body, timeout=10)
        assert late.content == b""
    assert calls == ["7459000000000000777"]  # answered once
    assert api.requests == []  # nothing pushed: the retry carried the answer
    rows = list(bot.store.read("SELECT msg_id, delivered_via FROM inbound"))
    assert rows == [{"msg_id": "7459000000000000777", "delivered_via": "passive"}]


BUG02 = case("bug02")


def test_bug02_a_slow_close_is_applied_once_and_confirmed_once(tmp_path, serve):
    with Recorder(_gettoken_and_record) as api:
        plan = tab_plan(tmp_path / "p.txt", BUG02["input"]["baseline_table"])
        bot = wecom_bot(tmp_path, plan=plan, on=date(2027, 3, 1), wecom={"reply_deadline_s": 0.2, "api_base": api.url},
                        people={name: ids for name, ids in BUG02["input"]["people_config"].items()})
        released = threading.Event()
        answer = bot.answer

        def slow(message):
            released.wait(10)
            return answer(message)
        bot.answer = slow
        base = serve(bot)
        xml = BUG02["input"]["decrypted_xml"].replace("完成 3", "完成 1.3")
        query, body = peer.app_post(xml, TOKEN, KEY, CORP)
        responses = [httpx.post(f"{base}/wecom/app", params=query, content=body, timeout=10) for _ in range(2)]
        released.set()
        sent = api.wait_for(2)  # gettoken, then message/send: the late answer goes by the API
        responses += [httpx.post(f"{base}/wecom/app", params=query, content=body, timeout=10) for _ in range(2)]
    assert [(r.status_code, r.content) for r in responses] == [(200, b"")] * 4
    [send] = [r for r in sent if r.path == "/cgi-bin/message/send"]
    assert send.query["access_token"] == ["TOKEN1"]
    assert send.json["touser"] == "HanLixin" and send.json["text"]["content"].startswith("1.3 已全部完成，办结。")
    assert len(api.requests) == 2
    closes = list(bot.store.read("SELECT actor FROM events WHERE kind LIKE '%.completed'"))
    assert closes == [{"actor": "韩立新"}]


def test_group_robot_pushes(tmp_path):
    answers = iter([{"errcode": 45009, "errmsg": "api freq out of limit"}, {"errcode": 0, "errmsg": "ok"},
                    {"errcode": 93000, "errmsg": "invalid webhook url"}, {"errcode": 0, "errmsg": "ok"}])
    with Recorder(lambda request: next(answers)) as robot:
        bot = make_bot(tmp_path, chats=[{"name": "群", "platform": "wecom", "webhook": robot.url + "/send?key=k"}],
                       people={"林永禄": {"wecom": "LinYongLu"}})

        async def run():
            sender = GroupRobot(bot.config, bot.clock)
            push = Outgoing("群", "3.3 举办第13届市青少年科技创新大赛", ["3.3"], ["林永禄", "童聪良"], markdown=True)
            too_long = Outgoing("群", "查" * 1400, markdown=True)
            return [await sender.send(push), await sender.send(push), await sender.send(push),
                    await sender.send(too_long)]
        limited, ok, bad_key, oversize = asyncio.run(run())
    assert (limited.ok, limited.code, limited.retryable) == (False, 45009, True)
    assert ok.ok and (bad_key.ok, bad_key.code, bad_key.retryable) == (False, 93000, False)
    assert oversize.ok and len(robot.requests) == 4  # over 4096 bytes: cut and sent, not refused whole
    cut = robot.requests[3].json["markdown"]["content"]
    assert (len(cut.encode()), cut.splitlines()[0]) == (4096, "查" * 1333)  # 3999 bytes, the tail 96 and "\n"
    assert cut.splitlines()[1] == "……还有 1 条没有显示，请缩小范围再问（如加上月份、姓名或编号）。"
    body = robot.requests[1].json
    assert body == {"msgtype": "markdown", "markdown": {"content": "3.3 举办第13届市青少年科技创新大赛\n<@LinYongLu>"}}
    assert re.fullmatch(r"/send", robot.requests[1].path)


BUG07 = case("bug07")


@pytest.mark.parametrize("text", BUG07["input"]["messages"][:6])
def test_bug07_each_form_closes_task_3_once_through_the_aibot(tmp_path, serve, text):
    plan = tab_plan(tmp_path / "p.txt", BUG07["input"]["baseline_table"])
    bot = wecom_bot(tmp_path, plan=plan, on=date(2027, 3, 1), bot={"name": BUG07["input"]["bot_display_name"]},
                    people={name: ids for name, ids in BUG07["input"]["people_config"].items()})
    base = serve(bot)
    message = {"msgid": "b7", "chatid": "wrkGROUP", "chattype": "group", "from": {"userid": "HanLixin"},
               "msgtype": "text", "text": {"content": text.replace("完成 3", "完成 1.3")}}
    query, body = peer.aibot_post(message, TOKEN, KEY)
    first = httpx.post(f"{base}/wecom/aibot", params=query, content=body, timeout=10)
    again = httpx.post(f"{base}/wecom/aibot", params=query, content=body, timeout=10)
    assert aibot_reply(first)["stream"]["content"].startswith("1.3 已全部完成，办结。")
    assert again.content == b""  # the answer went out: the redelivery gets an empty acknowledgement
    assert list(bot.store.read("SELECT actor, platform FROM events WHERE kind LIKE '%.completed'")) == [
        {"actor": "韩立新", "platform": "wecom"}]


def test_an_unmapped_wecom_user_binds_and_then_completes(tmp_path, serve):
    bot = wecom_bot(tmp_path, on=date(2020, 7, 2), bot={"admins": ["朱明生"]}, people={"朱明生": {"wecom": "ZhuMS"}})
    base = serve(bot)

    def say(text, user, msg_id):
        message = {"msgid": msg_id, "chatid": "wrkGROUP", "chattype": "group", "from": {"userid": user},
                   "msgtype": "text", "text": {"content": f"@督办助手 {text}"}}
        query, body = peer.aibot_post(message, TOKEN, KEY)
        return aibot_reply(httpx.post(f"{base}/wecom/aibot", params=query, content=body, timeout=10))["stream"][
            "content"]

    assert say("我是严众能", "NewUser", "w1").startswith("已记下：你是严众能。")
    assert say("确认 严众能", "ZhuMS", "w2") == "已确认：账号 NewUser 是严众能，之后从这个账号报完成都算严众能的。"
    assert say("完成 3.4", "NewUser", "w3") == "3.4 严众能已完成，进度 1/2，待：林永禄"


def test_a_group_not_in_config_is_logged_once_with_its_chat_id(tmp_path, caplog):
    """The admin learns the chat_id to write under [[chats]] from the log (WeCom shows it nowhere)."""
    import logging

    from bot.platforms.wecom import aibot_message

    bot = wecom_bot(tmp_path)
    with caplog.at_level(logging.INFO, logger="duban"):
        for n in range(2):
            bot.answer(aibot_message(bot, {"msgid": f"g{n}", "chatid": "wrkNEWGROUP", "chattype": "group",
                                           "from": {"userid": "YanZhongNeng"}, "msgtype": "text",
                                           "text": {"content": "@督办助手 进度"}}))
    lines = [r.getMessage() for r in caplog.records if "wrkNEWGROUP" in r.getMessage()]
    assert lines == ["wecom chat_id wrkNEWGROUP is not under [[chats]] in config; add it to link that group to its "
                     "reminders (message from 严众能)"]


@pytest.mark.parametrize("fields", [
    {"text": "严众能负责什么", "from": {"userid": "YanZhongNeng"}},
    {"text": {"content": None}, "from": "YanZhongNeng"},
    {"msgtype": "mixed", "mixed": {"msg_item": ["x", 1, {"msgtype": "text", "text": "y"}]}, "quote": "x"},
])
def test_a_well_signed_body_of_the_wrong_shape_gets_the_usage_not_a_500(tmp_path, serve, fields):
    bot = wecom_bot(tmp_path)
    base = serve(bot)
    message = {"msgid": "odd-1", "chatid": "wrkGROUP", "chattype": "group", "msgtype": "text", **fields}
    query, body = peer.aibot_post(message, TOKEN, KEY)
    response = httpx.post(f"{base}/wecom/aibot", params=query, content=body, timeout=10)
    assert response.status_code == 200
    assert aibot_reply(response)["stream"]["content"].startswith("我是督办助手，帮大家盯")


def test_an_answer_that_fails_is_an_empty_200_not_a_500(tmp_path, serve):
    bot = wecom_bot(tmp_path)

    def broken(message):
        raise RuntimeError("a bug")
    bot.answer = broken
    base = serve(bot)
    query, body = peer.aibot_post({"msgid": "bug-1", "msgtype": "text", "from": {"userid": "YanZhongNeng"},
                                   "text": {"content": "进度"}}, TOKEN, KEY)
    response = httpx.post(f"{base}/wecom/aibot", params=query, content=body, timeout=10)
    assert (response.status_code, response.content) == (200, b"")


def test_an_app_reply_stays_well_formed_xml_when_a_stored_text_has_control_characters(tmp_path, serve):
    bot = wecom_bot(tmp_path)
    with bot.store.write() as db:  # as a plan imported before control characters were cleaned at import
        db.execute("UPDATE tasks SET content = '举办第13届\x1b市青少年科技创新大赛\x0b。' WHERE ref = '3.3'")
    base = serve(bot)
    xml = ("<xml><ToUserName><![CDATA[ww0000demo0000corp]]></ToUserName><FromUserName><![CDATA[YanZhongNeng]]>"
           "</FromUserName><CreateTime>1795917600</CreateTime><MsgType><![CDATA[text]]></MsgType><Content>"
           "<![CDATA[3.3]]></Content><MsgId>7459000000000000999</MsgId><AgentID>1000002</AgentID></xml>")
    query, body = peer.app_post(xml, TOKEN, KEY, CORP)
    reply = app_reply(httpx.post(f"{base}/wecom/app", params=query, content=body, timeout=10))
    assert reply["Content"].startswith("【3.3】举办第13届市青少年科技创新大赛\n。")  # ESC dropped, VT a line break


def test_an_app_reply_keeps_a_cdata_end_written_in_the_question(tmp_path, serve):
    bot = wecom_bot(tmp_path)
    base = serve(bot)
    xml = ("<xml><ToUserName><![CDATA[ww0000demo0000corp]]></ToUserName><FromUserName><![CDATA[YanZhongNeng]]>"
           "</FromUserName><CreateTime>1795917600</CreateTime><MsgType><![CDATA[text]]></MsgType><Content>"
           "<![CDATA[a]]]]><![CDATA[>b]]></Content><MsgId>7459000000000000998</MsgId><AgentID>1000002</AgentID></xml>")
    query, body = peer.app_post(xml, TOKEN, KEY, CORP)
    reply = app_reply(httpx.post(f"{base}/wecom/app", params=query, content=body, timeout=10))
    assert "a]]>b" in reply["Content"]  # the asker's words come back whole, in well-formed XML
