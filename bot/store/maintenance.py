"""Looking after the store file: online backup, restore, integrity, removing a chat binding.

A backup goes through SQLite's online backup API (``sqlite3.Connection.backup``), never a file
copy: the store runs in WAL mode, so the newest commits may live only in ``duban.db-wal`` (a copy
of ``duban.db`` alone taken after the server stopped held 50 of 60 events). The backup reads one
consistent snapshot through a connection, WAL included, while the server goes on writing.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bot.store.core import Store, StoreError, add_event
from bot.store.schema import migrations


class NotAStore(StoreError):
    """A file given to restore that is not a duban store (or is damaged); nothing was changed."""


@dataclass(frozen=True)
class StoreCheck:
    """What ``check_file`` found: ``problems`` (SQLite's integrity_check lines, empty when it
    says ok), how many ``events`` and ``tasks`` rows the file holds, its ``schema_version``."""

    problems: list[str]
    events: int
    tasks: int
    schema_version: int


def _open_read_only(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise NotAStore(f"{path}: no such file")
    try:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error as error:
        raise NotAStore(f"{path}: {error}") from None


def check_file(path: Path) -> StoreCheck:
    """Open ``path`` read-only and check it is a duban store that SQLite finds whole.

    Raises :class:`NotAStore` when it is not SQLite, or SQLite without duban's migrations."""
    conn = _open_read_only(path)
    try:
        try:
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as error:  # not a database at all
            raise NotAStore(f"{path}: {error}") from None
        ours = "_sqlite_migrations" in tables and conn.execute(
            "SELECT COUNT(*) FROM _sqlite_migrations WHERE migration_set = ?", [migrations.name]).fetchone()[0]
        if not ours:
            raise NotAStore(f"{path}: a SQLite file, but not a duban store")
        try:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check(20)")]
            problems = [] if problems == ["ok"] else problems
            counts = [conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in ("events", "tasks")]
        except sqlite3.DatabaseError as error:  # ours, but damaged past what integrity_check can list
            return StoreCheck([str(error)], 0, 0, ours)
        return StoreCheck(problems, counts[0], counts[1], ours)
    except sqlite3.DatabaseError as error:
        raise NotAStore(f"{path}: {error}") from None
    finally:
        conn.close()


def integrity(store: Store) -> list[str]:
    """SQLite's ``PRAGMA integrity_check`` on the open store: [] when whole, else its lines (at most 20)."""
    with store._lock:
        lines = [row[0] for row in store.db.execute("PRAGMA integrity_check(20)").fetchall()]
    return [] if lines == ["ok"] else lines


def _copy(source: sqlite3.Connection, target: Path) -> None:
    """The online backup of ``source`` into a new file at ``target``: written beside it under a
    temporary name and renamed into place, so a failed backup leaves no half file; the copy is a
    single file (journal_mode DELETE), with no -wal to carry along."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(handle)
    try:
        copy = sqlite3.connect(temporary)
        try:
            source.backup(copy)  # one step: a read snapshot of the whole store, WAL included
            copy.execute("PRAGMA journal_mode = DELETE")
            copy.commit()
        finally:
            copy.close()
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def backup(store_path: Path, target: Path) -> StoreCheck:
    """Write a consistent copy of the store at ``store_path`` to ``target`` (replaced if there)
    while other connections may be writing, and check the copy; returns the copy's check.

    Raises :class:`NotAStore` for a missing or foreign store, ``OSError`` when ``target`` cannot
    be written, ``StoreError`` when the copy fails its integrity check."""
    check_file(store_path)
    source = _open_read_only(store_path)
    try:
        _copy(source, target)
    finally:
        source.close()
    copied = check_file(target)
    if copied.problems:
        raise StoreError(f"{target}: the copy fails integrity_check: {'; '.join(copied.problems)}")
    return copied


def restore(source_path: Path, store_path: Path, keep_current: Path | None = None) -> StoreCheck:
    """Replace the store at ``store_path`` with the backup at ``source_path``, through SQLite (the
    store's own -wal is rewritten, not left to replay over the restored pages). The current store
    is first backed up to ``keep_current`` when given and the store exists.

    The caller makes sure no server is using the store (:mod:`bot.ops.lock`). Raises
    :class:`NotAStore` (nothing changed) when ``source_path`` is not a whole duban store."""
    checked = check_file(source_path)
    if checked.problems:
        raise NotAStore(f"{source_path}: integrity_check: {'; '.join(checked.problems)}")
    if keep_current is not None and store_path.is_file():
        backup(store_path, keep_current)
    source = _open_read_only(source_path)
    try:
        store_path.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(str(store_path), timeout=10)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode = WAL")  # as the Store opens it
            target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            target.close()
    finally:
        source.close()
    return check_file(store_path)


def remove_bindings(store: Store, person: str, *, actor: str, at: str) -> list[dict]:
    """Remove every chat binding (我是… / 确认…) of ``person``: the ids are no longer that person.
    Returns the removed rows (platform, sender_id, confirmed_at). Each row stays, marked
    ``removed_at`` (nothing is deleted), and leaves a ``binding.removed`` event naming who removed it."""
    with store.write(plan_data=False) as db:
        rows = list(db.query("SELECT id, platform, sender_id, person, confirmed_at FROM bindings "
                             "WHERE person = ? AND removed_at IS NULL",
                             [person]))
        for row in rows:
            db.execute("UPDATE bindings SET removed_at = ? WHERE id = ?", [at, row["id"]])
            add_event(db, at, "binding.removed", actor, platform=row["platform"],
                      before={"sender_id": row["sender_id"], "person": person, "confirmed_at": row["confirmed_at"]})
    return [{k: row[k] for k in ("platform", "sender_id", "confirmed_at")} for row in rows]


def plan_people(store: Store) -> set[str]:
    """Everyone a plan names as lead or owner (any plan, any time): not config's role members or
    ``[people]`` entries, which the people table holds too."""
    return {row["name"] for row in store._rows(
        "SELECT DISTINCT p.name FROM assignments a JOIN people p ON p.id = a.person_id")}


def retry_push(store: Store, row_id: int, *, actor: str, at: str) -> bool:
    """An admin's "retry" of a pending or failed outbox row: due now, its 24 hours counted afresh
    from ``at`` (a failed row would otherwise fail again at once). False when there is no such row
    (sent, withdrawn or unknown). Leaves an ``outbox.retried`` event."""
    with store.write(plan_data=False) as db:
        row = next(iter(db.query("SELECT status, created_at, attempts FROM outbox WHERE id = ? AND withdrawn = 0 "
                                 "AND status IN ('pending', 'failed')", [row_id])), None)
        if row is None:
            return False
        db.execute("UPDATE outbox SET status = 'pending', next_attempt_at = ?, created_at = ? WHERE id = ?",
                   [at, at, row_id])
        add_event(db, at, "outbox.retried", actor, before={"id": row_id, **row}, after={"status": "pending"})
    return True


def cancel_push(store: Store, row_id: int, *, actor: str, at: str) -> bool:
    """An admin's "cancel" of a pending or failed outbox row: withdrawn, never sent (the row stays,
    as a withdrawn closed task's line does). False when there is no such row. Leaves an
    ``outbox.cancelled`` event."""
    with store.write(plan_data=False) as db:
        row = next(iter(db.query("SELECT status, chat, on_date FROM outbox WHERE id = ? AND withdrawn = 0 "
                                 "AND status IN ('pending', 'failed')", [row_id])), None)
        if row is None:
            return False
        db.execute("UPDATE outbox SET withdrawn = 1 WHERE id = ?", [row_id])
        add_event(db, at, "outbox.cancelled", actor, chat=row["chat"], before={"id": row_id, **row})
    return True
