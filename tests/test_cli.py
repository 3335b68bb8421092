"""The ``duban`` command as a user runs it: a real process, a fresh store (DESIGN §8)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.plans import SEED

ROOT = Path(__file__).resolve().parent.parent


def duban(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, input=stdin, capture_output=True,
                          text=True, timeout=60, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})


@pytest.fixture
def workdir(tmp_path):
    """A folder with a config.toml whose store is new and empty (the bundled plan by default)."""
    (tmp_path / "config.toml").write_text(
        f'[bot]\ndatabase = "duban.db"\nplan = "{SEED}"\n', encoding="utf-8")
    return tmp_path


def test_ask_on_a_fresh_store_imports_the_plan_first(workdir):
    result = duban("ask", "严众能负责什么", "--today", "2020-11-02", cwd=workdir)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "严众能负责的任务（5项）："
    assert [line.split(" ")[0] for line in lines[1:]] == ["2.8", "3.1", "3.4", "3.6", "3.8"]
    assert "任务：35（新增35，更新0，未变0）" in result.stderr  # the first-start import report
    again = duban("--today", "2020-11-02", "ask", "严众能负责什么", cwd=workdir)
    assert again.stdout == result.stdout and "新增" not in again.stderr


def test_ask_with_today_and_as(workdir):
    for args in (["ask", "本月到期", "--today", "2020-11-02"], ["--today", "2020-11-02", "ask", "本月到期"]):
        result = duban(*args, cwd=workdir)
        assert result.stdout.splitlines()[:2] == [
            "本月到期的任务（1项）：", "3.3 举办第13届市青少年科技创新大赛｜11月底前·11月30日｜进行中"]
    mine = duban("--today", "2020-11-02", "ask", "我的任务", "--as", "林  丽", cwd=workdir)
    assert mine.stdout.startswith("你负责的任务（11项）：")


def test_tasks_json_has_exactly_the_contract_keys_and_types(workdir):
    result = duban("tasks", "--json", cwd=workdir)
    assert result.returncode == 0, result.stderr
    tasks = json.loads(result.stdout)  # stdout holds only JSON
    assert len(tasks) == 35
    types = {"ref": str, "section": str, "content": str, "deadline_text": str, "lead": list, "owners": list,
             "units": list, "cooperating": list, "plan": str, "milestones": list, "status": str, "shares": list}
    for task in tasks:
        assert list(task) == ["ref", "section", "content", "deadline_text", "due", "lead", "owners", "units",
                              "cooperating", "plan", "milestones", "status", "shares"]
        assert task["plan"] == "龙岩市科协2020年度工作要点" and task["cooperating"] == []
        assert all(isinstance(task[key], kind) for key, kind in types.items())
        assert task["due"] is None or isinstance(task["due"], str)
    one_seven = next(t for t in tasks if t["ref"] == "1.7")
    assert one_seven["milestones"] == [{"date": "2020-05-30", "text": "5.30"}]
    assert one_seven["shares"] == [{"owner": "钟晓鹏", "done": False, "at": None},
                                   {"owner": "县（市、区）科协主席", "done": False, "at": None}]
    assert one_seven["section"] == "一、进一步强化政治引领"


def test_import_prints_the_report_and_reimport_changes_nothing(workdir):
    first = duban("import", str(SEED), cwd=workdir)
    assert first.returncode == 0, first.stderr
    assert "部分：5" in first.stdout and "人员：16" in first.stdout and "角色：2" in first.stdout
    assert "时间节点：2（1.7 5.30→2020-05-30；2.4 6.18→2020-06-18）" in first.stdout
    assert "警告：无" in first.stdout
    second = duban("import", str(SEED), cwd=workdir)
    assert "任务：35（新增0，更新0，未变35）" in second.stdout


def test_chat_in_the_terminal(workdir):
    result = duban("chat", "--as", "严众能", cwd=workdir, stdin="我的任务\n\n3.3\n")
    assert result.returncode == 0, result.stderr
    assert "严众能> 你负责的任务（5项）：" in result.stdout
    assert "【3.3】举办第13届市青少年科技创新大赛。" in result.stdout


@pytest.mark.parametrize("args, message", [
    (["ask", "x", "--today", "2020-13-01"], "'2020-13-01' is not a date"),
    (["ask", "x", "--as", "张三"], "no person named '张三'"),
    (["chat", "--as", "张三"], "no person named '张三'"),
    (["import", "missing.txt"], "missing.txt: no such file"),
    (["import", "config.toml"], "cannot read .toml"),
    (["import", str(SEED), "--year", "20"], "'20' is not a year"),
    (["ask", "逾期", "--today", "0001-01-01"], "is not a day this bot can plan for"),
    (["serve", "--port", "70000"], "'70000' is not a port"),
    (["import", "."], "is a folder, not a plan file"),
])
def test_errors_go_to_stderr_with_exit_2(workdir, args, message):
    result = duban(*args, cwd=workdir)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""


def test_a_wrong_config_key_stops_naming_the_key(tmp_path):
    (tmp_path / "config.toml").write_text('[server]\nprot = 8080\n', encoding="utf-8")
    result = duban("ask", "帮助", cwd=tmp_path)
    assert result.returncode == 2
    assert "unknown key server.prot" in result.stderr
    assert not (tmp_path / "duban.db").exists()


def test_a_plan_that_is_not_a_plan_writes_nothing(workdir):
    (workdir / "notes.txt").write_text("会议纪要\n没有表格\n", encoding="utf-8")
    result = duban("import", "notes.txt", cwd=workdir)
    assert result.returncode == 2 and "no table found" in result.stderr
    tasks = duban("tasks", "--json", cwd=workdir)  # the store is still empty: the bundled plan comes in
    assert len(json.loads(tasks.stdout)) == 35


def test_years_later_the_plan_answers_as_archived(workdir):
    result = duban("ask", "严众能负责什么", "--today", "2026-11-29", cwd=workdir)
    lines = result.stdout.splitlines()
    assert lines[3] == "3.4 举办第4届市青少年机器人竞赛｜上半年·6月30日｜未办结"
    assert lines[-1] == "（龙岩市科协2020年度工作要点已归档，只供查询；“本月”“逾期”等按今天2026-11-29计算）"


def test_a_database_path_that_cannot_be_used_names_the_key(tmp_path):
    (tmp_path / "config.toml").write_text('[bot]\ndatabase = "config.toml/x.db"\n', encoding="utf-8")
    result = duban("ask", "帮助", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("duban: 任务库（bot.database）无法使用，请检查路径和权限 / bot.database: ")
    assert "cannot make its folder" in result.stderr


def test_a_huge_file_is_not_read(workdir):
    with open(workdir / "huge.txt", "wb") as huge:
        huge.truncate(21 * 1024 * 1024)
    result = duban("import", "huge.txt", cwd=workdir)
    assert result.returncode == 2 and "21 MB is not a plan" in result.stderr


def test_remind_dry_run_json_is_only_json(workdir):
    result = duban("remind", "--on", "2020-11-27", "--dry-run", "--json", cwd=workdir)
    assert result.returncode == 0, result.stderr
    [push] = json.loads(result.stdout)
    assert list(push) == ["date", "chat", "text", "refs", "mentions"]
    assert (push["date"], push["chat"], push["refs"], push["mentions"]) == (
        "2020-11-27", "本地群", ["3.3", "3.2"], ["林永禄", "童聪良"])
    plain = duban("remind", "--on", "2020-11-27", "--dry-run", cwd=workdir)
    assert plain.stdout.startswith("=== 2020-11-27 · 本地群 ===\n【督办提醒】11月27日 星期五")


def test_remind_simulate_lists_every_push_in_order(workdir):
    result = duban("remind", "--simulate", "2020-11-23..2020-12-01", "--json", cwd=workdir)
    pushes = json.loads(result.stdout)
    assert [(p["date"], p["refs"][:2]) for p in pushes] == [
        ("2020-11-23", ["3.3", "4.3"]), ("2020-11-25", ["1.7", "3.4"]), ("2020-11-27", ["3.3", "3.2"]),
        ("2020-11-30", ["3.3", "4.3"]), ("2020-12-01", ["3.3", "1.1"])]
    nothing_sent = duban("outbox", cwd=workdir)
    assert nothing_sent.stdout == "没有待发送或发送失败的推送。\n"


@pytest.mark.parametrize("args, message", [
    (["remind", "--on", "2020-11-27"], "needs --dry-run"),
    (["remind", "--simulate", "2020-12-01..2020-11-01"], "ends before it starts"),
    (["remind", "--simulate", "2020-12-01"], "is not a period D1..D2"),
])
def test_remind_misuse(workdir, args, message):
    result = duban(*args, cwd=workdir)
    assert result.returncode == 2 and message in result.stderr


def test_people_lists_who_is_mapped(workdir):
    (workdir / "config.toml").write_text(
        (workdir / "config.toml").read_text(encoding="utf-8")
        + '\n[people."严众能"]\nwecom = "YanZhongNeng"\nmobile = "13800000001"\n', encoding="utf-8")
    lines = duban("people", cwd=workdir).stdout.splitlines()
    assert len(lines) == 16
    assert "严众能\twecom: YanZhongNeng\tdingtalk: -\tmobile: 13800000001" in lines
    assert "林丽\twecom: -\tdingtalk: -\tmobile: -" in lines


def test_serve_s_connections_send_without_delay():
    """duban serve hands uvicorn its own socket; asyncio sets TCP_NODELAY on accepted connections
    only when that socket says it is TCP. Without it every reply's body waited ~40 ms behind its
    headers (Nagle against delayed ACK), which bench/webhook.py showed as a 48 ms floor."""
    import asyncio
    import socket

    from bot.cli import listen_socket

    async def accepted_nodelay() -> int:
        sock = listen_socket("127.0.0.1", 0)
        seen = asyncio.get_running_loop().create_future()

        class Probe(asyncio.Protocol):
            def connection_made(self, transport):
                seen.set_result(transport.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP,
                                                                               socket.TCP_NODELAY))
                transport.close()

        server = await asyncio.get_running_loop().create_server(Probe, sock=sock)
        _, writer = await asyncio.open_connection(*sock.getsockname())
        value = await asyncio.wait_for(seen, 5)
        writer.close()
        server.close()
        return value

    assert asyncio.run(accepted_nodelay()) == 1


def test_remind_on_a_quiet_day_says_there_is_nothing(workdir):
    """2020-11-28 is a Saturday: nothing to send, and the output says so instead of staying empty."""
    result = duban("remind", "--on", "2020-11-28", "--dry-run", cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "11月28日没有要发的提醒（非工作日、没有到期或节点的任务，或计划已过推送期）。\n"
    assert json.loads(duban("remind", "--on", "2020-11-28", "--dry-run", "--json", cwd=workdir).stdout) == []



def test_a_reader_that_leaves_early_gets_no_traceback(workdir, monkeypatch, capsys):
    """``duban tasks --all | head -1``: the pipe closes under the writer; the command ends quietly."""
    import os

    from bot.cli import main

    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader has left
    with open(write_end, "w", encoding="utf-8", buffering=1) as pipe:  # line by line, as to a terminal
        monkeypatch.setattr(sys, "stdout", pipe)
        monkeypatch.chdir(workdir)
        assert main(["tasks", "--all"]) == 141
    assert "Traceback" not in capsys.readouterr().err
