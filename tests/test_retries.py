"""Retries that stop (issue 13): a refusal waiting cannot cure is tried three times with backoff,
then failed, and the admins are told once by another channel, counted as told only when that
message is delivered; rate limits keep their wait-and-retry. The robots and the WeCom app are
local recording servers; the clock is stepped, never slept."""

from __future__ import annotations

import asyncio
from datetime import date, datetime

from bot.clock import SHANGHAI, FrozenClock
from bot.platforms.dingtalk import DingTalkPlatform
from bot.platforms.wecom_push import AppClient, GroupRobot
from bot.store import outbox
from reminders.outbox import Sender
from reminders.tick import run_tick
from tests.conftest import make_bot
from tests.recorder import Recorder

DAY = date(2020, 11, 27)  # the seed's digest names 3.3 and 3.2
BAD_KEY = {"errcode": 93000, "errmsg": "invalid webhook url"}
NOTICE = ("【督办助手·给管理员】有一条发往“科协工作群”的推送被平台拒收（93000 invalid webhook url），试了3次，"
          "已停止重试。请检查该群机器人的配置（webhook、secret、关键词）；运行 duban outbox 可查看详情。")


def app_server(request):
    if request.path.endswith("/gettoken"):
        return {"errcode": 0, "access_token": "TOKEN", "expires_in": 7200}
    return {"errcode": 0, "errmsg": "ok"}


def wecom_office(tmp_path, robot_url: str, app_url: str, **config):
    bot = make_bot(tmp_path, on=DAY, bot={"admins": ["朱明生"]},
                   wecom={"corp_id": "ww0000demo0000corp", "secret": "s", "agent_id": 1000002, "api_base": app_url},
                   chats=[{"name": "科协工作群", "platform": "wecom",
                           "webhook": robot_url + "/cgi-bin/webhook/send?key=k"}],
                   people={"朱明生": {"wecom": "ZhuMS"}, "林永禄": {"wecom": "LinYongLu"}}, **config)
    bot.clock = FrozenClock(datetime(2020, 11, 27, 9, 0, tzinfo=SHANGHAI))
    return bot


def deliver_for(bot, minutes: int, step_s: int = 30) -> None:
    """Run the delivery loop every ``step_s`` seconds of the bot's clock for ``minutes``."""
    async def run():
        robot, app = GroupRobot(bot.config, bot.clock), AppClient(bot.config, bot.clock)
        dingtalk = DingTalkPlatform(bot)
        sender = Sender(bot, {"wecom": robot.send, "wecom_app": app.send, "dingtalk": dingtalk.send})
        for _ in range(minutes * 60 // step_s):
            await sender.deliver_due()
            bot.clock.advance(seconds=step_s)
        await robot.http.aclose()
        await app.http.aclose()
    asyncio.run(run())


def test_a_robot_answering_93000_forever_is_tried_three_times_then_the_admins_are_told_once_elsewhere(tmp_path):
    with Recorder(lambda request: BAD_KEY) as robot, Recorder(app_server) as app:
        bot = wecom_office(tmp_path, robot.url, app.url)
        run_tick(bot, DAY)
        deliver_for(bot, minutes=120)
        [digest, notice_row] = outbox.rows(bot.store, ("pending", "failed", "sent"))
        assert (digest.chat, digest.status, digest.attempts, digest.refusals) == ("科协工作群", "failed", 3, 3)
        assert len(robot.requests) == 3  # 09:00, 09:00:30, 09:01:30 (backoff), then never again
        sends = [r for r in app.requests if r.path.endswith("/message/send")]
        assert [(s.json["touser"], s.json["text"]["content"]) for s in sends] == [("ZhuMS", NOTICE)]
        assert (notice_row.chat, notice_row.platform, notice_row.status) == ("管理员通知", "wecom_app", "sent")
        [notice] = outbox.open_notices(bot.store)
        assert (notice["kind"], notice["detail"], notice["told_on"]) == (
            "failed_push", "科协工作群", notice_row.sent_at)
        # The next day's digest fails the same way: tried three times, and nobody is told twice.
        bot.clock = FrozenClock(datetime(2020, 11, 30, 9, 0, tzinfo=SHANGHAI))
        run_tick(bot, date(2020, 11, 30))
        deliver_for(bot, minutes=30)
        assert len(robot.requests) == 6
        assert len([r for r in app.requests if r.path.endswith("/message/send")]) == 1


def test_a_notice_is_told_only_when_delivered_and_a_mended_chat_is_told_again_when_it_breaks(tmp_path):
    answers = {"robot": BAD_KEY, "app": {"errcode": 45009, "errmsg": "api freq out of limit"}}

    def app_answer(request):
        return app_server(request) if request.path.endswith("/gettoken") else answers["app"]

    with Recorder(lambda request: answers["robot"]) as robot, Recorder(app_answer) as app:
        bot = wecom_office(tmp_path, robot.url, app.url)
        run_tick(bot, DAY)
        deliver_for(bot, minutes=5)
        [notice] = outbox.open_notices(bot.store)
        assert notice["told_on"] is None  # the app is rate limited: queued is not told
        answers["app"] = {"errcode": 0, "errmsg": "ok"}
        deliver_for(bot, minutes=5)
        [notice] = outbox.open_notices(bot.store)
        assert notice["told_on"] is not None
        answers["robot"] = {"errcode": 0, "errmsg": "ok"}  # the admin fixed the key: the chat delivers
        bot.clock = FrozenClock(datetime(2020, 11, 30, 9, 0, tzinfo=SHANGHAI))
        run_tick(bot, date(2020, 11, 30))
        deliver_for(bot, minutes=1)
        assert outbox.open_notices(bot.store) == []  # resolved
        answers["robot"] = BAD_KEY  # broken again a day later: told again
        bot.clock = FrozenClock(datetime(2020, 12, 1, 9, 0, tzinfo=SHANGHAI))
        run_tick(bot, date(2020, 12, 1))
        deliver_for(bot, minutes=5)
        assert [n["detail"] for n in outbox.open_notices(bot.store)] == ["科协工作群"]
        told = [row for row in outbox.rows(bot.store, ("sent",)) if row.chat == "管理员通知"]
        assert [row.text for row in told] == [NOTICE, NOTICE]  # the first breakage, and the second


def test_rate_limits_keep_waiting_and_are_delivered(tmp_path):
    answers = iter([{"errcode": 45009, "errmsg": "api freq out of limit"}] * 5)

    with Recorder(lambda request: next(answers, {"errcode": 0, "errmsg": "ok"})) as robot, \
            Recorder(app_server) as app:
        bot = wecom_office(tmp_path, robot.url, app.url)
        run_tick(bot, DAY)
        deliver_for(bot, minutes=10)
        [digest] = outbox.rows(bot.store)
        assert (digest.status, digest.attempts, digest.refusals) == ("sent", 6, 0)
        assert app.requests == [] and outbox.open_notices(bot.store) == []


def test_a_dingtalk_sign_refusal_goes_to_the_other_chat(tmp_path):
    with Recorder(lambda request: {"errcode": 310000, "errmsg": "sign not match"}) as dingtalk, \
            Recorder() as wecom:
        bot = make_bot(tmp_path, on=DAY, bot={"admins": ["朱明生"]}, people={"朱明生": {"wecom": "ZhuMS"}},
                       chats=[{"name": "钉钉群", "platform": "dingtalk", "secret": "SECx",
                               "webhook": dingtalk.url + "/robot/send?access_token=t"},
                              {"name": "企业微信群", "platform": "wecom", "webhook": wecom.url + "/send?key=k"}])
        bot.clock = FrozenClock(datetime(2020, 11, 27, 9, 0, tzinfo=SHANGHAI))
        run_tick(bot, DAY)
        deliver_for(bot, minutes=10)
        assert len(dingtalk.requests) == 3
        told = [r.json for r in wecom.requests if "给管理员" in str(r.json)]
        assert [(t["msgtype"], t["text"]["mentioned_list"]) for t in told] == [("text", ["ZhuMS"])]
        assert "钉钉群" in told[0]["text"]["content"] and "310000 sign not match" in told[0]["text"]["content"]
