"""What testers broke, kept broken-proof: double sends, one bad robot, someone else's 撤销,
binding hijacks, a failed DingTalk reply, quadratic parsing, nagging finished owners."""

from __future__ import annotations

import asyncio
import json
from datetime import date

from bot.platforms import SendResult
from bot.store import outbox
from reminders.outbox import Sender
from reminders.tick import plan_day, run_tick
from tests.conftest import make_bot
from tests.recorder import Recorder
from tests.test_dingtalk import documented_sign, now_ms, robot_message

SECRET = "appSecretForTests_0123456789"


def test_two_delivery_loops_at_once_send_each_row_once(tmp_path):
    bot = make_bot(tmp_path, on=date(2020, 11, 27))
    run_tick(bot, date(2020, 11, 27))
    sent = []

    async def slow_local(push):
        sent.append(push.text)
        await asyncio.sleep(0)  # let the other loop run while this one is sending
        return SendResult(True)

    async def both():
        first, second = Sender(bot, {"local": slow_local}), Sender(bot, {"local": slow_local})
        return await asyncio.gather(first.deliver_due(), second.deliver_due())
    assert sorted(asyncio.run(both())) == [0, 1]
    assert len(sent) == 1


def test_a_robot_answering_nonsense_fails_its_row_not_the_others(tmp_path):
    with Recorder(lambda request: [] if "bad" in request.path else {"errcode": 0, "errmsg": "ok"}) as robots:
        bot = make_bot(tmp_path, on=date(2020, 11, 27), chats=[
            {"name": "坏群", "platform": "dingtalk", "webhook": robots.url + "/bad"},
            {"name": "好群", "platform": "wecom", "webhook": robots.url + "/good"}])
        run_tick(bot, date(2020, 11, 27))

        async def deliver():
            from bot.platforms.dingtalk import DingTalkPlatform
            from bot.platforms.wecom_push import GroupRobot

            return await Sender(bot, {"dingtalk": DingTalkPlatform(bot).send,
                                      "wecom": GroupRobot(bot.config, bot.clock).send}).deliver_due()
        assert asyncio.run(deliver()) == 1
    rows = {row.chat: row for row in outbox.rows(bot.store)}
    assert rows["好群"].status == "sent"
    assert (rows["坏群"].status, rows["坏群"].attempts) == ("pending", 1)
    assert rows["坏群"].last_error.startswith("200 unexpected answer")


def test_undo_reopens_only_the_senders_own_share(tmp_path):
    bot = make_bot(tmp_path, on=date(2020, 6, 1), bot={"admins": ["朱明生"]})
    bot.say("完成 3.4", as_="林永禄")
    bot.say("完成 3.4", as_="严众能")
    assert bot.say("撤销", as_="林永禄").text == "已撤销：3.4 重新打开，进度 1/2，待：林永禄。"
    shares = bot.store.task(bot.store.active_plan().id, "3.4").shares
    assert [(s.owner, s.done) for s in shares] == [("林永禄", False), ("严众能", True)]


def test_the_leads_close_is_not_undone_by_an_owner(tmp_path):
    bot = make_bot(tmp_path, on=date(2020, 11, 2))
    bot.say("完成 3.3 全部", as_="徐锦清")
    assert bot.say("撤销", as_="林永禄").text == "你最近7天内没有可撤销的完成记录。"
    assert bot.store.task(bot.store.active_plan().id, "3.3").status == "done"
    assert "责任人：林永禄（11月2日 10:00 徐锦清完成）、童聪良（11月2日 10:00 徐锦清完成）" in bot.say("3.3").text


def _dingtalk(tmp_path, **config):
    return make_bot(tmp_path, on=date(2020, 7, 2), bot={"admins": ["朱明生"]},
                    dingtalk={"mode": "http", "app_key": "dingKEY", "app_secret": SECRET},
                    people={"朱明生": {"dingtalk": "zms01"}, **config.pop("people", {})}, **config)


def _say(base, bot, session, text, staff, msg_id, **extra):
    import httpx

    ts = now_ms(bot)
    before = len(session.requests)
    body = robot_message(text, session.url + "/s", msg_id=msg_id, senderStaffId=staff, senderNick="", **extra)
    httpx.post(f"{base}/dingtalk/callback", content=json.dumps(body, ensure_ascii=False).encode(), timeout=10,
               headers={"content-type": "application/json", "timestamp": ts, "sign": documented_sign(SECRET, ts)})
    return session.wait_for(before + 1)[-1].json["text"]["content"].split("\n", 1)[1]


def test_bindings_cannot_be_hijacked(tmp_path, serve):
    bot = _dingtalk(tmp_path)
    with Recorder() as session:
        base = serve(bot)
        assert _say(base, bot, session, "我是朱明生", "evil", "h1") == (
            "朱明生的账号已在配置中写明，不能再绑定其他账号。如有变动请联系管理员修改配置。")
        _say(base, bot, session, "我是严众能", "real", "h2")
        _say(base, bot, session, "我是严众能", "evil", "h3")
        assert _say(base, bot, session, "确认 严众能", "zms01", "h4") == (
            "有2个账号申请为严众能（real、evil），无法确定是谁。请核实后回复“确认 严众能 账号”，如“确认 严众能 real”。")
        assert _say(base, bot, session, "完成 3.4", "evil", "h5").startswith("我还不知道你是谁")


def test_a_dingtalk_answer_that_failed_to_post_is_posted_on_the_redelivery(tmp_path, serve):
    bot = _dingtalk(tmp_path, people={"严众能": {"dingtalk": "yzn01"}})
    answers = iter([(500, {"errmsg": "down"})])
    with Recorder(lambda request: next(answers, {"errcode": 0, "errmsg": "ok"})) as session:
        base = serve(bot)
        import httpx

        body = robot_message("完成 3.4", session.url + "/s", msg_id="f1", senderStaffId="yzn01")
        for _ in range(2):
            ts = now_ms(bot)
            response = httpx.post(f"{base}/dingtalk/callback", timeout=10,
                                  content=json.dumps(body, ensure_ascii=False).encode(),
                                  headers={"content-type": "application/json", "timestamp": ts,
                                           "sign": documented_sign(SECRET, ts)})
            assert response.status_code == 200
        posts = session.wait_for(2)
    assert [p.json["text"]["content"].split("\n")[1] for p in posts] == ["3.4 严众能已完成，进度 1/2，待：林永禄"] * 2
    assert len(list(bot.store.read("SELECT * FROM events WHERE kind = 'share.completed'"))) == 1


def test_a_long_message_is_read_quickly(bot):
    reply = bot.say("啊" * 32000)  # was minutes: question words were trimmed one by one
    assert reply.text.startswith("没看懂")


def test_finished_owners_are_not_named_or_mentioned(tmp_path):
    bot = make_bot(tmp_path, on=date(2020, 11, 27))
    bot.say("完成 3.3", as_="林永禄")
    [push] = plan_day(bot, date(2020, 11, 30))
    assert "3.3 举办第13届市青少年科技创新大赛｜今天到期｜待童聪良（已完成1/2）" in push.text.splitlines()
    assert push.mentions == ["童聪良", "林丽"]
