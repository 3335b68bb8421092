"""Looking after the store file: online backup, restore, integrity, removing a chat binding.

A backup goes through SQLite's online backup API (``sqlite3.Connection.backup``), never a file
copy: the store runs in WAL mode, so the newest commits may live only in ``duban.db-wal`` (a copy
of ``duban.db`` alone taken after the server stopped held 50 of 60 events). The backup reads one
consistent snapshot through a connection, WAL included, while the server goes on writing.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

from bot.store.core import Store, StoreError, add_event
from bot.store.verify import NotAStore, StoreCheck, check_file, open_read_only

__all__ = [
    "NotAStore",
    "StoreCheck",
    "StoreInUse",
    "TargetUnwritable",
    "backup",
    "cancel_push",
    "check_file",
    "integrity",
    "plan_people",
    "remove_bindings",
    "restore",
    "retry_push",
]


class TargetUnwritable(StoreError):
    """A backup (or the copy a restore keeps) could not be written at ``path``: ``kind`` "full" (no
    space left, quota), "readonly" (no permission, read-only file system) or "other"; ``detail`` the
    system's words. The partial file was removed and nothing else changed."""

    def __init__(self, path: Path, kind: str, detail: str):
        super().__init__(f"{path}: cannot write ({detail})")
        self.path, self.kind, self.detail = path, kind, detail


class StoreInUse(StoreError):
    """Another connection has the store open (a running ``duban serve``, a ``duban ask``, a sqlite3
    shell): SQLite refused this process the store's exclusive lock. Nothing was changed."""


_FULL_ERRNO = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_READONLY_ERRNO = {errno.EACCES, errno.EPERM, errno.EROFS}
# SQLite's primary result codes (sqlite3.h): where a failed copy went wrong.
_SQLITE_FULL, _SQLITE_READONLY, _SQLITE_CANTOPEN, _SQLITE_PERM = 13, 8, 14, 3
_SQLITE_SOURCE_SIDE = {11, 26, 266, 522}  # CORRUPT, NOTADB, IOERR_READ, IOERR_SHORT_READ: the store's fault


def _target_error(target: Path, error: OSError | sqlite3.Error) -> TargetUnwritable | None:
    """The error of writing ``target`` that ``error`` is, or None when it is the source's (a damaged store)."""
    if isinstance(error, OSError):
        kind = "full" if error.errno in _FULL_ERRNO else "readonly" if error.errno in _READONLY_ERRNO else "other"
        return TargetUnwritable(target, kind, error.strerror or str(error))
    code = getattr(error, "sqlite_errorcode", None)
    if code is None or code in _SQLITE_SOURCE_SIDE or code & 0xFF in _SQLITE_SOURCE_SIDE:
        return None
    primary = code & 0xFF
    kind = ("full" if primary == _SQLITE_FULL else
            "readonly" if primary in (_SQLITE_READONLY, _SQLITE_CANTOPEN, _SQLITE_PERM) else "other")
    return TargetUnwritable(target, kind, str(error))


def integrity(store: Store) -> list[str]:
    """SQLite's ``PRAGMA integrity_check`` on the open store: [] when whole, else its lines (at most 20)."""
    with store._lock:
        lines = [row[0] for row in store.db.execute("PRAGMA integrity_check(20)").fetchall()]
    return [] if lines == ["ok"] else lines


def _write_copy(source: sqlite3.Connection, copy: sqlite3.Connection) -> None:
    """The write itself: one step, a read snapshot of the whole store (WAL included) into ``copy``."""
    source.backup(copy)


def _copy(source: sqlite3.Connection, target: Path, *, checked: bool = True) -> StoreCheck | None:
    """The online backup of ``source`` into a new file at ``target``: written beside it under a
    temporary name and renamed into place, so a failed backup leaves no half file (and an old
    ``target`` as it was); the copy is a single file (journal_mode DELETE), with no -wal to carry
    along. ``target``'s folder must exist. When ``checked``, the copy is checked (bot/store/verify.py)
    before it takes ``target``'s place, and its check returned.

    Raises :class:`TargetUnwritable` when ``target`` cannot be written (disk full, no permission),
    ``sqlite3.Error`` when the source cannot be read, :class:`NotAStore` when the copy fails its
    check (the store itself is damaged): in each case ``target`` is as it was."""
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as error:
        raise _target_error(target, error) from None
    os.close(handle)
    try:
        copy = sqlite3.connect(temporary)
        try:
            _write_copy(source, copy)
            copy.execute("PRAGMA journal_mode = DELETE")
            copy.commit()
        finally:
            copy.close()
        check = check_file(Path(temporary)) if checked else None
        if check is not None and check.problems:
            raise NotAStore(target, "damaged", tuple(check.problems))
        os.replace(temporary, target)
        return check
    except (OSError, sqlite3.Error) as error:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        unwritable = _target_error(target, error)
        if unwritable is None:
            raise
        raise unwritable from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def backup(store_path: Path, target: Path) -> StoreCheck:
    """Write a consistent copy of the store at ``store_path`` to ``target`` (replaced if there)
    while other connections may be writing, and check the copy; returns the copy's check.
    ``target``'s folder is made when missing.

    Raises :class:`NotAStore` for a missing, foreign or incomplete store, :class:`TargetUnwritable`
    when ``target`` cannot be written, or when the copy fails its integrity check (then nothing is
    written: an older backup at ``target`` stays)."""
    check_file(store_path)
    target.parent.mkdir(parents=True, exist_ok=True)
    source = open_read_only(store_path)
    try:
        return _copy(source, target)
    finally:
        source.close()


def _open_exclusive(store_path: Path) -> sqlite3.Connection:
    """A connection holding SQLite's exclusive lock on ``store_path`` until it closes (locking_mode
    EXCLUSIVE): no other connection reads or writes meanwhile. Taken at once or not at all, so it
    is also the check that no other process has the store open — a lock in the store file itself,
    which no backup can overwrite (a WAL store's every open connection holds a shared lock on it).
    Raises :class:`StoreInUse`; ``sqlite3.DatabaseError`` when the file is not a database."""
    conn = sqlite3.connect(str(store_path), timeout=0, isolation_level=None)
    try:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")  # the lock stays: locking_mode EXCLUSIVE keeps it until close
    except sqlite3.OperationalError as error:
        conn.close()
        if getattr(error, "sqlite_errorcode", 0) & 0xFF in (5, 6):  # SQLITE_BUSY, SQLITE_LOCKED
            raise StoreInUse(f"{store_path}: in use by another connection") from None
        raise
    except BaseException:
        conn.close()
        raise
    return conn


def restore(source_path: Path, store_path: Path, keep_current: Path | None = None) -> StoreCheck:
    """Replace the store at ``store_path`` with the backup at ``source_path``, through SQLite (the
    store's own -wal is rewritten, not left to replay over the restored pages), holding the store's
    exclusive lock throughout. The current store is first copied as it is to ``keep_current`` when
    given and the store exists (a damaged store too: restoring over one is what restore is for).

    The caller also holds duban's own lock (:mod:`bot.ops.lock`). Raises :class:`NotAStore`
    (nothing changed) when ``source_path`` is not a whole duban store, :class:`StoreInUse` when
    another connection has the store open, :class:`TargetUnwritable` when the kept copy or the
    store cannot be written (the store is then as it was: SQLite's backup is one transaction)."""
    checked = check_file(source_path)
    if checked.problems:
        raise NotAStore(source_path, "damaged", tuple(checked.problems))
    store_path.parent.mkdir(parents=True, exist_ok=True)
    existed = store_path.is_file() and store_path.stat().st_size > 0
    try:
        target = _open_exclusive(store_path)
    except sqlite3.DatabaseError:  # the current file is not a database at all: kept as bytes, then replaced
        if keep_current is not None:
            _raw_copy(store_path, keep_current)
        os.truncate(store_path, 0)
        existed = False
        target = _open_exclusive(store_path)
    try:
        if keep_current is not None and existed:
            _copy(target, keep_current, checked=False)
        source = open_read_only(source_path)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode = WAL")  # as the Store opens it
            target.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as error:
            unwritable = _target_error(store_path, error)
            if unwritable is None:
                raise
            raise unwritable from None
        finally:
            source.close()
    finally:
        target.close()
    return check_file(store_path)


def _raw_copy(path: Path, target: Path) -> None:
    try:
        shutil.copyfile(path, target)
    except OSError as error:
        with contextlib.suppress(OSError):
            target.unlink()
        raise _target_error(target, error) from None


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
