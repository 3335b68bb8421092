"""Answers shaped to the question (issue 12 item 4, DESIGN §4 "also asked"): who names the lead
and owners, when gives the phrase as written, the date and the days, count gives the number
first, a slip says whom it took, an unplaced word is named, a split match is asked about."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import make_bot, refs


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    bot = make_bot(tmp_path_factory.mktemp("answers"), on=date(2020, 9, 10))
    yield bot
    bot.close()


def test_who_names_lead_and_owners_of_each_task(bot):
    assert bot.say("机器人比赛谁负责").text.splitlines() == [
        "内容含“机器人、竞赛”的任务（2项）：",
        "3.4 举办第4届市青少年机器人竞赛｜上半年·6月30日｜已逾期72天",
        "　牵头：徐锦清；责任人：林永禄、严众能",
        "3.5 承办第18届省青少年机器人竞赛｜上半年·6月30日｜已逾期72天",
        "　牵头：徐锦清；责任人：林永禄",
    ]


def test_when_gives_the_phrase_the_date_and_the_days(bot):
    assert bot.say("学术年会什么时候截止").text.splitlines() == [
        "4.3 办好第18届市科协学术年会", "　完成时间：10月底前（2020年10月31日），还有51天"]
    assert bot.say("科技工作者日是哪天").text.splitlines() == [
        "1.7 举办5.30全国科技工作者日系列活动，召开科技工作者座谈会…",
        "　完成时间：上半年（2020年6月30日），已逾期72天", "　时间节点：5.30（5月30日）"]
    assert bot.say("三长制那个要弄到什么时候").text.splitlines()[1] == "　完成时间：全年开展（全年推进，年底12月31日）"


def test_count_gives_the_number_first(bot):
    assert bot.say("一共多少项任务").text == "龙岩市科协2020年度工作要点一共35项：已完成0项；逾期5项；全年开展25项。"
    assert bot.say("学会部有几项").text == "涉及学会部的任务一共15项。"  # too long to list
    assert bot.say("逾期几项").text.splitlines()[0] == "逾期未完成的任务一共5项："
    assert bot.say("完成时间写12月底前的有几个").text.splitlines()[0] == "完成时间写“12月底前”的任务一共2项："


def test_a_slip_says_whom_it_took_and_two_candidates_are_asked(bot):
    lines = bot.say("严中能负责啥").text.splitlines()
    assert lines[0] == "按 严众能 回答（你写的是“严中能”）。"
    assert refs(bot.say("严中能负责啥").text) == ["2.8", "3.1", "3.4", "3.6", "3.8"]
    assert bot.say("严主任负责什么").text == "你是指 严众能 还是 严旺龙？请写全名，如“严众能负责什么”。"
    assert bot.say("王建国负责什么").text.startswith("计划里没有叫“王建国”的人")


def test_words_not_used_are_named_and_a_split_match_is_asked(bot):
    assert bot.say("严众能 预算").text.splitlines()[-1] == "没有用上：预算。"
    assert bot.say("机器人大会").text.splitlines() == [
        "“机器人大会”对应的任务不止一项，你是指以下哪项？",
        "5.1 召开市科协第五次代表大会，落实好代表、委员、常委等结构比例…",
        "3.4 举办第4届市青少年机器人竞赛。",
        "3.5 承办第18届省青少年机器人竞赛。",
        "请回复编号，或说得更具体些。",
    ]


def test_two_topics_joined_are_each_answered(bot):
    assert refs(bot.say("科普日和科技工作者日分别是谁负责").text) == ["1.7", "3.2"]


def test_a_deadline_in_a_question_counts_from_today(bot):
    text = bot.say("国庆前要完成的").text
    assert refs(text) == ["3.2"]
    assert "另有5项已逾期未完成，发“逾期”查看。" in text
