"""Kill the bot at every commit boundary (issue 13 "One transaction per fact").

A kill -9 leaves the store file as its last commit left it (``synchronous=FULL``), so a copy of
the store taken right after each commit (SQLite's backup, inside the commit's lock) is the file
a restart would find. For each such copy, and for a kill just before the first commit, a fresh
bot is started on it and does what a restart does; then the pushes and answers of the first
life and of the restart are counted together:

- a day's tick and its delivery: every digest delivered once; a kill between a robot's errcode
  0 and its record is the one window for a second delivery (README "Exactly once?");
- a 完成 through the WeCom AI-bot callback: the task closed once, one confirmation seen, whether
  WeCom's retry comes (the first answer never left) or not (it did).
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, time

import httpx
import pytest

from bot.clock import SHANGHAI, FrozenClock
from bot.config import PROJECT_DIR, parse_config
from bot.platforms.dingtalk import DingTalkPlatform
from bot.platforms.wecom_push import GroupRobot
from bot.runtime import Bot
from bot.store import Store
from reminders.scheduler import ReminderService
from tests import wecom_peer as peer
from tests.conftest import make_bot
from tests.recorder import Recorder
from tests.test_wecom import CORP, KEY, PEER_TIME, TOKEN, signed_at

DAY = date(2020, 11, 27)  # the seed's digest: 3.3 due in three days, 3.2 overdue


@dataclass
class Snapshot:
    """The store file right after one commit, and what had left the process by then."""

    path: object
    pushes: dict[str, int]  # robot → requests it had answered


class Commits:
    """The copies taken after each commit while ``active``; ``note()`` says what had left the process."""

    def __init__(self):
        self.taken: list[Snapshot] = []
        self.active = False
        self.note = dict


@pytest.fixture
def commits(monkeypatch, tmp_path) -> Commits:
    """Every commit of every store from now on is followed by a copy of its file (taken under the
    commit's lock, so nothing else writes in between)."""
    seen = Commits()
    real_end = Store._end

    def end(self, commit: bool, sync: bool) -> None:
        with self._lock:  # still held by this thread after _end releases its own hold
            real_end(self, commit, sync)
            if commit and seen.active:
                path = tmp_path / f"after-commit-{len(seen.taken) + 1}.db"
                target = sqlite3.connect(str(path))
                self.db.conn.backup(target)
                target.close()
                seen.taken.append(Snapshot(path, seen.note()))

    monkeypatch.setattr(Store, "_end", end)
    return seen


def _two_robots(tmp_path, database, wecom: Recorder, dingtalk: Recorder, clock: datetime) -> Bot:
    config = parse_config({
        "bot": {"database": str(database)},
        "chats": [{"name": "企业微信群", "platform": "wecom", "webhook": wecom.url + "/cgi-bin/webhook/send?key=k"},
                  {"name": "钉钉群", "platform": "dingtalk", "webhook": dingtalk.url + "/robot/send?access_token=t",
                   "secret": "SECtest"}],
        "people": {"林永禄": {"wecom": "LinYongLu", "dingtalk": "lyl01"}}}, "test", PROJECT_DIR, env={})
    bot = Bot(config, FrozenClock(clock))
    bot.ensure_plan()
    return bot


def _serve_the_day(bot: Bot) -> None:
    """What ``duban serve`` does on DAY after 09:00: the start-up catch-up tick and its delivery,
    then the delivery job every 30 seconds for four minutes."""
    async def run():
        robot, dingtalk = GroupRobot(bot.config, bot.clock), DingTalkPlatform(bot)
        service = ReminderService(bot, {"wecom": robot.send, "dingtalk": dingtalk.send})
        if service.due_at_start():
            await service.tick()
        for _ in range(8):  # a leased row's lease (2 minutes) runs out in between
            bot.clock.advance(seconds=30)
            await service.deliver()
        await robot.http.aclose()
        await dingtalk.http.aclose()
    asyncio.run(run())


def test_a_kill_at_any_commit_of_a_tick_loses_nothing_and_repeats_at_most_the_push_being_recorded(
        tmp_path, commits):
    with Recorder() as wecom, Recorder() as dingtalk:
        first = _two_robots(tmp_path, tmp_path / "live.db", wecom, dingtalk, datetime(2020, 11, 27, 9, 0,
                                                                                          tzinfo=SHANGHAI))
        before = tmp_path / "before-tick.db"
        shutil.copy(tmp_path / "live.db", before)
        commits.note = lambda: {"wecom": len(wecom.requests), "dingtalk": len(dingtalk.requests)}
        commits.active = True
        _serve_the_day(first)
        commits.active = False
        first.close()
        lived = {"wecom": len(wecom.requests), "dingtalk": len(dingtalk.requests)}
    assert lived == {"wecom": 1, "dingtalk": 1}
    # The tick's one commit, then for each robot: the lease, then "sent" (nothing else commits).
    assert len(commits.taken) == 5
    points = [Snapshot(before, {"wecom": 0, "dingtalk": 0}), *commits.taken]
    # Killed after a lease, the push may or may not have left before the kill: both are points.
    kills = [(point, point.pushes) for point in points]
    for index in (2, 4):  # after each lease commit: the robot answered 0, the record never came
        leased, sent_next = points[index], points[index + 1].pushes
        kills.append((leased, sent_next))
    duplicates = []
    with Recorder() as wecom, Recorder() as dingtalk:
        for number, (point, pushed_before) in enumerate(kills):
            copy = tmp_path / f"restart-{number}.db"
            shutil.copy(point.path, copy)
            already = {"wecom": len(wecom.requests), "dingtalk": len(dingtalk.requests)}
            restarted = _two_robots(tmp_path, copy, wecom, dingtalk, datetime(2020, 11, 27, 9, 20, tzinfo=SHANGHAI))
            _serve_the_day(restarted)
            restarted.close()
            total = {"wecom": pushed_before["wecom"] + len(wecom.requests) - already["wecom"],
                     "dingtalk": pushed_before["dingtalk"] + len(dingtalk.requests) - already["dingtalk"]}
            assert set(total.values()) <= {1, 2} and min(total.values()) == 1, (point.path.name, total)
            duplicates.append(sum(total.values()) - 2)
    # A second delivery happens only in the two kills between errcode 0 and its record.
    assert duplicates == [0, 0, 0, 0, 0, 0, 1, 1]


def _complete_callback(msgid: str) -> tuple[dict, bytes]:
    message = {"msgid": msgid, "aibotid": "AIBOT", "chatid": "wrGROUP", "chattype": "group",
               "from": {"userid": "LinYongLu"}, "response_url": "", "msgtype": "text",
               "text": {"content": "@督办助手 完成 3.3"}}
    return peer.aibot_post(message, TOKEN, KEY, timestamp=PEER_TIME)


def _wecom_bot(database, on: date = DAY) -> Bot:
    config = parse_config({"bot": {"database": str(database)},
                           "wecom": {"aibot": {"token": TOKEN, "encoding_aes_key": KEY}, "corp_id": CORP},
                           "people": {"林永禄": {"wecom": "LinYongLu"}}}, "test", PROJECT_DIR, env={})
    bot = Bot(config, FrozenClock(datetime.combine(on, time(10, 0), tzinfo=SHANGHAI), instant=signed_at(PEER_TIME)))
    bot.ensure_plan()
    return bot


def _stream_text(response: httpx.Response) -> str | None:
    """The answer a passive reply carries, or None for an empty acknowledgement."""
    import json

    if not response.content:
        return None
    envelope = response.json()
    plain, _ = peer.decrypt(envelope["encrypt"], KEY)
    return json.loads(plain)["stream"]["content"]


CONFIRMED = "3.3 林永禄已完成，进度 1/2，待：童聪良"


def _closed_once(bot: Bot) -> bool:
    plan = bot.store.plans()[0]
    events = [e.kind for e in bot.store.history(plan.id, "3.3")]
    share = next(s for s in bot.store.task(plan.id, "3.3").shares if s.owner == "林永禄")
    return share.done and events.count("share.completed") == 1


def test_a_kill_at_any_commit_of_a_completion_leaves_it_applied_once_and_answered_once(tmp_path, commits, serve):
    live = tmp_path / "live.db"
    first = _wecom_bot(live)
    before = tmp_path / "before.db"
    shutil.copy(live, before)
    query, body = _complete_callback("done-1")
    commits.active = True
    base = serve(first)
    answer = _stream_text(httpx.post(f"{base}/wecom/aibot", params=query, content=body, timeout=10))
    first.writer.close()  # the passive reply's "delivered" mark is committed after the answer left
    commits.active = False
    assert answer == CONFIRMED
    # One group commit (claim, share, event, withdrawals, answer), then the "passive" mark.
    assert len(commits.taken) == 2
    # (the store a restart finds, whether the first answer reached WeCom, how often WeCom posts again):
    # no answer, no 200 → WeCom retries; the answer out → it does not, or, after the mark, a late copy.
    cases = [(before, False, 1), (commits.taken[0].path, False, 1), (commits.taken[0].path, True, 0),
             (commits.taken[1].path, True, 2)]
    for number, (point, answered, retries) in enumerate(cases):
        copy = tmp_path / f"restart-{number}.db"
        shutil.copy(point, copy)
        restarted = _wecom_bot(copy)
        seen = [answer] if answered else []
        base = serve(restarted)
        for _ in range(retries):
            reply = _stream_text(httpx.post(f"{base}/wecom/aibot", params=query, content=body, timeout=10))
            if reply is not None:
                seen.append(reply)
        assert seen == [CONFIRMED], (number, seen)
        assert _closed_once(restarted), number


def test_a_message_whose_answer_failed_is_not_left_claimed_and_silent(tmp_path, serve):
    bot = _wecom_bot(tmp_path / "duban.db")
    answer = bot.answer
    calls = []

    def fails_once(message):
        calls.append(message.text)
        if len(calls) == 1:
            raise RuntimeError("the disk hiccuped")
        return answer(message)

    bot.answer = fails_once
    base = serve(bot)
    query, body = _complete_callback("flaky-1")
    first = httpx.post(f"{base}/wecom/aibot", params=query, content=body, timeout=10)
    assert (first.status_code, first.content) == (200, b"")  # acknowledged; nothing recorded
    assert list(bot.store.read("SELECT * FROM inbound")) == []
    retry = _stream_text(httpx.post(f"{base}/wecom/aibot", params=query, content=body, timeout=10))
    assert retry == CONFIRMED and _closed_once(bot)


def test_two_senders_with_one_msgid_each_get_their_own_answer_every_time(tmp_path, serve):
    bot = make_bot(tmp_path, instant=signed_at(PEER_TIME), wecom={
        "aibot": {"token": TOKEN, "encoding_aes_key": KEY}},
        people={"严众能": {"wecom": "YanZhongNeng"}, "林永禄": {"wecom": "LinYongLu"}})
    base = serve(bot)
    mine = {"YanZhongNeng": "严众能", "LinYongLu": "林永禄"}
    expected = {user: bot.say("我的任务", as_=name).text for user, name in mine.items()}
    assert expected["YanZhongNeng"] != expected["LinYongLu"]

    async def fifty_times() -> list[dict[str, str]]:
        async with httpx.AsyncClient(base_url=base, timeout=10) as client:
            async def ask(user: str, run: int) -> tuple[str, str]:
                query, body = peer.aibot_post({"msgid": f"same-{run}", "chatid": "wrGROUP", "chattype": "group",
                                               "from": {"userid": user}, "msgtype": "text",
                                               "text": {"content": "@督办助手 我的任务"}}, TOKEN, KEY,
                                              timestamp=PEER_TIME, nonce=f"{user}{run}")
                return user, _stream_text(await client.post("/wecom/aibot", params=query, content=body))
            return [dict(await asyncio.gather(*(ask(user, run) for user in mine))) for run in range(50)]

    answers = asyncio.run(fifty_times())
    assert answers == [expected] * 50
    rows = list(bot.store.read("SELECT sender_id, COUNT(*) AS n FROM inbound GROUP BY sender_id"))
    assert rows == [{"sender_id": "LinYongLu", "n": 50}, {"sender_id": "YanZhongNeng", "n": 50}]
