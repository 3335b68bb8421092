"""Completion through a real webhook route (DingTalk HTTP mode): bug07's 完成 messages, bug05's
完成 outcomes, binding an unmapped sender, and bug11's kill-and-restart durability."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import httpx
import pytest

from tests.conftest import make_bot
from tests.plans import case, tab_plan
from tests.recorder import Recorder
from tests.test_dingtalk import documented_sign, now_ms, robot_message

BUG07 = case("bug07")
BUG05 = case("bug05")
BUG11 = case("bug11")
SECRET = "appSecretForTests_0123456789"
ROOT = Path(__file__).resolve().parent.parent


def _baseline_bot(tmp_path, table: list[dict], **config):
    plan = tab_plan(tmp_path / "p.txt", table)
    config.setdefault("dingtalk", {"mode": "http", "app_key": "dingKEY", "app_secret": SECRET})
    config.setdefault("people", {name: ids for name, ids in BUG07["input"]["people_config"].items()})
    return make_bot(tmp_path, plan=plan, on=date(2026, 11, 29), **config)


def _post(base, bot, body):
    ts = now_ms(bot)
    return httpx.post(f"{base}/dingtalk/callback", content=json.dumps(body, ensure_ascii=False).encode(),
                      headers={"content-type": "application/json", "timestamp": ts,
                               "sign": documented_sign(SECRET, ts)}, timeout=10)


@pytest.mark.parametrize("text", BUG07["input"]["messages"][:6])
def test_bug07_each_form_closes_task_3_once_through_dingtalk(tmp_path, serve, text):
    bot = _baseline_bot(tmp_path, BUG07["input"]["baseline_table"], bot={"name": BUG07["input"]["bot_display_name"]})
    with Recorder() as session:
        base = serve(bot)
        body = robot_message(text.replace("完成 3", "完成 1.3"), session.url + "/s", msg_id="m7",
                             senderStaffId="demo_hanlixin", senderNick="韩立新")
        for _ in range(2):  # DingTalk delivering it twice: one close, one confirmation
            assert _post(base, bot, body).status_code == 200
        [sent] = session.wait_for(1)
    assert len(session.requests) == 1
    assert sent.json["text"]["content"] == "@demo_hanlixin\n1.3 已全部完成，办结。\n推进基层科协组织建设"
    task = bot.store.task(bot.store.active_plan().id, "1.3")
    assert task.status == "done"
    rows = list(bot.store.read("SELECT actor, platform FROM events WHERE kind LIKE '%.completed'"))
    assert rows == [{"actor": "韩立新", "platform": "dingtalk"}]


@pytest.mark.parametrize("request_", BUG05["input"]["requests"], ids=lambda r: r["name"])
def test_bug05_the_valid_and_skewed_requests_close_the_task(tmp_path, serve, request_):
    from datetime import datetime

    from bot.clock import SHANGHAI, FrozenClock

    bot = _baseline_bot(tmp_path, BUG05["input"]["baseline_table"],
                        dingtalk={"mode": "http", "app_key": "dingKEY",
                                  "app_secret": BUG05["input"]["config"]["dingtalk_app_secret"]})
    bot.clock = FrozenClock(datetime(2026, 11, 29, 10, 0, 0, 500000, tzinfo=SHANGHAI))
    with Recorder() as session:
        base = serve(bot)
        body = dict(BUG05["input"]["body"], sessionWebhook=session.url + "/s", text={"content": " 完成 1.3"})
        response = httpx.post(f"{base}/dingtalk/callback", content=json.dumps(body, ensure_ascii=False).encode(),
                              headers={"content-type": "application/json", **request_["headers"]}, timeout=10)
        accepted = request_["name"] in ("valid", "skewed_59min")
        if accepted:
            session.wait_for(1)
    status = bot.store.task(bot.store.active_plan().id, "1.3").status
    assert (response.status_code == 200, status) == (accepted, "done" if accepted else "open")


def test_an_unmapped_sender_binds_and_then_completes(tmp_path, serve):
    bot = make_bot(tmp_path, on=date(2020, 7, 2), bot={"admins": ["朱明生"]},
                   dingtalk={"mode": "http", "app_key": "dingKEY", "app_secret": SECRET},
                   people={"朱明生": {"dingtalk": "zms01"}})
    with Recorder() as session:
        base = serve(bot)
        hook = session.url + "/s"

        def say(text, staff, msg):
            before = len(session.requests)
            assert _post(base, bot, robot_message(text, hook, msg_id=msg, senderStaffId=staff,
                                                  senderNick="")).status_code == 200
            return session.wait_for(before + 1)[-1].json["text"]["content"].split("\n", 1)[1]

        assert say("完成 3.4", "newcomer", "b1") == ("我还不知道你是谁，暂时不能替你办结。"
                                                     "请发“我是姓名”，由管理员回复“确认 姓名”后就可以了。")
        assert say("我是严众能", "newcomer", "b2").startswith("已记下：你是严众能。请管理员回复“确认 严众能”")
        assert say("确认 严众能", "someone", "b3") == "只有管理员（朱明生）可以确认身份。"
        assert say("确认 严众能", "zms01", "b4") == "已确认：账号 newcomer 是严众能，之后从这个账号报完成都算严众能的。"
        assert say("完成 3.4", "newcomer", "b5") == "3.4 严众能已完成，进度 1/2，待：林永禄"
    [event] = list(bot.store.read("SELECT actor, platform FROM events WHERE kind = 'share.completed'"))
    assert event == {"actor": "严众能", "platform": "dingtalk"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(workdir: Path, port: int) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--port", str(port), "--today", "2027-03-01"],
                               cwd=workdir,
                               env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # waiting for a child process to listen, not for a clock
        try:
            httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except httpx.HTTPError:
            time.sleep(0.1)
    process.kill()
    raise AssertionError("duban serve did not start")


def test_bug11_a_confirmed_close_survives_sigterm_sigkill_and_reimport(tmp_path):
    plan = tab_plan(tmp_path / "plan.txt", BUG11["input"]["baseline_table"])
    (tmp_path / "config.toml").write_text(f'[bot]\ndatabase = "duban.db"\nplan = "{plan}"\n', encoding="utf-8")
    port = _free_port()

    def ask(text):
        return httpx.post(f"http://127.0.0.1:{port}/api/messages", json={"as": "韩立新", "text": text},
                          timeout=10).json()["reply"]

    server = _serve(tmp_path, port)
    assert ask("完成 1.3") == "1.3 已全部完成，办结。\n推进基层科协组织建设"
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=20)
    server = _serve(tmp_path, port)
    assert ask("完成 1.2") == "1.2 已全部完成，办结。\n完成年度学会学术交流计划"
    os.killpg(server.pid, signal.SIGKILL)
    server.wait(timeout=20)
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("编制下一年度工作要点\n\t12月底前", "编制下一年度工作要点\n\t10月底前"),
                    encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "bot", "import", str(plan)], cwd=tmp_path, capture_output=True,
                            text=True, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}, timeout=60)
    assert "任务：5（新增0，更新1，未变4）" in result.stdout, result.stderr
    server = _serve(tmp_path, port)
    try:
        reply = ask("韩立新负责什么")
    finally:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=20)
    assert reply.splitlines() == [
        "韩立新负责的任务（3项）：",
        "1.1 组织开展全国科普日主题活动｜9月底前·9月30日｜进行中",
        "1.2 完成年度学会学术交流计划｜11月底前·11月30日｜已完成",
        "1.3 推进基层科协组织建设｜全年开展｜已完成",
    ]
    tasks = json.loads(subprocess.run([sys.executable, "-m", "bot", "tasks", "--json"], cwd=tmp_path,
                                      capture_output=True, text=True, timeout=60,
                                      env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}).stdout)
    by_ref = {t["ref"]: t for t in tasks}
    assert [by_ref[r]["status"] for r in ("1.1", "1.2", "1.3", "1.4", "1.5")] == ["open", "done", "done", "open",
                                                                                   "open"]
    assert (by_ref["1.4"]["deadline_text"], len(tasks)) == ("10月底前", 5)
    assert by_ref["1.3"]["shares"][0]["done"] and by_ref["1.3"]["shares"][0]["at"]
