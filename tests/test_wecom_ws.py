"""WeCom 智能机器人 long-connection mode (issue 3 item 6) against a local WebSocket server that
plays WeCom's side from the documented frames (tests/wecom_ws_peer.py): subscribe, answer the
group question, one answer per msgid across a reconnect, 完成 from the chat, heartbeats, the
welcome, reminders pushed into the group by chatid."""

from __future__ import annotations

import asyncio
import logging
from datetime import date

import aibot.ws
import pytest

from bot.config import ConfigError
from bot.messages import InboundKey
from bot.platforms.wecom_push import GroupRobot
from bot.platforms.wecom_ws import LongConnection
from bot.store import inbound, outbox
from reminders.outbox import Sender
from reminders.tick import run_tick
from tests.conftest import make_bot, refs
from tests.wecom_ws_peer import FakeWeCom, group_text

PEOPLE = {"严众能": {"wecom": "YanZhongNeng"}, "林永禄": {"wecom": "LinYongLu"}}


def ws_bot(tmp_path, url: str, on: date = date(2020, 11, 2), **config):
    return make_bot(tmp_path, on=on, people=PEOPLE,
                    wecom={"aibot": {"mode": "websocket", "bot_id": "BOTID", "secret": "SECRET", "ws_url": url}},
                    **config)


def run(tmp_path, monkeypatch, scenario, bot_config=None, **connection):
    """Start FakeWeCom and a LongConnection to it, run ``scenario(wecom, connection, bot)``."""
    async def main():
        async with FakeWeCom(tmp_path, "BOTID", "SECRET") as wecom:
            # The SDK verifies TLS with certifi's roots; here it must trust the local server's certificate.
            monkeypatch.setattr(aibot.ws, "_SSL_CONTEXT", wecom.client_context)
            bot = ws_bot(tmp_path, wecom.url, **(bot_config or {}))
            long_connection = LongConnection(bot, reconnect_ms=20, **connection)
            await long_connection.start()
            try:
                await wecom.subscribed_count(1)
                return await scenario(wecom, long_connection, bot)
            finally:
                long_connection.stop()
                await asyncio.sleep(0)  # let the SDK's close run before the server goes
                bot.close()
    return asyncio.run(main())


async def until(predicate, timeout: float = 5):
    """Wait (bounded) for the bot to act on a receipt: it does so on its own task, after the frame."""
    async with asyncio.timeout(timeout):
        while not (value := predicate()):
            await asyncio.sleep(0.01)
    return value

M1, S1 = (InboundKey("wecom", "wrkGROUP", "YanZhongNeng", msgid) for msgid in ("m1", "s1"))


def replies(frames: list[dict]) -> list[dict]:
    return [f for f in frames if f.get("cmd") == "aibot_respond_msg"]


def test_a_group_question_is_answered_on_its_req_id(tmp_path, monkeypatch):
    async def scenario(wecom, connection, bot):
        await wecom.callback("req-1", group_text("m1", "YanZhongNeng", "@督办助手 严众能负责什么"))
        return await wecom.wait_for(lambda frames: replies(frames))

    frames = run(tmp_path, monkeypatch, scenario)
    assert frames[0]["body"] == {"bot_id": "BOTID", "secret": "SECRET"}
    [reply] = replies(frames)
    assert reply["headers"]["req_id"] == "req-1"
    stream = reply["body"]["stream"]
    assert (reply["body"]["msgtype"], stream["id"], stream["finish"]) == ("stream", "m1", True)
    assert refs(stream["content"]) == ["2.8", "3.1", "3.4", "3.6", "3.8"]


def test_a_message_delivered_again_after_a_reconnect_is_answered_once(tmp_path, monkeypatch):
    async def scenario(wecom, connection, bot):
        await wecom.callback("req-1", group_text("m1", "LinYongLu", "@督办助手 完成 3.3"))
        await wecom.wait_for(lambda frames: len(replies(frames)) == 1)
        await wecom.drop()
        await wecom.subscribed_count(2)  # the SDK reconnected and subscribed again
        await wecom.callback("req-2", group_text("m1", "LinYongLu", "@督办助手 完成 3.3"))
        await wecom.callback("req-3", group_text("m2", "LinYongLu", "@督办助手 3.3"))
        frames = await wecom.wait_for(lambda frames: len(replies(frames)) == 2)
        plan = bot.store.active_plan()
        task = next(t for t in bot.store.tasks(plan.id) if t.ref == "3.3")
        return frames, task, bot.store.history(plan.id, "3.3")

    frames, task, history = run(tmp_path, monkeypatch, scenario)
    assert [r["headers"]["req_id"] for r in replies(frames)] == ["req-1", "req-3"]
    assert [(s.owner, s.done) for s in task.shares] == [("林永禄", True), ("童聪良", False)]
    assert [e.kind for e in history] == ["task.created", "share.completed"]


def test_a_failed_answer_is_sent_again_when_the_message_comes_again(tmp_path, monkeypatch):
    async def scenario(wecom, connection, bot):
        wecom.receipt = lambda frame: 600039 if frame["headers"]["req_id"] == "req-1" else 0
        await wecom.callback("req-1", group_text("m1", "YanZhongNeng", "严众能负责什么"))
        await until(lambda: (inbound.stored(bot.store, M1) or {}).get("delivered_via") == "failed")
        await wecom.callback("req-2", group_text("m1", "YanZhongNeng", "严众能负责什么"))
        frames = await wecom.wait_for(lambda frames: len(replies(frames)) == 2)
        return frames, await until(lambda: inbound.stored(bot.store, M1)["delivered_via"] == "websocket"
                                   and inbound.stored(bot.store, M1))

    frames, row = run(tmp_path, monkeypatch, scenario)
    first, second = replies(frames)
    assert second["headers"]["req_id"] == "req-2"
    assert second["body"]["stream"]["content"] == first["body"]["stream"]["content"]
    assert row["delivered_via"] == "websocket"


def test_heartbeats_go_out_while_connected(tmp_path, monkeypatch):
    async def scenario(wecom, connection, bot):
        return await wecom.wait_for(lambda frames: sum(f.get("cmd") == "ping" for f in frames) >= 2)

    frames = run(tmp_path, monkeypatch, scenario, heartbeat_ms=50)
    assert [f["cmd"] for f in frames[:3]] == ["aibot_subscribe", "ping", "ping"]


def test_opening_the_1to1_chat_gets_the_usage_as_welcome(tmp_path, monkeypatch):
    async def scenario(wecom, connection, bot):
        await wecom.callback("req-e", {"msgid": "e1", "msgtype": "event", "from": {"userid": "YanZhongNeng"},
                                       "event": {"eventtype": "enter_chat"}}, cmd="aibot_event_callback")
        return await wecom.wait_for(lambda frames: any(f.get("cmd") == "aibot_respond_welcome_msg"
                                                       for f in frames))

    frames = run(tmp_path, monkeypatch, scenario)
    [welcome] = [f for f in frames if f.get("cmd") == "aibot_respond_welcome_msg"]
    assert welcome["headers"]["req_id"] == "req-e"
    assert welcome["body"]["msgtype"] == "text"
    assert welcome["body"]["text"]["content"].startswith("我是督办助手，帮大家盯")


def _deliver(connection, bot) -> int:
    robot = GroupRobot(bot.config, bot.clock)
    robot.long_connection = connection
    return Sender(bot, {"wecom": robot.send}).deliver_due()


def test_a_reminder_goes_into_the_group_by_chatid_with_mentions(tmp_path, monkeypatch):
    chats = {"chats": [{"name": "督办群", "platform": "wecom", "chat_id": "wrkGROUP"}]}

    async def scenario(wecom, connection, bot):
        await connection.authenticated.wait()
        assert len(run_tick(bot, date(2020, 11, 27))) == 1
        await _deliver(connection, bot)
        return await wecom.wait_for(lambda f: any(x.get("cmd") == "aibot_send_msg" for x in f)), outbox.rows(bot.store)

    frames, rows = run(tmp_path, monkeypatch, scenario, bot_config={"on": date(2020, 11, 27), **chats})
    [push] = [f for f in frames if f.get("cmd") == "aibot_send_msg"]
    assert (push["body"]["chatid"], push["body"]["msgtype"]) == ("wrkGROUP", "markdown")
    content = push["body"]["markdown"]["content"]
    assert refs(content) == ["3.3", "3.2"]
    assert content.endswith("<@LinYongLu>")
    assert [(r.chat, r.status) for r in rows] == [("督办群", "sent")]


def test_a_refused_push_stays_in_the_outbox(tmp_path, monkeypatch):
    chats = {"chats": [{"name": "督办群", "platform": "wecom", "chat_id": "wrkGROUP"}]}

    async def scenario(wecom, connection, bot):
        wecom.receipt = lambda frame: 45009
        await connection.authenticated.wait()
        run_tick(bot, date(2020, 11, 27))
        await _deliver(connection, bot)
        return outbox.rows(bot.store)

    [row] = run(tmp_path, monkeypatch, scenario, bot_config={"on": date(2020, 11, 27), **chats})
    assert (row.status, row.attempts, row.last_error.startswith("45009")) == ("pending", 1, True)


def test_a_wrong_secret_is_logged_naming_the_keys(tmp_path, monkeypatch, caplog):
    async def main():
        async with FakeWeCom(tmp_path, "BOTID", "OTHER") as wecom:
            monkeypatch.setattr(aibot.ws, "_SSL_CONTEXT", wecom.client_context)
            bot = ws_bot(tmp_path, wecom.url)
            connection = LongConnection(bot, reconnect_ms=20)
            await connection.start()
            await wecom.wait_for(lambda frames: frames)
            await until(lambda: any("check wecom.aibot" in r.getMessage() for r in caplog.records))
            connection.stop()
            bot.close()
            return connection.authenticated.is_set()

    with caplog.at_level(logging.ERROR, logger="duban.wecom"):
        assert asyncio.run(main()) is False
    assert any("check wecom.aibot.bot_id and wecom.aibot.secret" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("aibot, chats, key", [
    ({"mode": "websocket", "secret": "S"}, [], "wecom.aibot.bot_id is empty"),
    ({"mode": "websocket", "bot_id": "B"}, [], "wecom.aibot.secret is empty"),
    ({"mode": "websocket", "bot_id": "B", "secret": "S", "ws_url": "https://x"}, [], "wecom.aibot.ws_url must be"),
    ({"mode": "websocket", "bot_id": "B", "secret": "S", "ws_url": "ws://127.0.0.1:8765"}, [],
     "wecom.aibot.ws_url must be a wss:// URL"),
    ({"mode": "websocket", "bot_id": "B", "secret": "S", "ws_url": "wss://127.0.0.1:99999"}, [],
     "is not a usable URL"),
    ({"mode": "websocket", "bot_id": "B", "secret": "S", "ws_url": "wss://host:x/"}, [], "is not a usable URL"),
    ({"mode": "websocket", "bot_id": "B", "secret": "S"}, [{"name": "群", "platform": "wecom"}],
     "chats[0] needs chat_id"),
    ({}, [{"name": "群", "platform": "wecom", "chat_id": "wrk"}], "chats[0].webhook is empty"),
])
def test_long_connection_config_mistakes_name_the_key(tmp_path, aibot, chats, key):
    with pytest.raises(ConfigError, match=key.replace("[", r"\[").replace("]", r"\]")):
        make_bot(tmp_path, wecom={"aibot": aibot}, chats=chats)


def test_the_app_starts_the_long_connection_and_pushes_through_it(tmp_path, monkeypatch):
    """What ``duban serve`` runs: the app's lifespan connects, and the scheduler's WeCom sender
    pushes a group without a webhook over the connection."""
    from bot.web import create_app

    async def main():
        async with FakeWeCom(tmp_path, "BOTID", "SECRET") as wecom:
            monkeypatch.setattr(aibot.ws, "_SSL_CONTEXT", wecom.client_context)
            bot = ws_bot(tmp_path, wecom.url, on=date(2020, 11, 27),
                         chats=[{"name": "督办群", "platform": "wecom", "chat_id": "wrkGROUP"}])
            app = create_app(bot, reminders=True, demo_day=True)
            assert "/wecom/aibot" not in [route.path for route in app.routes]
            async with app.router.lifespan_context(app):
                # Started with --today: the start-up tick has run, after the subscription.
                await wecom.callback("req-1", group_text("m1", "YanZhongNeng", "@督办助手 严众能负责什么"))
                frames = await wecom.wait_for(lambda f: replies(f) and any(x.get("cmd") == "aibot_send_msg"
                                                                          for x in f))
            bot.close()
            return frames

    frames = asyncio.run(main())
    assert refs(replies(frames)[0]["body"]["stream"]["content"]) == ["2.8", "3.1", "3.4", "3.6", "3.8"]
    [push] = [f for f in frames if f.get("cmd") == "aibot_send_msg"]
    assert refs(push["body"]["markdown"]["content"]) == ["3.3", "3.2"]


@pytest.mark.parametrize("frame", ['[1, 2, 3]', '{"headers": {"req_id": 7}, "errcode": 0}'])
def test_a_frame_the_sdk_cannot_read_does_not_leave_the_bot_deaf(tmp_path, monkeypatch, frame):
    """The SDK's receive loop dies on such a frame with the socket open; the bot starts over."""
    async def scenario(wecom, connection, bot):
        await wecom.send_raw(frame)
        await wecom.subscribed_count(2)
        await wecom.callback("req-9", group_text("m9", "YanZhongNeng", "@督办助手 严众能负责什么"))
        return await wecom.wait_for(lambda frames: replies(frames))

    [reply] = replies(run(tmp_path, monkeypatch, scenario))
    assert refs(reply["body"]["stream"]["content"]) == ["2.8", "3.1", "3.4", "3.6", "3.8"]


@pytest.mark.parametrize("body", [
    {"msgid": "w1", "msgtype": "text", "text": "严众能负责什么", "from": {"userid": "YanZhongNeng"}},
    {"msgid": "w2", "msgtype": "text", "text": {"content": None}, "from": "YanZhongNeng"},
    {"msgid": "w3", "msgtype": "mixed", "mixed": {"msg_item": ["x", 1]}, "quote": "x"},
])
def test_a_body_of_the_wrong_shape_gets_the_usage(tmp_path, monkeypatch, body):
    async def scenario(wecom, connection, bot):
        await wecom.callback("req-w", body)
        return await wecom.wait_for(lambda frames: replies(frames))

    [reply] = replies(run(tmp_path, monkeypatch, scenario))
    assert reply["body"]["stream"]["content"].startswith("我是督办助手，帮大家盯")


def test_a_redelivery_during_a_slow_answer_after_a_reconnect_gets_the_answer(tmp_path, monkeypatch):
    """WeCom redelivers a message on the new connection while the first answer is still being made;
    the first answer's reply on the old req_id fails, so the redelivery carries it."""
    import threading

    released = threading.Event()

    async def scenario(wecom, connection, bot):
        answer = bot.answer

        def slow(message):
            released.wait(10)
            return answer(message)
        bot.answer = slow
        await wecom.callback("req-1", group_text("s1", "YanZhongNeng", "@督办助手 严众能负责什么"))
        await wecom.drop()
        await wecom.subscribed_count(2)
        wecom.receipt = lambda frame: 846609 if frame["headers"]["req_id"] == "req-1" else 0
        await wecom.callback("req-2", group_text("s1", "YanZhongNeng", "@督办助手 严众能负责什么"))
        released.set()
        frames = await wecom.wait_for(lambda f: any(r["headers"]["req_id"] == "req-2" for r in replies(f)))
        return frames, await until(lambda: inbound.stored(bot.store, S1)["delivered_via"] == "websocket"
                                   and inbound.stored(bot.store, S1))

    frames, row = run(tmp_path, monkeypatch, scenario)
    carried = [r for r in replies(frames) if r["headers"]["req_id"] == "req-2"]
    assert refs(carried[0]["body"]["stream"]["content"]) == ["2.8", "3.1", "3.4", "3.6", "3.8"]
    assert row["delivered_via"] == "websocket"
