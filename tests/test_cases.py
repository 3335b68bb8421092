"""The shared cases that belong to the foundation: bug09, bug18, bug07 (messages 7, 8), bug14 (part B)."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from bot.clock import SHANGHAI, FrozenClock
from bot.plan import read_plan
from bot.plan.rules.deadlines import parse_deadline
from tests.conftest import make_bot, refs
from tests.plans import case, tab_plan

BUG09 = case("bug09")
BUG18 = case("bug18")
BUG07 = case("bug07")


def test_bug09_invisible_blanks_and_roles_in_owner_cells(tmp_path):
    path = tab_plan(tmp_path / "p.txt", [BUG09["input"]["row"]])
    draft = read_plan(path)
    task = draft.tasks[0]
    assert task.owners == BUG09["expected"]["owners"]
    assert task.units == BUG09["expected"]["departments"]
    for name in task.owners:
        assert name and not any(ch in name for ch in "\u200b\u00a0\u3000 ")
    assert "县（市" not in task.owners and "区）科协主席" not in task.owners


@pytest.mark.parametrize("query", BUG09["input"]["queries"])
def test_bug09_every_query_finds_the_task(tmp_path, query):
    bot = make_bot(tmp_path, plan=tab_plan(tmp_path / "p.txt", [BUG09["input"]["row"]]), on=date(2027, 3, 1))
    assert refs(bot.say(query).text) == ["1.1"]


def _bug18_due(phrase: str) -> str:
    for key, value in BUG18["expected"].items():
        if phrase in [p.strip() for p in key.split("/")]:
            return value
    raise KeyError(phrase)


@pytest.mark.parametrize("phrase", BUG18["input"]["完成时间_values"])
def test_bug18_deadline_phrases(phrase):
    deadline = parse_deadline(phrase, BUG18["input"]["plan_year"])
    expected = _bug18_due(phrase)
    if phrase == "根据上级部署":
        assert deadline.due is None and deadline.text == phrase
    else:
        assert deadline.due == date.fromisoformat(expected[:10])
        assert deadline.ongoing == ("ongoing" in expected)


def test_bug18_february_in_a_leap_year():
    assert parse_deadline("2月底前", 2028).due == date(2028, 2, 29)


def test_bug18_an_unreadable_phrase_is_kept_reported_and_never_today(tmp_path):
    rows = [{"工作内容": f"任务{p}", "完成时间": p, "牵头领导": "吕文博", "责任人": "韩立新",
             "相关部室、单位": "科普部"} for p in BUG18["input"]["完成时间_values"]]
    path = tab_plan(tmp_path / "p.txt", rows, title="测试市科协2027年度工作要点")
    bot = make_bot(tmp_path, plan=path, on=date(2027, 5, 1))
    tasks = bot.store.tasks(bot.store.active_plan().id)
    assert len(tasks) == 15
    unread = [t for t in tasks if t.due is None]
    assert [(t.ref, t.deadline_text) for t in unread] == [("1.15", "根据上级部署")]
    report = bot.import_plan(path).report
    assert "完成时间无法识别：“根据上级部署”" in report
    assert refs(bot.say("今天到期").text) == []


BOT_NAME = BUG07["input"]["bot_display_name"]


def _bug07_bot(tmp_path):
    path = tab_plan(tmp_path / "p.txt", BUG07["input"]["baseline_table"])
    return make_bot(tmp_path, plan=path, on=date(2027, 3, 1), bot={"name": BOT_NAME})


def test_bug07_message_7_a_bare_mention_gets_help(tmp_path):
    bot = _bug07_bot(tmp_path)
    reply = bot.say(BUG07["input"]["messages"][6])
    assert reply.text.startswith(f"我是{BOT_NAME}")
    assert "小助手" not in reply.text.split("\n", 1)[1]  # not a lookup for a person called 督办 小助手
    assert reply.refs == []


def test_bug07_message_8_is_the_same_as_without_the_mention(tmp_path):
    bot = _bug07_bot(tmp_path)
    with_mention = bot.say(BUG07["input"]["messages"][7])
    assert with_mention.text == bot.say("林丽负责什么").text
    assert refs(with_mention.text) == ["1.1"]
    assert "组织开展全国科普日主题活动" in with_mention.text


def test_bug07_on_the_real_plan(tmp_path):
    bot = make_bot(tmp_path, bot={"name": BOT_NAME})
    for text in ("@督办 小助手 林丽负责什么", "@督办 小助手\u2005林丽负责什么", "林丽负责什么 @督办 小助手",
                 "@周晓岚 @督办 小助手 林丽负责什么"):
        assert refs(bot.say(text).text) == ["1.3", "1.4", "2.8", "3.9", "4.1", "4.2", "4.3", "4.4", "4.5",
                                            "4.6", "5.3"]
    assert bot.say("@督办 小助手").text.startswith(f"我是{BOT_NAME}")


def test_bug14_part_b_half_past_midnight_on_1_december_is_december(tmp_path):
    rows = [
        {"工作内容": "十一月的任务", "完成时间": "11月底前", "牵头领导": "吴振邦", "责任人": "韩立新"},
        {"工作内容": "十二月的任务", "完成时间": "12月底前", "牵头领导": "吴振邦", "责任人": "韩立新"},
    ]
    path = tab_plan(tmp_path / "p.txt", rows, title="测试市科协2026年度工作要点")
    bot = make_bot(tmp_path, plan=path, on=date(2026, 12, 1))
    # 2026-11-30 16:30 UTC: a host in UTC would call it November.
    bot.clock = FrozenClock(datetime(2026, 11, 30, 16, 30, tzinfo=timezone.utc), SHANGHAI)
    assert bot.clock.now().isoformat() == "2026-12-01T00:30:00+08:00"
    reply = bot.say("本月到期")
    assert refs(reply.text) == ["1.2"]
    assert refs(bot.say("逾期").text) == ["1.1"]
