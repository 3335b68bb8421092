"""Every callback answered, none with a 5xx (issue 13 "Every callback answered"): the shapes that
gave 500s or silent drops, each as a test; the AES length field; WeCom's timestamp window;
DingTalk answered off the request; the server's read timeout and connection cap. Over real
HTTP to the served app, from an independent WeCom peer (tests/wecom_peer.py)."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import os
import socket
import struct
import threading

import httpx
import pytest
import xmltodict
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from bot.http_server import GuardedHttp
from bot.platforms.dingtalk import DingTalkPlatform
from bot.platforms.wecom import fallback_id
from bot.store import inbound
from tests import wecom_peer as peer
from tests.test_dingtalk import documented_sign, http_bot, now_ms, robot_message
from tests.test_wecom import CORP, KEY, PEER_TIME, TOKEN, aibot_reply, app_reply, wecom_bot

YAN = ["2.8", "3.1", "3.4", "3.6", "3.8"]


def no_tracebacks(caplog) -> list[str]:
    """The log records that carry a traceback or are errors (there should be none)."""
    return [r.getMessage() for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


def post_app(base: str, xml: str, timestamp: str = PEER_TIME) -> httpx.Response:
    query, body = peer.app_post(xml, TOKEN, KEY, CORP, timestamp=timestamp)
    return httpx.post(f"{base}/wecom/app", params=query, content=body, timeout=10)


def app_xml(msg_id: str, create_time: str = PEER_TIME, user: str = "YanZhongNeng", text: str = "严众能负责什么"
            ) -> str:
    return (f"<xml><ToUserName><![CDATA[{CORP}]]></ToUserName><FromUserName><![CDATA[{user}]]></FromUserName>"
            f"<CreateTime>{create_time}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{text}]]></Content><MsgId>{msg_id}</MsgId><AgentID>1000002</AgentID></xml>")


@pytest.mark.parametrize(("msg_id", "create_time"), [("not-a-number", "1795917600"), ("7459000000000000101", "soon"),
                                                      ("", "yesterday")])
def test_a_signed_app_message_with_a_msgid_or_createtime_that_is_not_a_number_is_answered(
        tmp_path, serve, caplog, msg_id, create_time):
    bot = wecom_bot(tmp_path)
    base = serve(bot)
    response = post_app(base, app_xml(msg_id, create_time))
    assert response.status_code == 200
    assert [line.split(" ")[0] for line in app_reply(response)["Content"].splitlines()[1:]] == YAN
    [row] = bot.store.read("SELECT msg_id FROM inbound")
    assert row["msg_id"] == (msg_id or fallback_id("app:YanZhongNeng", "YanZhongNeng", "text", "严众能负责什么",
                                                   create_time))
    assert no_tracebacks(caplog) == []


def test_app_messages_without_msgid_or_createtime_are_told_apart_and_a_retry_is_still_one(tmp_path, serve):
    bot = wecom_bot(tmp_path)
    base = serve(bot)

    def bare(text: str) -> str:  # neither MsgId nor CreateTime
        return (f"<xml><ToUserName><![CDATA[{CORP}]]></ToUserName><FromUserName><![CDATA[YanZhongNeng]]>"
                f"</FromUserName><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{text}]]></Content>"
                "<AgentID>1000002</AgentID></xml>")
    first = post_app(base, bare("严众能负责什么"))
    second = post_app(base, bare("3.3"))
    retry = post_app(base, bare("严众能负责什么"))  # WeCom's retry of the first: the same XML again
    assert [line.split(" ")[0] for line in app_reply(first)["Content"].splitlines()[1:]] == YAN
    assert app_reply(second)["Content"].startswith("【3.3】举办第13届市青少年科技创新大赛。")
    assert (retry.status_code, retry.content) == (200, b"")  # answered once already: an empty acknowledgement
    ids = [row["msg_id"] for row in bot.store.read("SELECT msg_id FROM inbound ORDER BY rowid")]
    chat, user = "app:YanZhongNeng", "YanZhongNeng"
    assert ids == [fallback_id(chat, user, "text", text, "") for text in ("严众能负责什么", "3.3")]
    assert ids[0] != ids[1] and ids[0].startswith(":") and len(ids[0]) == 25


def test_json_nested_a_thousand_deep_in_a_signed_aibot_callback_is_400(tmp_path, serve, caplog):
    bot = wecom_bot(tmp_path)
    base = serve(bot)
    for plain in ("[" * 1000 + "]" * 1000, '{"msgid": "d", "msgtype": "text", "text": ' + '{"a":' * 1200 + "1"
                  + "}" * 1201):
        sealed = peer.encrypt(plain, KEY, "")
        query = {"msg_signature": peer.signature(TOKEN, PEER_TIME, "n", sealed), "timestamp": PEER_TIME, "nonce": "n"}
        response = httpx.post(f"{base}/wecom/aibot", params=query, content=json.dumps({"encrypt": sealed}), timeout=10)
        assert response.status_code == 400
    assert list(bot.store.read("SELECT * FROM inbound")) == [] and no_tracebacks(caplog) == []


def test_a_lone_surrogate_in_a_sender_id_is_cleaned_and_answered(tmp_path, serve, caplog):
    bot = wecom_bot(tmp_path)
    base = serve(bot)
    message = {"msgid": "s1", "chatid": "wr\udfffGROUP", "chattype": "group", "from": {"userid": "Yan\ud800ZhongNeng"},
               "msgtype": "text", "text": {"content": "严众能负责什么\udc00"}}
    sealed = peer.encrypt(json.dumps(message), KEY, "")  # ensure_ascii: the surrogates travel as \\ud800
    query = {"msg_signature": peer.signature(TOKEN, PEER_TIME, "n", sealed), "timestamp": PEER_TIME, "nonce": "n"}
    response = httpx.post(f"{base}/wecom/aibot", params=query, content=json.dumps({"encrypt": sealed}), timeout=10)
    assert response.status_code == 200
    assert [line.split(" ")[0] for line in aibot_reply(response)["stream"]["content"].splitlines()[1:]] == YAN
    [row] = bot.store.read("SELECT chat_id, sender_id FROM inbound")
    assert row == {"chat_id": "wrGROUP", "sender_id": "YanZhongNeng"}  # and so he is 严众能
    assert no_tracebacks(caplog) == []


@pytest.mark.parametrize("chunks", [b"zz\r\nhello\r\n0\r\n\r\n", b"5\r\nhelloXX\r\n0\r\n\r\n",
                                    b"fffffffffffffffffff\r\nab\r\n"])
def test_a_bad_chunked_body_is_400_without_a_traceback(tmp_path, serve, caplog, chunks):
    base = serve(wecom_bot(tmp_path, dingtalk={"mode": "http", "app_key": "k", "app_secret": "s"}))
    host, port = base.removeprefix("http://").split(":")
    for path in ("/wecom/aibot", "/wecom/app", "/dingtalk/callback", "/api/messages"):
        with socket.create_connection((host, int(port)), timeout=10) as connection:
            connection.sendall(f"POST {path}?msg_signature=a&timestamp={PEER_TIME}&nonce=n HTTP/1.1\r\nHost: x\r\n"
                               "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n".encode() + chunks)
            assert connection.recv(100).split(b"\r\n")[0] == b"HTTP/1.1 400 Bad Request", path
    assert no_tracebacks(caplog) == []


def _sealed(raw: bytes) -> str:
    key = base64.b64decode(KEY + "=")
    pad = 32 - len(raw) % 32
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(raw + bytes([pad]) * pad) + encryptor.finalize()).decode()


@pytest.mark.parametrize(("overrun", "status"), [(1, 400), (10_000, 400), (2**32 - 1, None), (-4, 403)])
def test_an_aes_payload_whose_length_field_overruns_it_is_refused(tmp_path, serve, caplog, overrun, status):
    """A length field beyond the bytes that follow it is 400 (read leniently, it would take the
    padding, or nothing, as the message); one short of them leaves a receiveid that is not "": 403."""
    bot = wecom_bot(tmp_path)
    base = serve(bot)
    body = json.dumps({"msgid": "L1", "msgtype": "text", "from": {"userid": "YanZhongNeng"},
                       "text": {"content": "严众能负责什么"}}).encode()
    length = overrun if status is None else len(body) + overrun
    sealed = _sealed(os.urandom(16) + struct.pack(">I", length) + body)
    query = {"msg_signature": peer.signature(TOKEN, PEER_TIME, "n", sealed), "timestamp": PEER_TIME, "nonce": "n"}
    response = httpx.post(f"{base}/wecom/aibot", params=query, content=json.dumps({"encrypt": sealed}), timeout=10)
    assert response.status_code == (status or 400)
    assert list(bot.store.read("SELECT * FROM inbound")) == [] and no_tracebacks(caplog) == []


@pytest.mark.parametrize(("offset_s", "status"), [(-3601, 403), (-3599, 200), (3599, 200), (3601, 403)])
def test_wecom_timestamps_more_than_an_hour_off_are_refused(tmp_path, serve, offset_s, status):
    bot = wecom_bot(tmp_path)
    base = serve(bot)
    assert post_app(base, app_xml("t1"), timestamp=str(int(PEER_TIME) + offset_s)).status_code == status
    assert len(list(bot.store.read("SELECT * FROM inbound"))) == (status == 200)


def test_a_dingtalk_callback_is_acknowledged_at_once_while_its_session_webhook_hangs(tmp_path, serve, monkeypatch):
    """The sessionWebhook accepts connections and never answers: the callback's 200 does not wait
    for it; the answer is posted with its own time limit, tried once more, then recorded as
    failed (a redelivery of the message posts the stored answer)."""
    monkeypatch.setattr("bot.platforms.dingtalk.REPLY_TIMEOUT_S", 0.3)
    monkeypatch.setattr("bot.platforms.dingtalk.REPLY_RETRY_AFTER_S", 0)
    silent = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    both_came = threading.Event()

    def accept() -> None:
        for _ in range(2):
            accepted.append(silent.accept()[0])
        both_came.set()

    threading.Thread(target=accept, daemon=True).start()
    bot = http_bot(tmp_path)
    marked, mark = threading.Event(), inbound.mark_delivered

    def noted(store, key, via, **force):
        done = mark(store, key, via, **force)
        marked.set()
        return done
    monkeypatch.setattr(inbound, "mark_delivered", noted)
    base = serve(bot)
    ts = now_ms(bot)
    webhook = f"http://127.0.0.1:{silent.getsockname()[1]}/robot/sendBySession?session=s"
    response = httpx.post(f"{base}/dingtalk/callback", timeout=10, content=json.dumps(
        robot_message("严众能负责什么", webhook, msg_id="h1")).encode(), headers={
        "content-type": "application/json", "timestamp": ts,
        "sign": documented_sign("appSecretForTests_0123456789", ts)})
    assert response.status_code == 200
    assert both_came.wait(10)  # the post, and the one more try after its time limit
    assert marked.wait(10)
    for connection in [*accepted, silent]:
        connection.close()
    [row] = bot.store.read("SELECT reply IS NOT NULL AS answered, delivered_via FROM inbound")
    assert (row["answered"], row["delivered_via"]) == (1, "failed")


def test_a_connection_that_sends_no_whole_request_is_closed_and_the_count_is_capped(tmp_path, serve, monkeypatch):
    monkeypatch.setattr(GuardedHttp, "read_timeout_s", 0.3)
    monkeypatch.setattr(GuardedHttp, "max_connections", 3)
    base = serve(wecom_bot(tmp_path))
    host, port = base.removeprefix("http://").split(":")
    slow = socket.create_connection((host, int(port)), timeout=5)
    slow.sendall(b"POST /wecom/aibot HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")  # never finishes
    assert slow.recv(100) == b""  # closed by the server after the read timeout, without an answer
    slow.close()
    monkeypatch.setattr(GuardedHttp, "read_timeout_s", 10)
    held = [socket.create_connection((host, int(port)), timeout=5) for _ in range(3)]
    extra = socket.create_connection((host, int(port)), timeout=5)
    assert extra.recv(100) == b""  # the fourth is closed at once
    for connection in [*held, extra]:
        connection.close()
    assert httpx.get(f"{base}/healthz", timeout=10).status_code == 200  # the server serves on


def test_dingtalk_stream_payloads_of_the_wrong_shape_are_refused_not_raised(tmp_path):
    bot = http_bot(tmp_path)
    platform = DingTalkPlatform(bot)
    for payload in ({"msgId": ["x"], "sessionWebhook": "http://x"}, {"msgId": "m", "sessionWebhook": 3},
                    {"msgId": "m", "sessionWebhook": "file:///etc/passwd"}):
        from bot.platforms.dingtalk import is_robot_message

        assert not is_robot_message(payload)
    message = platform.message({"msgId": 7, "text": {"content": ["not", "text"]}, "senderStaffId": {"a": 1},
                                "conversationId": "c\ud800id", "msgtype": ["x"]}, identify=False)
    assert (message.msg_id, message.text, message.sender_id, message.chat_id, message.kind) == (
        "7", "", "", "cid", "unknown")
    asyncio.run(platform.http.aclose())


def test_the_xml_of_the_decrypted_app_message_may_not_declare_entities(tmp_path, serve):
    bot = wecom_bot(tmp_path)
    base = serve(bot)
    xml = ('<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
           + app_xml("e1", text="&b;"))
    assert post_app(base, xml).status_code == 400
    assert list(bot.store.read("SELECT * FROM inbound")) == []
    assert xmltodict.parse(app_xml("e2"))["xml"]["MsgId"] == "e2"  # the well-formed one is read
