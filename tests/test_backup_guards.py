"""What ``duban backup`` and ``duban restore`` refuse (issue 15, "a restore of a file that is not a duban store:
a clear Chinese error, nothing changed"): a store missing tables or columns, from a newer duban or not migratable;
a backup onto the store's own files (the store, -wal, -shm, the server's lock); a restore while another process
holds the lock or has the store open; a backup to a full disk, a folder, a missing folder, a read-only place."""

from __future__ import annotations

import errno
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from bot.cli import main
from bot.store import Store
from bot.store.verify import known_migrations
from tests.conftest import make_bot

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def office(tmp_path):
    """A config, its store (the bundled plan imported) and a good backup of it: (config, store, backup)."""
    (tmp_path / "config.toml").write_text('[bot]\ndatabase = "data/duban.db"\n', encoding="utf-8")
    (tmp_path / "data").mkdir()
    make_bot(tmp_path / "data").close()
    store, good = tmp_path / "data" / "duban.db", tmp_path / "good.db"
    assert main(["--config", str(tmp_path / "config.toml"), "backup", str(good)]) == 0
    return tmp_path / "config.toml", store, good


def run(capsys, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (names and bytes): "nothing changed" compares two of these."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def dump(store: Path) -> list[str]:
    """The store's content as SQL (the -wal read too): a server closing may fold its -wal in, which changes
    the files but not this."""
    conn = sqlite3.connect(f"{store.as_uri()}?mode=ro", uri=True)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def altered(good: Path, target: Path, script: str) -> Path:
    target.write_bytes(good.read_bytes())
    conn = sqlite3.connect(target)
    conn.executescript(script)
    conn.close()
    return target


NEWEST = known_migrations()[-1]


@pytest.mark.parametrize("script, reason, english", [
    ("DROP TABLE outbox; DROP TABLE bindings;",
     "缺少 2 个表或列：bindings、outbox（只有部分表，不是完整的任务库或备份）",
     "missing tables or columns: bindings, outbox"),
    ("ALTER TABLE bindings DROP COLUMN removed_at;",
     "缺少 1 个表或列：bindings.removed_at（只有部分表，不是完整的任务库或备份）",
     "missing tables or columns: bindings.removed_at"),
    ("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('duban', 'm999_future', 'x');",
     "由更新版本的督办助手写入（本版本不认识的迁移：m999_future）：请先升级 duban 再恢复",
     "written by a newer duban (migrations m999_future)"),
    # An older store (its last migration not applied) whose table already has what that migration adds.
    (f"DELETE FROM _sqlite_migrations WHERE name = '{NEWEST}';",
     "无法升级到本版本的表结构（duplicate column name: withdrawn_at）",
     "cannot be brought up to date: duplicate column name: withdrawn_at"),
])
def test_restore_refuses_a_store_that_is_not_whole_and_changes_nothing(office, capsys, script, reason, english):
    config, store, good = office
    assert NEWEST == "m010_plan_withdrawn"  # the unmigratable case re-adds what it adds: plans.withdrawn_at
    bad = altered(good, store.parent.parent / "bad.db", script)
    before = snapshot(store.parent)
    code, out, err = run(capsys, "--config", str(config), "restore", str(bad))
    assert (code, out) == (2, "")
    assert err == (f"duban: {bad} 不是完整的督办助手任务库，未做任何改动：{reason}。请换一个 duban backup 写出的文件。"
                   f" / Not a whole duban store ({english}); nothing was changed.\n")
    assert snapshot(store.parent) == before  # no before-restore copy, the store as it was


def test_an_older_store_is_restored_and_brought_up_to_date(office, capsys):
    config, store, good = office
    older = altered(good, store.parent.parent / "older.db",
                    "ALTER TABLE plans DROP COLUMN withdrawn_at; "
                    f"DELETE FROM _sqlite_migrations WHERE name = '{NEWEST}';")
    code, out, _ = run(capsys, "--config", str(config), "restore", str(older))
    assert code == 0 and out.startswith(f"已从备份恢复任务库 {store}（35 项任务，")
    opened = Store(store)  # the server's first open migrates it
    assert opened.schema_version == len(known_migrations())
    assert [(p.title, p.year) for p in opened.plans()] == [("龙岩市科协2020年度工作要点", 2020)]
    assert opened.withdrawn_plans() == []  # the added column: no plan withdrawn
    opened.close()


def test_doctor_names_a_store_missing_tables(office, capsys):
    from datetime import date

    from bot.clock import DayClock
    from bot.ops import doctor

    config, store, good = office
    altered(good, store, "DROP TABLE outbox;")
    for extra in ("-wal", "-shm"):
        Path(f"{store}{extra}").unlink(missing_ok=True)
    report = doctor.run(config, lambda c: DayClock(date(2020, 11, 2), c.tz))
    lines = [f"{c.status} {c.part}：{c.text}" for c in report.checks if c.part == "任务库"]
    assert lines[-1] == (f"problem 任务库：{store} 不是完整的督办助手任务库：缺少 1 个表或列：outbox"
                         "（只有部分表，不是完整的任务库或备份）\n"
                         "  → 检查 bot.database 是否指错了文件；若是恢复时出了错，停止 duban serve，"
                         "用 duban restore 从 duban backup 写出的备份恢复")
    assert report.exit_code == 1


@pytest.mark.parametrize("name, part, english", [
    ("duban.db", "任务库本身", "store"),
    ("duban.db-wal", "任务库的 WAL 日志（-wal，最新的记录在里面）", "wal"),
    ("duban.db-shm", "任务库的共享内存文件（-shm）", "shm"),
    ("duban.db.lock", "服务的锁文件（duban serve 靠它让恢复等服务停下）", "lock"),
])
def test_backup_onto_the_stores_own_files_is_refused_even_with_force(office, capsys, name, part, english):
    config, store, _ = office
    (store.parent / "duban.db.lock").touch()
    before = snapshot(store.parent)
    link = store.parent.parent / "link.db"
    link.symlink_to(store.parent / name)  # a symlink to it is it too
    for target in (store.parent / name, link):
        code, _, err = run(capsys, "--config", str(config), "backup", "--force", str(target))
        assert (code, err) == (2, f"duban: 不能备份到 {store.parent / name}：它是{part}，覆盖它会损坏任务库。"
                                  "请另选一个文件名，如 backups/duban-备份.db。未做任何改动。"
                                  f" / {store.parent / name} is the store's own file ({english}); choose another.\n")
    assert snapshot(store.parent) == before


def test_a_restore_over_a_store_that_is_not_a_database_keeps_its_bytes(office, capsys):
    config, store, good = office
    for extra in ("-wal", "-shm"):
        Path(f"{store}{extra}").unlink(missing_ok=True)
    store.write_bytes(b"\x07" * 8192)  # the store itself destroyed: what a restore is for
    code, out, err = run(capsys, "--config", str(config), "restore", str(good))
    assert code == 0, err
    kept = list(store.parent.glob("duban.before-restore-*.db"))
    assert [k.read_bytes() for k in kept] == [b"\x07" * 8192]
    assert out.startswith(f"已从备份恢复任务库 {store}（35 项任务，")
    assert dump(store) == dump(good)


HOLDER = """
import sqlite3, sys
from pathlib import Path
from bot.ops.lock import StoreLock
store = Path(sys.argv[1])
if "lock" in sys.argv[2:]:
    assert StoreLock(store, shared=True).acquire()  # what duban serve holds
if "open" in sys.argv[2:]:
    conn = sqlite3.connect(store)  # what the server's Store holds open
    conn.execute("SELECT COUNT(*) FROM tasks").fetchone()
print("holding", flush=True)
sys.stdin.read()  # until the test closes our stdin
"""


class Holder:
    """Another process holding the store as ``holds`` says ("lock": duban's lock; "open": a connection)."""

    def __init__(self, store: Path, *holds: str):
        self.process = subprocess.Popen([sys.executable, "-c", HOLDER, str(store), *holds], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True,
                                        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})
        assert self.process.stdout.readline() == "holding\n"  # blocks until it holds: no sleeps

    def __enter__(self) -> Holder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)


SERVING = ("duban serve 正在使用任务库 {store}，不能恢复：请先停止服务（systemctl stop duban 或关闭 duban serve），"
           "再运行 duban restore。未做任何改动。 / A running duban serve uses this store; stop it first. "
           "Nothing was changed.")
IN_USE = ("任务库 {store} 正被另一个程序打开（运行中的 duban serve、duban ask，或 sqlite3 等工具），不能恢复："
          "请先把它们都关掉（systemctl stop duban），再运行 duban restore。未做任何改动。"
          " / Another program has this store open; "
          "close it first. Nothing was changed.")


def test_restore_is_refused_while_another_process_holds_the_lock_or_the_store(office, capsys):
    config, store, good = office
    before = dump(store)
    with Holder(store, "lock", "open"):
        code, _, err = run(capsys, "--config", str(config), "restore", str(good))
        assert (code, err) == (2, f"duban: {SERVING.format(store=store)}\n")
        # The old hole: the lock file overwritten (as `backup duban.db.lock --force` did) drops nothing
        # the server holds; SQLite's lock in the store file itself still refuses.
        lock = store.parent / "duban.db.lock"
        (store.parent / "new.lock").write_text("", encoding="utf-8")
        os.replace(store.parent / "new.lock", lock)
        code, _, err = run(capsys, "--config", str(config), "restore", str(good))
        assert (code, err) == (2, f"duban: {IN_USE.format(store=store)}\n")
    with Holder(store, "open"):  # a duban ask or a sqlite3 shell: no duban lock, the store open
        code, _, err = run(capsys, "--config", str(config), "restore", str(good))
        assert (code, err) == (2, f"duban: {IN_USE.format(store=store)}\n")
    assert dump(store) == before and not list(store.parent.glob("*before-restore*"))
    code, out, _ = run(capsys, "--config", str(config), "restore", str(good))  # all closed: it goes ahead
    assert code == 0 and out.startswith(f"已从备份恢复任务库 {store}（35 项任务，")


def full_disk_at_the_write(source, copy):
    copy.execute("CREATE TABLE half (x)")  # something written before the disk filled up
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def sqlite_finds_the_disk_full(source, copy):
    copy.execute("PRAGMA max_page_count = 2")  # SQLite's own SQLITE_FULL, as on a full disk
    source.backup(copy)


@pytest.mark.parametrize("write, detail", [
    (full_disk_at_the_write, "No space left on device"),
    (sqlite_finds_the_disk_full, "database or disk is full"),
])
def test_a_backup_to_a_full_disk_names_the_target_and_leaves_nothing(office, capsys, monkeypatch, write, detail):
    config, store, _ = office
    target = store.parent.parent / "backups" / "b.db"
    target.parent.mkdir()
    target.write_text("yesterday's backup", encoding="utf-8")
    before = snapshot(store.parent.parent)
    monkeypatch.setattr("bot.store.maintenance._write_copy", write)
    code, out, err = run(capsys, "--config", str(config), "backup", "--force", str(target))
    assert (code, out) == (2, "")
    assert err == (f"duban: 无法写入备份 {target}：磁盘已满（或超出配额）。没有留下写了一半的文件，任务库没有改动。"
                   f"请腾出空间，或备份到另一块盘。 / Cannot write {target}: the disk is full ({detail}).\n")
    assert snapshot(store.parent.parent) == before  # no .part file, the old backup and the store as they were


@pytest.mark.parametrize("number, expected", [
    (errno.EACCES, "无法写入 {target}：没有写权限，或是只读位置（Permission denied）。"
                   "请换一个运行 duban 的用户能写的文件夹。未做任何改动。"
                   " / Cannot write {target}: not writable (Permission denied)."),
    (errno.EROFS, "无法写入 {target}：没有写权限，或是只读位置（Read-only file system）。"
                  "请换一个运行 duban 的用户能写的文件夹。未做任何改动。"
                  " / Cannot write {target}: not writable (Read-only file system)."),
])
def test_a_backup_to_a_read_only_place_names_it(office, capsys, monkeypatch, number, expected):
    config, store, _ = office
    target = store.parent.parent / "b.db"

    def refused(**kwargs):  # root writes anywhere: the refusal as a read-only place gives it
        raise OSError(number, os.strerror(number), str(kwargs["dir"]))

    monkeypatch.setattr("bot.store.maintenance.tempfile", SimpleNamespace(mkstemp=refused))
    before = snapshot(store.parent.parent)
    code, _, err = run(capsys, "--config", str(config), "backup", str(target))
    assert (code, err) == (2, f"duban: {expected.format(target=target)}\n")
    assert snapshot(store.parent.parent) == before


def test_a_backup_to_a_folder_or_into_a_missing_folder_names_the_path(office, capsys):
    config, store, _ = office
    home = store.parent.parent
    before = snapshot(home)
    code, _, err = run(capsys, "--config", str(config), "backup", str(home))
    assert (code, err) == (2, f"duban: {home} 是文件夹：请写出备份文件名，如 {home}/duban-备份.db。"
                              " / Give a file name, not a folder.\n")
    missing = home / "no-such" / "b.db"
    code, _, err = run(capsys, "--config", str(config), "backup", str(missing))
    assert (code, err) == (2, f"duban: 文件夹 {home / 'no-such'} 不存在，写不了备份 {missing}：请先建好它"
                              f"（mkdir -p {home / 'no-such'}），或换一个路径。未做任何改动。"
                              f" / The folder {home / 'no-such'} does not exist.\n")
    assert snapshot(home) == before and not (home / "no-such").exists()


def test_a_backup_of_a_damaged_store_blames_the_store_and_keeps_the_last_good_backup(office, capsys):
    config, store, good = office
    for extra in ("-wal", "-shm"):
        Path(f"{store}{extra}").unlink(missing_ok=True)
    damaged = bytearray(good.read_bytes())
    damaged[4096 * 3:4096 * 6] = b"\x07" * (4096 * 3)  # pages 4-6: table pages of the plan
    store.write_bytes(bytes(damaged))
    before = snapshot(store.parent.parent)
    code, _, err = run(capsys, "--config", str(config), "backup", "--force", str(good))
    assert code == 2
    assert err == (f"duban: 任务库 {store} 本身有问题，备份没有写出：完整性检查（integrity_check）未通过："
                   "database disk image is malformed。请运行 duban doctor 查看。 / The store itself is not whole "
                   "(integrity_check: database disk image is malformed); no backup was written.\n")
    assert snapshot(store.parent.parent) == before  # yesterday's good backup is still there, no .part left


def test_a_damaged_backup_is_refused_before_anything_is_touched(office, capsys):
    config, store, good = office
    damaged = bytearray(good.read_bytes())
    damaged[4096 * 3:4096 * 6] = b"\x07" * (4096 * 3)
    bad = store.parent.parent / "bad.db"
    bad.write_bytes(bytes(damaged))
    before = snapshot(store.parent)
    code, _, err = run(capsys, "--config", str(config), "restore", str(bad))
    assert (code, err) == (2, f"duban: {bad} 不是完整的督办助手任务库，未做任何改动："
                              "完整性检查（integrity_check）未通过：database disk image is malformed。"
                              "请换一个 duban backup 写出的文件。 / Not a whole duban store "
                              "(integrity_check: database disk image is malformed); nothing was changed.\n")
    assert snapshot(store.parent) == before  # not even the lock file made
