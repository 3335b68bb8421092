"""Never a write by accident (DESIGN §4 "What writes"; issue 12 item 8): questions about
progress or status never write, a bare 完成 never closes a 全年开展 task, and a progress note
can be taken back by its author (撤销进展), which the audit trail keeps."""

from __future__ import annotations

import json
import uuid
from datetime import date

import pytest

from bot.messages import Message
from tests.conftest import make_bot


def state(bot) -> tuple:
    plan = bot.store.active_plan()
    return (json.dumps([t.to_json() for t in bot.store.tasks(plan.id)], ensure_ascii=False),
            len(bot.store._rows("SELECT id FROM events")), len(bot.store._rows("SELECT id FROM notes")))


@pytest.mark.parametrize(("text", "person", "refs"), [
    ("3.3进展到哪了", "林永禄", ["3.3"]),
    ("进展 3.3 怎么样了", "林永禄", ["3.3"]),
    ("3.4完成了吗", "严众能", ["3.4"]),
    ("3.6完成了？", "严众能", ["3.6"]),
    ("3.5是不是已经完成了", "林永禄", ["3.5"]),
    ("机器人竞赛办完了没", "严众能", ["3.4", "3.5"]),
    ("全国科普日最晚几号要搞定", "林永禄", ["3.2"]),
    ("3.3什么时候完成", "林永禄", ["3.3"]),
])
def test_questions_never_write(tmp_path, text, person, refs):
    bot = make_bot(tmp_path)
    try:
        before = state(bot)
        reply = bot.say(text, as_=person)
        assert state(bot) == before
        assert reply.refs == refs
    finally:
        bot.close()


def test_a_status_answer_names_the_shares_and_the_latest_note(tmp_path):
    bot = make_bot(tmp_path, on=date(2020, 11, 28))
    try:
        bot.say("完成 3.4", as_="严众能")
        bot.say("进展 3.4 场地已落实", as_="林永禄")
        lines = bot.say("3.4完成了吗").text.splitlines()
        assert lines[0] == "3.4 举办第4届市青少年机器人竞赛：已逾期151天（1/2）（上半年·6月30日）"
        assert lines[1] == "林永禄未完成、严众能已完成"
        assert lines[2] == "　最新进展（11月28日 林永禄）：场地已落实"
    finally:
        bot.close()


def test_a_note_is_withdrawn_by_its_author_only_and_the_trail_keeps_it(tmp_path):
    bot = make_bot(tmp_path, on=date(2020, 9, 10))
    try:
        assert bot.say("进展 3.1 巡展已完成长汀站", as_="严众能").text == "已记下 3.1 的进展，发“3.1”可查看。"
        assert bot.say("撤销进展 3.1", as_="林丽").text == "你在 3.1 没有可撤回的进展。"
        assert "巡展已完成长汀站" in bot.say("3.1").text
        reply = bot.say("撤销进展 3.1", as_="严众能")
        assert reply.text == "已撤回你在 3.1 的进展：“巡展已完成长汀站”。记录里会留下这次撤回。"
        detail = bot.say("3.1").text
        assert "巡展已完成长汀站" not in detail
        assert "· 2020-09-10 10:00 严众能撤回进展" in detail.splitlines()
        [event] = bot.store._rows("SELECT * FROM events WHERE kind = 'note.withdrawn'")
        assert event["actor"] == "严众能" and json.loads(event["before"])["note"] == "巡展已完成长汀站"
        # The row stays (nothing is deleted), marked with when it was taken back.
        assert bot.store._rows("SELECT person, text, withdrawn_at FROM notes") == [
            {"person": "严众能", "text": "巡展已完成长汀站", "withdrawn_at": "2020-09-10T10:00:00+08:00"}]
        assert bot.say("撤销进展 3.1", as_="严众能").text == "你在 3.1 没有可撤回的进展。"
    finally:
        bot.close()


def test_a_bare_complete_never_closes_an_ongoing_task(tmp_path):
    bot = make_bot(tmp_path, on=date(2020, 9, 10))
    try:
        before = state(bot)
        message = Message(platform="local", chat_id="local", sender_id="严众能", person="严众能", text="完成",
                          msg_id=f"local-{uuid.uuid4().hex}", received_at=bot.clock.now(),
                          quoted_text="3.1 开展科普大篷车老区行、中国流动科技馆巡展活动｜全年开展")
        reply = bot.answer(message)
        assert reply.text == ("3.1（开展科普大篷车老区行、中国流动科技馆巡…）是全年开展的任务，只报“完成”不会办结它。"
                              "确实完成了请发“完成 3.1”。")
        assert state(bot) == before
        assert bot.say("完成 3.1", as_="严众能").text.startswith("3.1 已全部完成，办结。")
    finally:
        bot.close()


def test_an_unknown_ref_is_never_completed(tmp_path):
    bot = make_bot(tmp_path)
    try:
        before = state(bot)
        assert bot.say("完成 9.9", as_="严众能").text.startswith("没有编号为 9.9 的任务")
        assert state(bot) == before
    finally:
        bot.close()
