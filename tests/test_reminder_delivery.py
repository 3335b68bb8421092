"""Ticks, claims, the outbox and the scheduler: never twice, never lost, on Beijing time
(issue "Reminders"; cases bug13, bug14, bug16, bug19, bug21). The clock is stepped, never slept."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import threading
from datetime import date, datetime, timedelta
from pathlib import Path

from bot.clock import SHANGHAI, FrozenClock
from bot.platforms.dingtalk import DingTalkPlatform
from bot.platforms.wecom_push import GroupRobot
from bot.store import outbox
from reminders.outbox import Sender
from reminders.scheduler import ReminderService
from reminders.tick import run_tick
from tests.conftest import make_bot
from tests.plans import tab_plan
from tests.recorder import Recorder

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOTS = Path(__file__).resolve().parent / "snapshots"


def at(bot, day: date, hour: int, minute: int = 0) -> None:
    bot.clock = FrozenClock(datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI))


def test_a_tick_run_twice_queues_once(bot):
    at(bot, date(2020, 11, 27), 9)
    first = run_tick(bot, date(2020, 11, 27))
    assert len(first) == 1
    assert run_tick(bot, date(2020, 11, 27)) == []
    [row] = outbox.rows(bot.store)
    assert (row.chat, row.refs, row.status) == ("本地群", ["3.3", "3.2"], "pending")


def _two_chat_bot(tmp_path, wecom_url: str, dingtalk_url: str, on: date = date(2020, 11, 27)):
    return make_bot(tmp_path, on=on, chats=[
        {"name": "企业微信群", "platform": "wecom", "webhook": wecom_url + "/cgi-bin/webhook/send?key=k"},
        {"name": "钉钉群", "platform": "dingtalk", "webhook": dingtalk_url + "/robot/send?access_token=t",
         "secret": "SECtest"}],
        people={"林永禄": {"wecom": "LinYongLu", "dingtalk": "lyl01"}})


def _deliver(bot) -> int:
    async def run():
        robot, dingtalk = GroupRobot(bot.config, bot.clock), DingTalkPlatform(bot)
        sender = Sender(bot, {"wecom": robot.send, "dingtalk": dingtalk.send})
        return await sender.deliver_due()
    return asyncio.run(run())


def test_bug13_two_processes_on_one_database_send_each_reminder_once(tmp_path):
    from bot.config import PROJECT_DIR, parse_config
    from bot.runtime import Bot

    with Recorder() as wecom, Recorder() as dingtalk:
        first = _two_chat_bot(tmp_path, wecom.url, dingtalk.url)
        second = Bot(parse_config({"bot": {"database": str(first.store.path)}, "chats": first.config.chats and [
            vars(c) for c in first.config.chats], "people": {"林永禄": {"wecom": "LinYongLu", "dingtalk": "lyl01"}}},
            "second", PROJECT_DIR, env={}))
        for bot in (first, second):
            at(bot, date(2020, 11, 27), 9)
        queued: list[list[int]] = []
        threads = [threading.Thread(target=lambda b=b: queued.append(run_tick(b, date(2020, 11, 27))))
                   for b in (first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        # Each chat's digest is claimed by one of them (they may share the two chats between them).
        assert sum(len(ids) for ids in queued) == 2 and len(outbox.rows(first.store)) == 2
        assert _deliver(first) + _deliver(second) == 2
        restarted = Bot(second.config)
        at(restarted, date(2020, 11, 27), 9, 30)
        assert run_tick(restarted, date(2020, 11, 27)) == [] and _deliver(restarted) == 0
    assert len(wecom.requests) == 1 and len(dingtalk.requests) == 1
    wecom_body = wecom.requests[0].json
    assert wecom_body["msgtype"] == "markdown"
    line = "3.3 举办第13届市青少年科技创新大赛｜11月30日到期，还有3天｜林永禄、童聪良"
    assert line in wecom_body["markdown"]["content"].splitlines()
    assert wecom_body["markdown"]["content"].endswith("<@LinYongLu>")
    assert dingtalk.requests[0].json["at"]["atUserIds"] == ["lyl01"]


def test_a_push_server_down_for_an_hour_then_back_delivers_everything_once(tmp_path):
    clock = {"now": None}
    down_until = datetime(2020, 11, 27, 10, 0, tzinfo=SHANGHAI)

    def flaky(request):
        return (503, {"errmsg": "down"}) if clock["now"]() < down_until else {"errcode": 0, "errmsg": "ok"}

    with Recorder(flaky) as wecom, Recorder(flaky) as dingtalk:
        bot = _two_chat_bot(tmp_path, wecom.url, dingtalk.url)
        at(bot, date(2020, 11, 27), 9)
        clock["now"] = bot.clock.now
        run_tick(bot, date(2020, 11, 27))
        delivered = 0
        for _ in range(4 * 60):  # two hours in steps of 30 s
            delivered += _deliver(bot)
            bot.clock.advance(seconds=30)
        ok = [r for r in wecom.requests + dingtalk.requests]
    assert delivered == 2
    assert [row.status for row in outbox.rows(bot.store)] == ["sent", "sent"]
    assert all(datetime.fromisoformat(row.sent_at) >= down_until for row in outbox.rows(bot.store))
    assert len(ok) < 30  # backoff, not hammering: 30 s doubling while it was down


def test_an_undeliverable_push_fails_after_24_hours_and_the_admins_are_told_in_the_other_chat(tmp_path):
    with Recorder(lambda request: (503, {"errmsg": "down"})) as wecom, Recorder() as dingtalk:
        bot = _two_chat_bot(tmp_path, wecom.url, dingtalk.url)
        at(bot, date(2020, 11, 27), 9)
        run_tick(bot, date(2020, 11, 27))
        for _ in range(26):
            _deliver(bot)
            bot.clock.advance(hours=1)
        _deliver(bot)  # the notice queued when the row failed
        statuses = {(row.chat, row.text.startswith("【督办助手")): row.status for row in outbox.rows(bot.store)}
        assert statuses == {("企业微信群", False): "failed", ("钉钉群", False): "sent", ("钉钉群", True): "sent"}
        told = [r.json for r in dingtalk.requests if r.json["msgtype"] == "text"]
    assert [t["text"]["content"] for t in told] == [
        "【督办助手·给管理员】有一条发往“企业微信群”的推送24小时未能送达，已停止重试。"
        "请检查该群机器人的配置（webhook、secret、关键词）；运行 duban outbox 可查看详情。"]


def _plan_2026(tmp_path):
    return tab_plan(tmp_path / "p.txt", [
        {"工作内容": "报送年度统计数据", "完成时间": "12月2日前", "牵头领导": "吴振邦", "责任人": "韩立新",
         "相关部室、单位": "办公室"}], title="测试市科协2026年度工作要点")


def _service(bot, sent: list) -> ReminderService:
    async def local(push):
        from bot.platforms import SendResult

        sent.append(push)
        return SendResult(True)
    return ReminderService(bot, {"local": local})


def _start(bot, sent) -> tuple[int, list]:
    async def run():
        service = _service(bot, sent)
        await service.start()
        jobs = service.scheduler.get_jobs()
        service.shutdown()
        return len(jobs), jobs
    return asyncio.run(run())


def test_bug16_scenario_1_a_start_after_the_tick_time_catches_up_once(tmp_path):
    bot = make_bot(tmp_path, plan=_plan_2026(tmp_path), on=date(2026, 12, 1))
    sent: list = []
    at(bot, date(2026, 12, 1), 8, 50)
    _start(bot, sent)
    assert sent == []
    at(bot, date(2026, 12, 1), 9, 20)
    _start(bot, sent)
    _start(bot, sent)
    assert [(p.refs, "还有1天" in p.text) for p in sent] == [(["1.1"], True)]


def test_bug16_scenario_2_missed_days_are_not_replayed(tmp_path):
    bot = make_bot(tmp_path, plan=_plan_2026(tmp_path), on=date(2026, 12, 1))
    sent: list = []
    at(bot, date(2026, 12, 3), 8, 0)
    _start(bot, sent)
    assert sent == []  # 12-01 and 12-02 were missed; nothing is replayed at 08:00

    async def nine_o_clock():
        service = _service(bot, sent)
        at(bot, date(2026, 12, 3), 9, 0)
        await service.tick()  # what the daily job runs at 09:00
    asyncio.run(nine_o_clock())
    assert len(sent) == 1 and sent[0].refs == ["1.1"]
    assert "12月2日到期，已逾期1天" in sent[0].text


def test_bug16_scenario_3_restarts_keep_the_jobs_and_push_nothing(tmp_path):
    bot = make_bot(tmp_path, plan=_plan_2026(tmp_path), on=date(2026, 12, 3))
    sent: list = []
    at(bot, date(2026, 12, 3), 10, 0)
    _start(bot, sent)
    assert len(sent) == 1
    counts = [_start(bot, sent)[0] for _ in range(3)]
    assert counts == [2, 2, 2] and len(sent) == 1


def test_bug14_the_tick_is_at_nine_beijing_time_on_a_utc_host(tmp_path):
    script = f"""
import asyncio, json, sys
sys.path.insert(0, {str(ROOT)!r})
from datetime import datetime
from zoneinfo import ZoneInfo
from bot.clock import FrozenClock
from bot.config import PROJECT_DIR, parse_config
from bot.runtime import Bot
from reminders.scheduler import ReminderService, tick_trigger
bot = Bot(parse_config({{"bot": {{"database": {str(tmp_path / "utc.db")!r}}}}}, "t", PROJECT_DIR, env={{}}),
          FrozenClock(datetime(2026, 11, 29, 12, 0, tzinfo=ZoneInfo("Asia/Shanghai"))))
trigger = tick_trigger(bot)
first = trigger.get_next_fire_time(None, bot.clock.now())
async def jobs():
    service = ReminderService(bot, {{}})
    await service.start()
    zones = [str(job.trigger.timezone) for job in service.scheduler.get_jobs()]
    service.shutdown()
    return zones
print(json.dumps({{"next": first.isoformat(), "utc": first.astimezone(ZoneInfo("UTC")).isoformat(),
                  "zones": asyncio.run(jobs()), "host": datetime.now().astimezone().tzname()}}))
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60,
                            env={"TZ": "UTC", "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["host"] == "UTC"
    assert answer["next"] == "2026-11-30T09:00:00+08:00"
    assert answer["utc"] == "2026-11-30T01:00:00+00:00"
    assert answer["zones"] == ["Asia/Shanghai", "Asia/Shanghai"]


def _bug19_plan(tmp_path):
    owners = [f"责任人{chr(0x4e00 + i)}" for i in range(25)]
    rows = [{"工作内容": f"第{i + 1}项：" + "推进科普信息化建设，整合各级科协及科学传播者资源开展应急科普宣传活动"[:55],
             "完成时间": "12月1日前", "牵头领导": "吴振邦", "责任人": owners[i % 25], "相关部室、单位": "科普部"}
            for i in range(60)]
    return tab_plan(tmp_path / "p.txt", rows, title="测试市科协2026年度工作要点")


def test_bug19_a_long_digest_is_split_and_robots_are_paced(tmp_path):
    path = _bug19_plan(tmp_path)
    now = {"clock": None}
    windows: dict[str, list[datetime]] = {"wecom": [], "dingtalk": []}
    answered = {"wecom": 0, "dingtalk": 0}

    def robot(kind: str, limited: int):
        def respond(request):
            moment = now["clock"]()
            answered[kind] += 1
            if answered[kind] <= 2:  # another system shares the robot
                return {"errcode": limited, "errmsg": "api freq out of limit"}
            recent = [t for t in windows[kind] if moment - t < timedelta(seconds=60)]
            if len(recent) >= 20:
                return {"errcode": limited, "errmsg": "too fast"}
            windows[kind].append(moment)
            if kind == "wecom" and len(request.json["markdown"]["content"].encode()) > 4096:
                return {"errcode": 40058, "errmsg": "markdown.content exceed max length 4096"}
            return {"errcode": 0, "errmsg": "ok"}
        return respond

    with Recorder(robot("wecom", 45009)) as wecom, Recorder(robot("dingtalk", 130101)) as dingtalk:
        bot = _two_chat_bot(tmp_path, wecom.url, dingtalk.url, on=date(2026, 12, 1))
        bot.import_plan(path)
        at(bot, date(2026, 12, 1), 9)
        now["clock"] = bot.clock.now
        run_tick(bot, date(2026, 12, 1))
        for _ in range(6 * 60):  # one hour in steps of 10 s
            _deliver(bot)
            bot.clock.advance(seconds=10)
        rows = outbox.rows(bot.store)
        wecom_bodies = [r.json for r in wecom.requests]
    assert {row.status for row in rows} == {"sent"}
    for chat in ("企业微信群", "钉钉群"):
        parts = [row for row in rows if row.chat == chat]
        assert len(parts) > 1
        assert [row.text.split("\n", 1)[0] for row in parts] == [f"（{i}/{len(parts)}）" for i in
                                                                  range(1, len(parts) + 1)]
        named = [ref for row in parts for ref in row.refs]
        assert sorted(named, key=lambda r: int(r.split(".")[1])) == [f"1.{i}" for i in range(1, 61)]
    assert all(len(body["markdown"]["content"].encode()) <= 4096 for body in wecom_bodies)
    for kind, times in windows.items():
        for i, moment in enumerate(times):
            assert len([t for t in times[i:] if t - moment < timedelta(seconds=60)]) <= 20, kind


def test_bug21_markdown_keeps_the_characters_and_dingtalk_breaks_lines(tmp_path):
    rows = [{"工作内容": '推动"科创中国"平台建设，会员覆盖率>90%，落实A&B两类试点<重点>', "完成时间": "12月底前",
             "牵头领导": "吴振邦", "责任人": "韩立新"},
            {"工作内容": "开展科技志愿服务活动", "完成时间": "12月底前", "牵头领导": "吴振邦", "责任人": "韩立新"}]
    path = tab_plan(tmp_path / "p.txt", rows, title="测试市科协2026年度工作要点")
    with Recorder() as wecom, Recorder() as dingtalk:
        bot = _two_chat_bot(tmp_path, wecom.url, dingtalk.url, on=date(2026, 12, 24))
        bot.import_plan(path)
        at(bot, date(2026, 12, 24), 9)
        run_tick(bot, date(2026, 12, 24))
        _deliver(bot)
        payloads = {"wecom": wecom.requests[0].json, "dingtalk": dingtalk.requests[0].json}
    for payload in payloads.values():
        text = json.dumps(payload, ensure_ascii=False)
        assert '"科创中国"' in text.replace('\\"', '"') and ">90%" in text and "A&B" in text and "<重点>" in text
        assert not any(entity in text for entity in ("&quot;", "&gt;", "&amp;", "&lt;", "&#34;"))
    dingtalk_text = payloads["dingtalk"]["markdown"]["text"]
    assert "韩立新  \n1.2 开展科技志愿服务活动" in dingtalk_text
    for name, payload in payloads.items():
        snapshot = SNAPSHOTS / f"bug21_{name}.json"
        if os.environ.get("DUBAN_UPDATE_SNAPSHOTS"):  # then read the new file before committing it
            snapshot.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        assert payload == json.loads(snapshot.read_text(encoding="utf-8")), f"{snapshot} differs"


def _feed_after_start(bot, **options) -> list[dict]:
    """The local chat feed right after the app (with its scheduler) has started."""
    from bot.web import create_app

    async def run():
        app = create_app(bot, reminders=True, **options)
        async with app.router.lifespan_context(app):
            return list(app.state.local.feed)
    return asyncio.run(run())


def test_serve_with_today_pushes_that_days_digest_into_the_local_feed(tmp_path):
    feed = _feed_after_start(make_bot(tmp_path, on=date(2020, 11, 27)))
    assert len(feed) == 1
    assert feed[0]["refs"] == ["3.3", "3.2"]
    assert feed[0]["text"].startswith("【督办提醒】11月27日 星期五")
    assert feed[0]["text"].endswith("@林永禄 @童聪良")


def test_serve_of_the_bundled_plan_today_pushes_nothing(tmp_path):
    assert _feed_after_start(make_bot(tmp_path, on=date(2026, 11, 30))) == []


def test_serve_today_before_nine_still_pushes_the_demo_day(tmp_path):
    bot = make_bot(tmp_path, on=date(2020, 11, 27))
    at(bot, date(2020, 11, 27), 6, 48)
    assert _feed_after_start(bot) == []  # a real morning: 09:00 has not come
    assert [e["refs"] for e in _feed_after_start(bot, demo_day=True)] == [["3.3", "3.2"]]


def test_a_year_without_holiday_data_is_told_to_the_admins_once(tmp_path):
    plan = tab_plan(tmp_path / "p.txt", [
        {"工作内容": "报送季度统计数据", "完成时间": "3月底前", "牵头领导": "吴振邦", "责任人": "韩立新"}],
        title="测试市科协2027年度工作要点")
    bot = make_bot(tmp_path, plan=plan, on=date(2027, 3, 17))
    at(bot, date(2027, 3, 17), 9)
    run_tick(bot, date(2027, 3, 17))
    at(bot, date(2027, 3, 24), 9)
    run_tick(bot, date(2027, 3, 24))
    first, second = (row.text.splitlines() for row in outbox.rows(bot.store))
    notice = ("· 2027年的放假和调休安排缺失，暂按周一至周五算工作日（元旦、春节等法定节假日当天除外）。"
              "请升级 chinesecalendar，或在配置 reminders.holidays / reminders.workdays 中列出当年的放假和调休日期。")
    assert notice in first and notice not in second
