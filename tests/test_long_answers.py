"""Long answers fit each platform's message (bot/platforms/sizes.py): the 智能机器人 stream at
20480 bytes, the WeCom app at 2048 (passive: cut with a tail; pushed: several messages),
DingTalk's sessionWebhook at 20000 — cut between items, never dropped whole, on real answers
of the bundled plan (35 tasks)."""

from __future__ import annotations

import asyncio
import threading
from datetime import date

import httpx
import pytest

from bot.platforms import sizes
from tests import wecom_peer as peer
from tests.conftest import make_bot
from tests.recorder import Recorder
from tests.test_dingtalk import SECRET, documented_sign, http_bot, now_ms, post, robot_message
from tests.test_wecom import CORP, KEY, TOKEN, _gettoken_and_record, aibot_reply, app_reply, wecom_bot

ALL_REFS = " ".join(f"{a}.{b}" for a, n in [(1, 7), (2, 8), (3, 8), (4, 6), (5, 6)] for b in range(1, n + 1))
NOTE = "已组织各县（市、区）科协逐项对照任务清单推进落实，" * 30  # 750 characters, under MAX_NOTE
YAN = ["2.8", "3.1", "3.4", "3.6", "3.8"]


def tail(more: int) -> str:
    return f"……还有 {more} 条没有显示，请缩小范围再问（如加上月份、姓名或编号）。"


def with_notes(bot):
    """严众能 writes a long progress note on each of their five tasks: the details of all 35 tasks
    then take 26,086 bytes, more than a 智能机器人 stream carries."""
    for ref in YAN:
        assert bot.say(f"进展 {ref} {NOTE}", as_="严众能").text == f"已记下 {ref} 的进展，发“{ref}”可查看。"
    return bot


def app_xml(text: str, msg_id: str) -> str:
    return ("<xml><ToUserName><![CDATA[ww0000demo0000corp]]></ToUserName><FromUserName><![CDATA[YanZhongNeng]]>"
            "</FromUserName><CreateTime>1795917600</CreateTime><MsgType><![CDATA[text]]></MsgType><Content>"
            f"<![CDATA[{text}]]></Content><MsgId>{msg_id}</MsgId><AgentID>1000002</AgentID></xml>")


# -- the one cutting function ------------------------------------------------------------------


def test_the_35_task_list_is_cut_at_a_line_to_2048_bytes_with_how_many_are_left(tmp_path):
    bot = make_bot(tmp_path)
    answer = bot.say("所有任务", as_="严众能").text
    lines = answer.splitlines()
    assert (sizes.size(answer), len(lines), lines[0]) == (3635, 36, "任务（35项）：")
    cut = sizes.fit(answer, 2048, lambda more: sizes.tail(bot.render, more))
    assert sizes.size(cut) == 2026
    assert cut.splitlines() == [*lines[:20], tail(16)]  # the heading, 19 tasks, and the 16 not shown
    assert sizes.fit(answer, 3635, tail) == answer  # what fits is never touched


def test_the_details_of_all_35_tasks_are_cut_between_tasks(tmp_path):
    bot = with_notes(make_bot(tmp_path))
    answer = bot.say(ALL_REFS, as_="严众能").text
    blocks = answer.split("\n\n")
    assert (sizes.size(answer), len(blocks)) == (26086, 33)
    cut = sizes.fit(answer, sizes.WECOM_AIBOT_STREAM, tail)
    assert sizes.size(cut) == 18448
    assert cut == "\n\n".join(blocks[:22]) + "\n" + tail(11)  # 22 tasks whole, none cut in half


def test_one_line_longer_than_the_message_is_cut_at_a_character():
    text = "查" * 1000 + "\n第二行"  # 3000 bytes in its first line
    cut = sizes.fit(text, 2048, tail)
    assert sizes.size(cut) == 2048 - (2048 - sizes.size(tail(2)) - 1) % 3
    assert cut.splitlines() == ["查" * ((2048 - sizes.size(tail(2)) - 1) // 3), tail(2)]


def test_split_keeps_every_line_when_the_parts_allow():
    text = "\n".join(f"{n}. " + "任务内容" * 20 for n in range(1, 41))  # 40 lines of 243 or 244 bytes
    parts = sizes.split(text, 2048, parts=5, tail=tail)
    assert [sizes.size(p) for p in parts] == [1951, 1958, 1959, 1959, 1959]  # 8 lines each
    assert "\n".join(parts) == text
    fewer = sizes.split(text, 2048, parts=3, tail=tail)
    assert "\n".join(fewer[:2]) == "\n".join(text.splitlines()[:16])
    assert fewer[2].splitlines()[-1] == tail(24 - len(fewer[2].splitlines()) + 1)


# -- over real HTTP ------------------------------------------------------------------------------


def test_an_aibot_stream_reply_is_cut_to_20480_bytes(tmp_path, serve):
    bot = with_notes(wecom_bot(tmp_path))
    base = serve(bot)
    message = {"msgid": "long-1", "aibotid": "AIBOT", "chatid": "wrkGROUP", "chattype": "group",
               "from": {"userid": "YanZhongNeng"}, "response_url": "http://127.0.0.1:9/none", "msgtype": "text",
               "text": {"content": f"@督办助手 {ALL_REFS}"}}
    query, body = peer.aibot_post(message, TOKEN, KEY)
    reply = aibot_reply(httpx.post(f"{base}/wecom/aibot", params=query, content=body, timeout=10))
    content = reply["stream"]["content"]
    assert sizes.size(content) == 18448
    assert content.startswith("【1.1】") and content.splitlines()[-1] == tail(11)


def test_an_app_passive_reply_shows_what_fits_of_the_35_tasks(tmp_path, serve):
    bot = wecom_bot(tmp_path)
    base = serve(bot)
    query, body = peer.app_post(app_xml("所有任务", "7459000000000001001"), TOKEN, KEY, CORP)
    content = app_reply(httpx.post(f"{base}/wecom/app", params=query, content=body, timeout=10))["Content"]
    lines = content.splitlines()
    assert (sizes.size(content), len(lines)) == (2026, 21)
    whole = make_bot(tmp_path / "again").say("所有任务", as_="严众能").text.splitlines()
    assert lines == [*whole[:20], tail(16)]  # not "内容较长" alone: the heading and 19 tasks


def test_a_late_app_answer_goes_out_whole_in_two_messages(tmp_path, serve):
    with Recorder(_gettoken_and_record) as api:
        bot = wecom_bot(tmp_path, wecom={"reply_deadline_s": 0.2, "api_base": api.url})
        released = threading.Event()
        answer = bot.answer

        def slow(message):
            released.wait(10)
            return answer(message)
        bot.answer = slow
        base = serve(bot)
        query, body = peer.app_post(app_xml("所有任务", "7459000000000001002"), TOKEN, KEY, CORP)
        first = httpx.post(f"{base}/wecom/app", params=query, content=body, timeout=10)
        assert (first.status_code, first.content) == (200, b"")  # past the deadline: pushed when ready
        released.set()
        sends = [r for r in api.wait_for(3) if r.path == "/cgi-bin/message/send"]
    texts = [r.json["text"]["content"] for r in sends]
    assert [sizes.size(t) for t in texts] == [2015, 1619]
    assert "\n".join(texts) == make_bot(tmp_path / "again").say("所有任务", as_="严众能").text
    assert all(r.json["touser"] == "YanZhongNeng" for r in sends)


def test_a_dingtalk_answer_is_cut_to_20000_bytes_with_the_at_line(tmp_path, serve):
    bot = with_notes(http_bot(tmp_path))
    with Recorder() as session:
        base = serve(bot)
        ts = now_ms(bot)
        response = post(base, robot_message(f"@督办助手 {ALL_REFS}", session.url + "/robot/sendBySession?s=1"),
                        ts, documented_sign(SECRET, ts))
        assert response.status_code == 200
        [sent] = session.wait_for(1)
    content = sent.json["text"]["content"]
    assert sizes.size(content) == 18456  # "@yzn001\n" and the same 22 tasks as the stream
    assert content.startswith("@yzn001\n【1.1】") and content.splitlines()[-1] == tail(11)


@pytest.mark.parametrize("limit", [sizes.WECOM_APP_TEXT, sizes.WECOM_AIBOT_STREAM, sizes.DINGTALK_TEXT])
def test_every_cut_is_within_its_limit(limit, tmp_path):
    bot = with_notes(make_bot(tmp_path, on=date(2020, 11, 2)))
    for question in (ALL_REFS, "所有任务", "严众能负责什么"):
        assert sizes.size(sizes.fit(bot.say(question, as_="严众能").text, limit, tail)) <= limit


def test_a_dingtalk_push_over_20000_bytes_is_cut_keeping_its_mentions_and_keyword(tmp_path):
    from bot.platforms import Outgoing
    from bot.platforms.dingtalk import DingTalkPlatform
    from tests.test_dingtalk import _push_bot

    with Recorder() as robot:
        bot = with_notes(_push_bot(tmp_path, robot.url + "/robot/send?access_token=t", keyword="督办"))
        answer = bot.say(ALL_REFS, as_="严众能").text
        push = Outgoing("科协工作群", answer, mentions=["严众能"])
        assert asyncio.run(DingTalkPlatform(bot).send(push)).ok
    text = robot.requests[0].json["text"]["content"]
    assert sizes.size(text) == 18446  # on 2026-11-29 (this bot's day) each state line reads differently
    # the @ and the keyword the robot needs come after what was kept
    assert text.startswith("【1.1】") and text.splitlines()[-5:] == [tail(12), "", "@yzn001", "", "督办"]
