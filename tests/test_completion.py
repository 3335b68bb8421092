"""Closing tasks from the chat on the real plan: 完成, shares, who may, 撤销, 进展, bindings, audit."""

from __future__ import annotations

import asyncio
import json
from datetime import date, datetime

import pytest

from bot.clock import SHANGHAI, FrozenClock
from bot.platforms import SendResult
from reminders.outbox import Sender
from reminders.tick import plan_day, run_tick
from tests.conftest import make_bot, refs

ADMIN = {"admins": ["朱明生"]}


@pytest.fixture
def office(tmp_path):
    bot = make_bot(tmp_path, on=date(2020, 11, 20), bot=ADMIN)
    yield bot
    bot.close()


def events(bot, kind: str) -> list[dict]:
    return list(bot.store.read("SELECT actor, platform, chat, msg_id, before, after FROM events WHERE kind = ?",
                                   [kind]))


def test_two_owners_close_3_3_and_the_next_tick_leaves_it_out(office):
    first = office.say("完成 3.3", as_="林永禄")
    assert first.text == "3.3 林永禄已完成，进度 1/2，待：童聪良"
    assert office.store.task(office.store.active_plan().id, "3.3").status == "open"
    office.clock.advance(minutes=5)
    second = office.say("@督办助手 3.3 完成", as_="童聪良")
    assert second.text.startswith("3.3 已全部完成，办结。（2/2）")
    assert second.closed == ["3.3"]
    detail = office.say("3.3").text.splitlines()
    assert "状态：已完成（11月20日 10:05办结）" in detail
    assert "责任人：林永禄（11月20日 10:00完成）、童聪良（11月20日 10:05完成）" in detail
    assert "· 2020-11-20 10:00 林永禄报完成" in detail and "· 2020-11-20 10:05 童聪良报完成" in detail
    assert [p.refs for p in plan_day(office, date(2020, 11, 23))] == [["4.3"]]  # 3.3's 7-day reminder is gone
    assert "3.3" not in [r for p in plan_day(office, date(2020, 11, 27)) for r in p.refs]


def test_a_bare_complete_after_the_1_july_digest_asks_which(tmp_path):
    bot = make_bot(tmp_path, on=date(2020, 7, 1), bot=ADMIN)
    run_tick(bot, date(2020, 7, 1))

    async def local(push):
        return SendResult(True)
    assert asyncio.run(Sender(bot, {"local": local}).deliver_due()) == 1
    asked = bot.say("完成", as_="严众能")
    assert asked.refs == ["2.8", "3.1", "3.4", "3.6", "3.8"]
    assert asked.text.splitlines()[0] == "最近一次提醒里有5项是你可以报完成的，是哪一项？请回复："
    assert "完成 3.4（举办第4届市青少年机器人竞赛。）" in asked.text.splitlines()
    assert "（牵头领导报“完成 X.Y”即办结整项）" not in asked.text  # 严众能 leads none of them
    assert bot.say("完成", as_="徐锦清").text.splitlines()[-1] == "（牵头领导报“完成 X.Y”即办结整项）"
    assert events(bot, "share.completed") == []
    done = bot.say("完成 3.4", as_="严众能")
    assert done.text == "3.4 严众能已完成，进度 1/2，待：林永禄"


def test_a_bare_complete_with_one_candidate_or_a_quote(tmp_path):
    bot = make_bot(tmp_path, on=date(2020, 11, 27), bot=ADMIN)
    run_tick(bot, date(2020, 11, 27))

    async def local(push):
        return SendResult(True)
    asyncio.run(Sender(bot, {"local": local}).deliver_due())
    assert bot.say("完成", as_="童聪良").text == "3.3 童聪良已完成，进度 1/2，待：林永禄"  # his only one there
    none = bot.say("完成", as_="梁伟坚")
    assert none.text.startswith("请带上任务编号，如“完成 1.6”。你未完成的任务：")


def test_someone_else_is_refused_and_nothing_is_written(office):
    before = office.store.db.execute("SELECT COUNT(*) FROM events").fetchone()
    reply = office.say("完成 3.3", as_="梁伟坚")
    assert reply.text == ("你不是 3.3 的责任人，不能办结。"
                          "可以办结的是：责任人林永禄、童聪良；牵头领导徐锦清；管理员朱明生。")
    assert office.store.db.execute("SELECT COUNT(*) FROM events").fetchone() == before


def test_the_lead_closes_the_whole_task(office):
    reply = office.say("完成 3.3 全部", as_="徐锦清")
    assert reply.text.startswith("3.3 已全部完成，办结。")
    [event] = events(office, "task.completed")
    assert event["actor"] == "徐锦清"
    assert json.loads(event["before"]) == {"status": "open", "shares": {"林永禄": "open", "童聪良": "open"}}
    assert json.loads(event["after"]) == {"status": "done", "shares": {"林永禄": "done", "童聪良": "done"}}


def test_an_admin_closes_a_task_and_the_role_share_counts_once(office):
    assert office.say("完成 1.1", as_="朱明生").text.startswith("1.1 已全部完成，办结。")
    assert office.say("完成 1.1", as_="朱明生").text.startswith("1.1 已经办结了")


def test_a_role_member_completes_the_roles_share(tmp_path):
    bot = make_bot(tmp_path, on=date(2020, 11, 20), roles={"县（市、区）科协主席": {"members": ["钟永通"]}})
    reply = bot.say("完成 3.2", as_="钟永通")
    assert reply.text == "3.2 县（市、区）科协主席已完成，进度 1/2，待：林永禄"


def test_questions_that_contain_complete_stay_questions(office):
    assert refs(office.say("上半年要完成的任务").text) == ["1.7", "3.4", "3.5", "4.1", "5.1"]
    assert office.say("我还有什么没完成", as_="严众能").text.startswith("你负责的未完成的任务（5项）：")
    assert office.say("完成情况").text.startswith("龙岩市科协2020年度工作要点进度：")
    assert events(office, "share.completed") == []


@pytest.mark.parametrize("text", ["完成 3.3", "3.3 完成", "3.3 已完成", "任务3.3完成了", "完成３．３", "完成　3.3",
                                  "@督办助手 完成 3.3", "完成 3.3 @督办助手", "3.3完成！"])
def test_the_forms_of_complete(office, text):
    assert office.say(text, as_="林永禄").text == "3.3 林永禄已完成，进度 1/2，待：童聪良"


def test_undo_reopens_the_senders_last_completion(office):
    office.say("完成 3.3", as_="林永禄")
    office.say("完成 3.3", as_="童聪良")
    undone = office.say("撤销", as_="童聪良")
    assert undone.text == "已撤销：3.3 重新打开，进度 1/2，待：童聪良。"
    task = office.store.task(office.store.active_plan().id, "3.3")
    assert (task.status, [(s.owner, s.done) for s in task.shares]) == ("open", [("林永禄", True), ("童聪良", False)])
    assert office.say("撤销", as_="童聪良").text == "你最近7天内没有可撤销的完成记录。"
    office.clock.advance(days=8)
    assert office.say("撤销", as_="林永禄").text == "你最近7天内没有可撤销的完成记录。"


def test_progress_notes(office):
    assert office.say("进展 3.1 已完成龙岩站巡展", as_="严众能").text == "已记下 3.1 的进展，发“3.1”可查看。"
    assert "进展（11月20日 10:00 严众能）：已完成龙岩站巡展" in office.say("3.1").text.splitlines()
    assert office.say("进展 3.1 " + "很" * 1001, as_="严众能").text == "进展太长了（1001字），请精简到1000字以内再发。"
    assert office.say("进展 9.9 做了", as_="严众能").text.startswith("没有编号为 9.9 的任务")
    assert len(events(office, "note.added")) == 1


def test_bad_completions_change_nothing(office):
    count = office.store.db.execute("SELECT COUNT(*) FROM events").fetchone()
    assert office.say("完成 9.9", as_="林永禄").text.startswith("没有编号为 9.9 的任务")
    assert office.say("完成 3.3").text == "请先说明你是谁：本地群在页面上方“我是”里选，命令行加 --as 姓名。"
    assert office.say("撤销", as_="林永禄").text == "你最近7天内没有可撤销的完成记录。"
    assert office.store.db.execute("SELECT COUNT(*) FROM events").fetchone() == count


@pytest.mark.parametrize(("said", "first"), [
    ("完成 0", "“0”不是任务编号：任务编号从 1 起。"), ("完成 -1", "“-1”不是任务编号：任务编号从 1 起。"),
    ("@督办助手 完成 －2", "“-2”不是任务编号：任务编号从 1 起。"), ("0 完成了", "“0”不是任务编号：任务编号从 1 起。"),
    ("完成 99", "没有编号为 99 的任务。"), ("完成 9.9", "没有编号为 9.9 的任务。")])
def test_a_number_no_task_has_is_named_and_nothing_changes(office, said, first):
    count = office.store.db.execute("SELECT COUNT(*) FROM events").fetchone()
    states = [(t.ref, t.status) for t in office.store.tasks(office.store.active_plan().id)]
    assert office.say(said, as_="林永禄").text == (
        f"{first}没有改动任何任务。任务编号写作“部分.序号”（如 X.Y），本计划共5部分；发“进度”可看各部分。")
    assert office.store.db.execute("SELECT COUNT(*) FROM events").fetchone() == count
    assert [(t.ref, t.status) for t in office.store.tasks(office.store.active_plan().id)] == states


def test_a_task_closed_today_leaves_the_digest_not_yet_sent(tmp_path):
    bot = make_bot(tmp_path, on=date(2020, 11, 27), bot=ADMIN)
    run_tick(bot, date(2020, 11, 27))  # claimed and queued, not yet delivered
    bot.say("完成 3.3 全部", as_="徐锦清")
    sent = []

    async def local(push):
        sent.append(push)
        return SendResult(True)
    asyncio.run(Sender(bot, {"local": local}).deliver_due())
    [push] = sent
    assert push.refs == ["3.2"] and "3.3 " not in push.text
    assert "3.2 组织开展全国科普日系列活动｜9月30日到期，已逾期58天｜林永禄、县（市、区）科协主席" in push.text


def test_the_audit_trail_has_who_when_where_and_the_change(office):
    office.say("完成 3.3", as_="林永禄")
    [event] = events(office, "share.completed")
    assert (event["actor"], event["platform"], event["chat"]) == ("林永禄", "local", "local")
    assert event["msg_id"].startswith("local-")
    assert json.loads(event["after"])["shares"] == {"林永禄": "done", "童聪良": "open"}


def test_tasks_json_shows_shares_and_status(office):
    office.say("完成 3.3", as_="林永禄")
    task = office.store.task(office.store.active_plan().id, "3.3").to_json()
    assert task["status"] == "open"
    assert task["shares"] == [{"owner": "林永禄", "done": True, "at": "2020-11-20T10:00:00+08:00"},
                              {"owner": "童聪良", "done": False, "at": None}]


def test_reimport_keeps_completions_and_history(office):
    from tests.plans import SEED

    office.say("完成 3.3 全部", as_="徐锦清")
    office.say("完成 3.4", as_="严众能")
    office.import_plan(SEED)
    plan = office.store.active_plan()
    assert office.store.task(plan.id, "3.3").status == "done"
    assert [(s.owner, s.done) for s in office.store.task(plan.id, "3.4").shares] == [("林永禄", False),
                                                                                   ("严众能", True)]
    assert [e.kind for e in office.store.history(plan.id, "3.3")] == ["task.created", "task.completed"]


def test_two_people_completing_at_once_both_count(tmp_path):
    import threading

    from bot.config import PROJECT_DIR, parse_config
    from bot.runtime import Bot

    first = make_bot(tmp_path, on=date(2020, 11, 20))
    second = Bot(parse_config({"bot": {"database": str(first.store.path)}}, "t", PROJECT_DIR, env={}),
                 FrozenClock(datetime(2020, 11, 20, 10, 0, tzinfo=SHANGHAI)))
    replies = []
    threads = [threading.Thread(target=lambda b=b, who=who: replies.append(b.say("完成 3.3", as_=who)))
               for b, who in ((first, "林永禄"), (second, "童聪良"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert first.store.task(first.store.active_plan().id, "3.3").status == "done"
    firsts = sorted(r.text.split("，")[0].split("。")[0] for r in replies)
    assert firsts in (["3.3 已全部完成", "3.3 林永禄已完成"], ["3.3 已全部完成", "3.3 童聪良已完成"])
