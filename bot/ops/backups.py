"""Backups of the store: ``duban backup FILE``, ``duban restore FILE`` and the nightly backup of
``[backup] keep = N`` (a job on the reminders' APScheduler, run at ``backup.time`` in ``bot.timezone``).

The copy itself is :func:`bot.store.maintenance.backup` (SQLite's online backup: consistent while the
server writes, WAL included). A restore is refused while a server holds the store's lock (bot.ops.lock)
or any program has the store open (SQLite's own lock), and for a file that is not a whole store.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
from datetime import datetime
from pathlib import Path

from bot.config import Config
from bot.ops.lock import StoreLock, lock_path
from bot.ops.words import OpsError, word
from bot.store import StoreError
from bot.store.maintenance import NotAStore, StoreCheck, StoreInUse, TargetUnwritable, backup, check_file, restore

log = logging.getLogger("duban.backup")

NIGHTLY = re.compile(r"duban-(\d{4}-\d{2}-\d{2})\.db")


def store_reason(error: NotAStore) -> str:
    """Why ``error``'s file is not a whole store, in Chinese (ops.j2's store_reason)."""
    return word("store_reason", kind=error.kind, items=error.items, detail=error.detail)


def _english(error: Exception, path: Path) -> str:
    return str(error).removeprefix(f"{path}: ")


def _unwritable(error: TargetUnwritable) -> OpsError:
    return OpsError(word("cannot_write", path=error.path, kind=error.kind, detail=error.detail))


def store_files(store: Path) -> dict[Path, str]:
    """Every file a running store is made of → what it is ("store", "wal", "shm", "journal", "lock"),
    under the configured path and, when it is a symlink, under the real one (SQLite puts its -wal
    beside the real file; the lock sits beside the configured path)."""
    files: dict[Path, str] = {}
    for base in dict.fromkeys((store.absolute(), store.resolve())):
        files[base] = "store"
        for suffix, part in (("-wal", "wal"), ("-shm", "shm"), ("-journal", "journal")):
            files[base.with_name(base.name + suffix)] = part
        files[lock_path(base)] = "lock"
    return files


def _store_part(store: Path, target: Path) -> str | None:
    """What of the store's own files ``target`` is (resolved, symlinks followed, hard links caught), or None."""
    for path, part in store_files(store).items():
        if target == path.resolve():
            return part
        with contextlib.suppress(OSError):
            if target.exists() and path.exists() and os.path.samefile(target, path):
                return part
    return None


def backup_to(config: Config, target: Path, *, force: bool = False) -> StoreCheck:
    """``duban backup FILE``: the configured store copied to ``target``. Raises :class:`OpsError` (nothing
    written, nothing changed) when there is no store yet, ``target`` is one of the store's own files
    (the store, its -wal/-shm/-journal, the server's lock; :func:`store_files`), a folder, in a folder
    that does not exist, exists without ``force``, or cannot be written (the disk full, no permission)."""
    store = Path(config.bot.database)
    target = target.resolve()
    if not store.is_file():
        raise OpsError(word("no_store", path=store))
    part = _store_part(store, target)
    if part:
        raise OpsError(word("backup_onto_store", path=target, part=part))
    if target.is_dir():
        raise OpsError(word("backup_is_folder", path=target))
    if not target.parent.is_dir():
        raise OpsError(word("backup_no_folder", path=target, folder=target.parent))
    if target.exists() and not force:
        raise OpsError(word("backup_exists", path=target))
    try:
        return backup(store, target)
    except NotAStore as error:  # the store, or its copy (then the store is damaged): nothing written
        raise OpsError(word("store_unreadable", path=store, reason=store_reason(error),
                            english=_english(error, error.path))) from None
    except TargetUnwritable as error:
        raise _unwritable(error) from None
    except sqlite3.DatabaseError as error:  # the store could not be read while copied: it is damaged
        raise OpsError(word("store_unreadable", path=store, reason=word(
            "store_reason", kind="damaged", items=[str(error)], detail=""), english=str(error))) from None


def restore_from(config: Config, source: Path, now: datetime) -> tuple[StoreCheck, Path | None]:
    """``duban restore FILE``: the store replaced by the backup ``source``, the current store kept
    beside it as ``<store>.before-restore-<YYYYmmdd-HHMMSS>.db`` (``now``: Asia/Shanghai). Returns the
    restored store's check and the kept file (None when there was no store).

    Two locks, both taken at once or the restore refused: duban's own (bot/ops/lock.py, so no
    ``duban serve`` starts meanwhile) and SQLite's exclusive lock on the store file itself
    (bot/store/maintenance.py), which fails while any process has the store open — so the check
    does not rest on the lock file alone, which a user can delete or overwrite.

    Raises :class:`OpsError` (nothing changed) while a server or another program uses the store,
    or when ``source`` is not a whole duban store (bot/store/verify.py)."""
    store = Path(config.bot.database)
    source = source.resolve()
    if _store_part(store, source):
        raise OpsError(word("restore_onto_store", path=source))
    try:  # before anything is touched, the lock file included
        problems = check_file(source).problems
        if problems:
            raise NotAStore(source, "damaged", tuple(problems))
    except NotAStore as error:
        raise OpsError(word("not_a_store", path=source, reason=store_reason(error),
                            english=_english(error, source))) from None
    lock = StoreLock(store, shared=False)
    if not lock.acquire():
        raise OpsError(word("restore_while_serving", path=store))
    with lock:
        kept = store.with_name(f"{store.stem}.before-restore-{now:%Y%m%d-%H%M%S}.db") if store.is_file() else None
        try:
            return restore(source, store, keep_current=kept), kept
        except NotAStore as error:
            raise OpsError(word("not_a_store", path=source, reason=store_reason(error),
                                english=_english(error, source))) from None
        except StoreInUse:
            raise OpsError(word("restore_in_use", path=store)) from None
        except TargetUnwritable as error:
            raise _unwritable(error) from None


def nightly_backup(config: Config, now: datetime) -> Path | None:
    """The nightly job: the store copied to ``<backup.folder>/duban-<today>.db`` (``now``'s day, in the
    bot's zone), then all but the newest ``backup.keep`` such files removed. None when keep is 0 or
    there is no store yet. Other files in the folder are never touched."""
    keep = config.backup.keep
    store = Path(config.bot.database)
    if keep <= 0 or not store.is_file():
        return None
    folder = Path(config.backup.folder)
    target = folder / f"duban-{now.date().isoformat()}.db"
    backup(store, target)
    dated = sorted((p for p in folder.iterdir() if NIGHTLY.fullmatch(p.name)), key=lambda p: p.name)
    for old in dated[:-keep]:
        old.unlink()
    return target


def schedule_nightly(scheduler, bot) -> None:
    """Add the nightly backup to ``scheduler`` (the reminders' AsyncIOScheduler) when ``backup.keep`` > 0:
    at ``backup.time`` in ``bot.timezone``, off the event loop (``Bot.offload``). A failure is logged."""
    from apscheduler.triggers.cron import CronTrigger

    if bot.config.backup.keep <= 0:
        return
    hour, minute = (int(part) for part in bot.config.backup.time.split(":"))

    async def job() -> None:
        try:
            target = await bot.offload(nightly_backup, bot.config, bot.clock.now())
            log.info("nightly backup: %s", target)
        except TargetUnwritable as error:
            log.error("%s", _unwritable(error))
        except (OSError, StoreError) as error:
            log.error("%s", word("nightly_failed", folder=bot.config.backup.folder, reason=str(error)))

    scheduler.add_job(job, CronTrigger(hour=hour, minute=minute, timezone=bot.config.tz), id="nightly-backup",
                      replace_existing=True, coalesce=True, max_instances=1, misfire_grace_time=3600)
