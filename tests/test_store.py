"""The store is a real SQLite file with the promised settings (issue "task store")."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from bot.store import Store, StoreError
from bot.store.schema import migrations

# Every migration this code defines, in order: a new store has all of them applied.
LATEST = len(migrations._migrations)


def test_wal_foreign_keys_busy_timeout_and_schema_version(bot):
    db = bot.store.db
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert db.execute("PRAGMA foreign_keys").fetchone() == (1,)
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert bot.store.schema_version == LATEST
    assert (bot.store.path.parent / "duban.db-wal").exists()


def test_events_are_append_only(bot):
    with pytest.raises(sqlite3.IntegrityError, match="append-only"), bot.store.write() as db:
        db.execute("UPDATE events SET actor = 'someone else'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"), bot.store.write() as db:
        db.execute("DELETE FROM events")
    assert bot.store.db.execute("SELECT COUNT(*), MIN(actor) FROM events").fetchone() == (36, "cli")


def test_reopening_keeps_everything_and_does_not_migrate_again(bot):
    path = bot.store.path
    before = bot.store.tasks(bot.store.active_plan().id)
    bot.close()
    again = Store(path)
    assert again.schema_version == LATEST
    assert again.tasks(again.active_plan().id) == before


def test_a_file_that_is_not_sqlite_is_refused(tmp_path):
    path = tmp_path / "duban.db"
    path.write_text("not a database " * 100)
    with pytest.raises(StoreError, match="file is not a database"):
        Store(path)


def test_a_folder_or_an_impossible_path_is_refused(tmp_path):
    with pytest.raises(StoreError, match="is a folder"):
        Store(tmp_path)
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreError, match="cannot make its folder"):
        Store(tmp_path / "file" / "duban.db")


def test_another_programs_database_is_left_alone(tmp_path):
    path = tmp_path / "other.db"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE tasks (id INTEGER, title TEXT)")
    other.commit()
    other.close()
    with pytest.raises(StoreError, match="another program's database"):
        Store(path)
    check = sqlite3.connect(path)
    assert [r[0] for r in check.execute("SELECT name FROM sqlite_master WHERE type = 'table'")] == ["tasks"]


def test_stores_opened_together_on_a_new_file_migrate_it_once(tmp_path):
    path = tmp_path / "new.db"
    errors, stores = [], []

    def open_store():
        try:
            stores.append(Store(path))
        except Exception as error:  # the test reports any failure
            errors.append(error)

    threads = [threading.Thread(target=open_store) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert [s.schema_version for s in stores] == [LATEST] * 8


def test_a_second_process_waits_for_the_write_lock(bot):
    other = Store(bot.store.path, busy_timeout_s=0.05)
    with bot.store.write(), pytest.raises(sqlite3.OperationalError, match="locked"), other.write():
        pass
    with other.write() as db:  # free again
        db.execute("SELECT 1")
    other.close()
