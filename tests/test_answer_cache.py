"""Answers from memory (issue 3: "the plan is read-mostly, so answers may come from memory that a
write invalidates"): a question asked again is not worked out again, and any write to the plan
data, by this process or another one on the same file, is seen by the next answer."""

from __future__ import annotations

from datetime import date

import handlers
from tests.conftest import make_bot


def status_line(text: str) -> str:
    return next(line for line in text.splitlines() if line.startswith("状态："))


def counting_dispatch(monkeypatch) -> list[str]:
    calls: list[str] = []
    real = handlers.dispatch

    def dispatch(store, message, **kwargs):
        calls.append(message.text)
        return real(store, message, **kwargs)

    monkeypatch.setattr("bot.runtime.dispatch", dispatch)
    return calls


def test_a_question_asked_again_is_answered_from_memory(tmp_path, monkeypatch):
    bot = make_bot(tmp_path)
    calls = counting_dispatch(monkeypatch)
    first = bot.say("严众能负责什么", "林永禄")
    again = bot.say("严众能负责什么", "林永禄")
    assert again.text == first.text
    assert calls == ["严众能负责什么"]
    bot.say("严众能负责什么", "童聪良")  # another asker: "我的" answers differ by person
    assert len(calls) == 2


def test_a_completion_is_never_served_from_memory(tmp_path, monkeypatch):
    bot = make_bot(tmp_path)
    calls = counting_dispatch(monkeypatch)
    bot.say("完成 3.3", "林永禄")
    bot.say("完成 3.3", "林永禄")
    assert len(calls) == 2


def test_a_write_by_this_bot_is_seen_by_the_next_answer(tmp_path):
    bot = make_bot(tmp_path)
    assert status_line(bot.say("3.3").text) == "状态：进行中"
    bot.say("完成 3.3", "林永禄")
    bot.say("完成 3.3", "童聪良")
    assert status_line(bot.say("3.3").text) == "状态：已完成（11月2日 10:00办结）"


def test_a_write_by_another_process_on_the_same_file_is_seen(tmp_path):
    serving = make_bot(tmp_path, on=date(2020, 11, 2))
    assert status_line(serving.say("3.3").text) == "状态：进行中"
    cli = make_bot(tmp_path, on=date(2020, 11, 2))  # `duban ask "完成 3.3"` beside `duban serve`
    cli.say("完成 3.3", "林永禄")
    cli.say("完成 3.3", "童聪良")
    cli.close()
    assert status_line(serving.say("3.3").text) == "状态：已完成（11月2日 10:00办结）"


def test_the_cache_keys_on_what_is_read_and_is_bounded_in_bytes(tmp_path, monkeypatch):
    monkeypatch.setattr("bot.runtime.ANSWER_CACHE_BYTES", 60_000)
    bot = make_bot(tmp_path)
    calls = counting_dispatch(monkeypatch)
    paste = "机器人竞赛" + "。" * 100_000  # a paste: the handlers read its first 2,000 characters
    first = bot.say(paste)
    assert bot.say(paste + "后面不同").text == first.text and len(calls) == 1
    for n in range(300):
        bot.say(f"{n}月到期")
    assert bot._answers_bytes <= 60_000 and 0 < len(bot._answers) < 300


def test_in_flight_answers_are_forgotten_past_their_bound(tmp_path):
    import asyncio

    from bot.messages import Message
    from bot.platforms.deliveries import Deliveries

    bot = make_bot(tmp_path)
    deliveries = Deliveries(bot, "wecom", deadline_s=4, max_entries=3)

    async def push(reply):
        return True

    async def five() -> list:
        replies = []
        for n in range(5):
            message = Message("wecom", "wrG", f"u{n}", None, "3.3", "same-msgid", bot.clock.now())
            replies.append(await deliveries.answer(message.key, lambda m=message: m, push))
        return replies
    replies = asyncio.run(five())
    assert [r.text.splitlines()[0] for r in replies] == ["【3.3】举办第13届市青少年科技创新大赛。"] * 5
    assert len(deliveries) == 3
