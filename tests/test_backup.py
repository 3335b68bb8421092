"""Backups (issue 15): ``duban backup`` while the bot writes, ``duban restore`` (refused while a server runs,
refused for a file that is not a duban store), the nightly backup of ``[backup] keep = N``."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from datetime import date, datetime
from pathlib import Path

import pytest

from bot.clock import SHANGHAI
from bot.config import parse_config
from bot.ops.backups import nightly_backup
from bot.ops.lock import StoreLock
from bot.store.completion import Meta, bindings, bound_person, confirm_binding, request_binding
from tests.conftest import make_bot
from tests.plans import EXPECTED

ROOT = Path(__file__).resolve().parent.parent
OWNERS = [(t["id"], owner) for t in __import__("json").loads(EXPECTED.read_text(encoding="utf-8"))["tasks"]
          for owner in t["responsible"]]


def duban(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})


def rows(path: Path, table: str) -> list[tuple]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
    finally:
        conn.close()


def tables(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {name: conn.execute(f"SELECT * FROM {name}").fetchall() for name in names}
    finally:
        conn.close()


def make_store(folder: Path) -> None:
    """The store config_file names, with the plan imported (in-process: faster than a first ``duban ask``)."""
    (folder / "data").mkdir(exist_ok=True)
    make_bot(folder / "data").close()


@pytest.fixture
def config_file(tmp_path):
    (tmp_path / "config.toml").write_text('[bot]\ndatabase = "data/duban.db"\n', encoding="utf-8")
    return tmp_path / "config.toml"


def test_a_backup_while_the_bot_writes_completions_then_equal_then_restored(tmp_path, config_file):
    bot = make_bot(tmp_path, on=date(2020, 11, 28))
    bot.config.bot.database = tmp_path / "duban.db"
    config_file.write_text(f'[bot]\ndatabase = "{tmp_path / "duban.db"}"\n', encoding="utf-8")
    writing, stop = threading.Event(), threading.Event()

    people = set(bot.people())
    owners = [(ref, owner) for ref, owner in OWNERS if owner in people]

    def writer() -> None:  # completions and notes, one commit each, until told to stop
        for index, (ref, owner) in enumerate(owners * 20):
            if stop.is_set():
                return
            if index < len(owners):
                bot.say(f"完成 {ref}", as_=owner)
            else:
                bot.say(f"进展 {ref} 第{index}次推进", as_=owner)
            writing.set()

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        writing.wait(timeout=30)
        committed = rows(tmp_path / "duban.db", "events")  # every event committed before the backup began
        result = duban("--config", str(config_file), "backup", str(tmp_path / "while.db"), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
    finally:
        stop.set()
        thread.join(timeout=60)
    copy = tmp_path / "while.db"
    assert rows(copy, "events")[:len(committed)] == committed  # all of them, unchanged, in order
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # one file, no -wal to carry
    conn.close()
    assert not Path(f"{copy}-wal").exists()
    assert f"已备份到 {copy}" in result.stdout

    # Once the writes stop, a backup holds exactly what the store does (the WAL included).
    final = tmp_path / "final.db"
    assert duban("--config", str(config_file), "backup", str(final), cwd=tmp_path).returncode == 0
    assert tables(final) == tables(tmp_path / "duban.db")
    assert Path(f"{tmp_path / 'duban.db'}-wal").stat().st_size > 0  # the newest commits were in the -wal

    # More writes, then a restore gives the backup's events back (the bot stopped, as for a restore).
    kept = tables(final)
    bot.say("完成 1.1", as_="朱明生")
    bot.close()
    assert tables(tmp_path / "duban.db") != kept
    restored = duban("--config", str(config_file), "restore", str(final), cwd=tmp_path)
    assert restored.returncode == 0, restored.stderr
    assert tables(tmp_path / "duban.db") == kept
    before = list(tmp_path.glob("duban.before-restore-*.db"))
    assert len(before) == 1 and "恢复前的任务库另存为" in restored.stdout  # the replaced store is kept
    again = make_bot(tmp_path, on=date(2020, 11, 28))  # and the bot reads the restored store
    assert again.say("1.1", as_="朱明生").text.count("报完成") == 0
    again.close()


def test_restore_is_refused_while_a_server_holds_the_store(tmp_path, config_file):
    make_store(tmp_path)
    store = tmp_path / "data" / "duban.db"
    assert duban("--config", str(config_file), "backup", str(tmp_path / "b.db"), cwd=tmp_path).returncode == 0
    before = tables(store)
    server = StoreLock(store, shared=True)  # what duban serve holds while it runs
    assert server.acquire()
    try:
        result = duban("--config", str(config_file), "restore", str(tmp_path / "b.db"), cwd=tmp_path)
    finally:
        server.release()
    assert result.returncode == 2
    assert result.stderr.startswith("duban: duban serve 正在使用任务库")
    assert tables(store) == before and not list(store.parent.glob("*.before-restore-*"))


def test_duban_serve_holds_the_lock_until_it_stops_and_logs_to_its_file(tmp_path, config_file):
    from bot.cli import listen_socket

    config_file.write_text('[bot]\ndatabase = "data/duban.db"\nadmins = ["朱明升"]\n[log]\nfile = "logs/duban.log"\n',
                           encoding="utf-8")
    sock = listen_socket("127.0.0.1", 0)
    port = sock.getsockname()[1]
    sock.close()
    server = subprocess.Popen([sys.executable, "-m", "bot", "--config", str(config_file), "serve", "--port", str(port)],
                              cwd=tmp_path, stderr=subprocess.PIPE, text=True,
                              env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
    try:
        started = []
        for line in server.stderr:  # blocks until the server says it listens
            started.append(line)
            if "local chat on" in line:
                break
        # A slip in config is named at start-up (issue 15: 朱明升 for 朱明生).
        assert [line.split(" WARNING duban: ")[1].split("（")[0] for line in started if " WARNING " in line] == [
            "bot.admins：计划里没有 朱明升，是否是 朱明生？"]
        assert duban("--config", str(config_file), "backup", str(tmp_path / "b.db"), cwd=tmp_path).returncode == 0
        refused = duban("--config", str(config_file), "restore", str(tmp_path / "b.db"), cwd=tmp_path)
        assert refused.returncode == 2 and "正在使用" in refused.stderr
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert duban("--config", str(config_file), "restore", str(tmp_path / "b.db"), cwd=tmp_path).returncode == 0
    logged = (tmp_path / "logs" / "duban.log").read_text(encoding="utf-8")
    assert f" +0800 INFO duban: local chat on http://127.0.0.1:{port}/" in logged


@pytest.mark.parametrize("make, reason, english", [
    (lambda p: p.write_text("不是数据库", encoding="utf-8"), "不是 SQLite 数据库文件", "file is not a database"),
    (lambda p: sqlite3.connect(p).executescript("CREATE TABLE t (x); INSERT INTO t VALUES (1);"),
     "是 SQLite 文件，但不是督办助手的任务库（没有督办助手的迁移记录）", "a SQLite file, but not a duban store"),
    (lambda p: None, "文件不存在", "no such file"),
])
def test_restore_of_a_file_that_is_not_a_store_changes_nothing(tmp_path, config_file, make, reason, english):
    make_store(tmp_path)
    store = tmp_path / "data" / "duban.db"
    before = tables(store)
    make(tmp_path / "other.db")
    result = duban("--config", str(config_file), "restore", str(tmp_path / "other.db"), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == (f"duban: {tmp_path / 'other.db'} 不是完整的督办助手任务库，未做任何改动：{reason}。"
                             f"请换一个 duban backup 写出的文件。 / Not a whole duban store ({english}); "
                             "nothing was changed.\n")
    assert tables(store) == before and not list(store.parent.glob("*.before-restore-*"))


def test_backup_never_overwrites_without_force_nor_onto_the_store(tmp_path, config_file):
    make_store(tmp_path)
    (tmp_path / "b.db").write_text("old", encoding="utf-8")
    result = duban("--config", str(config_file), "backup", str(tmp_path / "b.db"), cwd=tmp_path)
    assert (result.returncode, (tmp_path / "b.db").read_text(encoding="utf-8")) == (2, "old")
    assert "已存在：要覆盖请加 --force" in result.stderr
    onto = duban("--config", str(config_file), "backup", str(tmp_path / "data" / "duban.db"), cwd=tmp_path)
    assert onto.returncode == 2 and f"不能备份到 {tmp_path / 'data' / 'duban.db'}：它是任务库本身" in onto.stderr
    forced = duban("--config", str(config_file), "backup", "--force", str(tmp_path / "b.db"), cwd=tmp_path)
    assert forced.returncode == 0


def test_the_nightly_backup_keeps_the_last_n(tmp_path):
    config = parse_config({"bot": {"database": str(tmp_path / "duban.db")},
                           "backup": {"keep": 2, "folder": "backups"}}, "t", tmp_path, env={})
    assert nightly_backup(config, datetime(2020, 11, 1, 3, 0, tzinfo=SHANGHAI)) is None  # no store yet
    bot = make_bot(tmp_path)
    (tmp_path / "backups").mkdir()
    (tmp_path / "backups" / "mine.db").write_text("an admin's own file", encoding="utf-8")
    for day in (25, 26, 27, 28):
        bot.say(f"进展 3.1 11月{day}日", as_="严众能")
        made = nightly_backup(config, datetime(2020, 11, day, 3, 0, tzinfo=SHANGHAI))
        assert made == tmp_path / "backups" / f"duban-2020-11-{day}.db"
    assert sorted(p.name for p in (tmp_path / "backups").iterdir()) == [
        "duban-2020-11-27.db", "duban-2020-11-28.db", "mine.db"]
    assert tables(tmp_path / "backups" / "duban-2020-11-28.db") == tables(tmp_path / "duban.db")
    assert parse_config({}, "t", tmp_path, env={}).backup.keep == 0  # off unless asked for
    bot.close()


def test_people_remove_unbinds_a_name_bound_in_chat(tmp_path, capsys):
    from bot.ops.commands import remove_person

    bot = make_bot(tmp_path)
    meta = Meta("wecom", "wr1", "m1", "2020-11-02T10:00:00+08:00")
    request_binding(bot.store, "wecom", "zhangsan", "严众能", meta)
    confirm_binding(bot.store, "wecom", "严众能", "zhangsan", "朱明生", meta)
    assert bound_person(bot.store, "wecom", "zhangsan") == "严众能"
    assert remove_person(bot, "严众能") == 0
    assert bound_person(bot.store, "wecom", "zhangsan") is None and bindings(bot.store) == []
    conn = sqlite3.connect(tmp_path / "duban.db")
    removed = conn.execute("SELECT actor, platform, before FROM events WHERE kind = 'binding.removed'").fetchall()
    kept = conn.execute("SELECT sender_id, person, removed_at IS NOT NULL FROM bindings").fetchall()
    conn.close()
    assert kept == [("zhangsan", "严众能", 1)]  # nothing is deleted: the row is marked removed
    assert removed == [("cli", "wecom", '{"sender_id": "zhangsan", "person": "严众能", '
                                        '"confirmed_at": "2020-11-02T10:00:00+08:00"}')]
    capsys.readouterr()
    assert remove_person(bot, "严众能") == 0
    assert capsys.readouterr().out == "严众能 没有在群里绑定的账号，未做任何改动。\n"
    bot.close()


def test_people_remove_from_the_command_line(tmp_path, config_file):
    result = duban("--config", str(config_file), "people", "--remove", "严众能", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "严众能 没有在群里绑定的账号，未做任何改动。\n")
