"""The store is a real SQLite file with the promised settings (issue "task store")."""

from __future__ import annotations

import sqlite3

import pytest

from bot.store import Store


def test_wal_foreign_keys_busy_timeout_and_schema_version(bot):
    db = bot.store.db
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert db.execute("PRAGMA foreign_keys").fetchone() == (1,)
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert bot.store.schema_version == 2
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
    assert again.schema_version == 2
    assert again.tasks(again.active_plan().id) == before


def test_a_file_that_is_not_sqlite_is_refused(tmp_path):
    path = tmp_path / "duban.db"
    path.write_text("not a database " * 100)
    with pytest.raises(sqlite3.DatabaseError):
        Store(path)


def test_a_second_process_waits_for_the_write_lock(bot):
    other = Store(bot.store.path, busy_timeout_s=0.05)
    with bot.store.write(), pytest.raises(sqlite3.OperationalError, match="locked"), other.write():
        pass
    with other.write() as db:  # free again
        db.execute("SELECT 1")
    other.close()
