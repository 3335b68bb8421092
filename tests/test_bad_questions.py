"""Bad input to the question path (issue 12 "Bad input"): a long paste, only punctuation or
emoji, many names at once, control characters — always an answer, never an error, nothing
written. How fast is measured in bench/questions.py, not here."""

from __future__ import annotations

import pytest

from tests.conftest import make_bot

PEOPLE = ["严众能", "林丽", "林永禄", "梁伟坚", "钟晓鹏", "童聪良", "徐锦清", "陈家国"]


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    bot = make_bot(tmp_path_factory.mktemp("bad"))
    yield bot
    bot.close()


def test_a_2000_character_paste_is_not_understood(bot):
    paste = ("关于印发《龙岩市科协2020年度工作要点》的通知，各县（市、区）科协、机关各部室：" * 60)[:2000]
    reply = bot.say(paste)
    assert reply.text.startswith("没看懂“关于印发《龙岩市科协2020年度工作要…”。") and reply.refs == []
    assert len(reply.text) < 4000


@pytest.mark.parametrize("text", ["，，，。。。！！！", "？？？", "🙂🙂🙂", "👍🏻🎉", "……", "\u200b\u3000", "@@@"])
def test_punctuation_or_emoji_gets_usage(bot, text):
    reply = bot.say(text)
    assert reply.refs == []
    assert "可以这样问我" in reply.text or reply.text == "好的。有事随时 @督办助手。"


def test_many_names_in_one_question(bot):
    reply = bot.say("、".join(PEOPLE[i % len(PEOPLE)] for i in range(60)) + "负责什么")  # under 300 characters
    lines = reply.text.splitlines()
    assert lines[0] == "严众能负责的任务（5项）："
    assert "陈家国没有作为责任人的任务，以下是其牵头的任务（13项）：" in lines


def test_five_hundred_names_in_one_message_are_a_paste(bot):
    reply = bot.say("、".join(PEOPLE[i % len(PEOPLE)] for i in range(500)) + "负责什么")
    assert reply.refs == [] and reply.text.startswith("没看懂“严众能、林丽、林永禄、")


def test_five_hundred_unknown_names_and_words(bot):
    reply = bot.say("王建国、" * 500)
    assert reply.refs == [] and reply.text.startswith("没看懂")


def test_control_characters_and_odd_unicode(bot):
    assert bot.say("严众能\u0002负责什么").refs == ["2.8", "3.1", "3.4", "3.6", "3.8"]
    assert bot.say("\ud800完成情况").refs == []
