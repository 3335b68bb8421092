"""Backups of the store: ``duban backup FILE``, ``duban restore FILE`` and the nightly backup of
``[backup] keep = N`` (a job on the reminders' APScheduler, run at ``backup.time`` in ``bot.timezone``).

The copy itself is :func:`bot.store.maintenance.backup` (SQLite's online backup: consistent while the
server writes, WAL included). A restore is refused while a server holds the store's lock (bot.ops.lock).
"""

from __future__ import annotations

import logging
import re
from datetime import datetime
from pathlib import Path

from bot.config import Config
from bot.ops.lock import StoreLock
from bot.ops.words import OpsError, word
from bot.store import StoreError
from bot.store.maintenance import NotAStore, StoreCheck, backup, restore

log = logging.getLogger("duban.backup")

NIGHTLY = re.compile(r"duban-(\d{4}-\d{2}-\d{2})\.db")


def _reason(error: Exception, path: Path) -> str:
    return str(error).removeprefix(f"{path}: ")


def backup_to(config: Config, target: Path, *, force: bool = False) -> StoreCheck:
    """``duban backup FILE``: the configured store copied to ``target``. Raises :class:`OpsError` (nothing
    written) when there is no store yet, ``target`` is the store or exists without ``force``."""
    store = Path(config.bot.database)
    target = target.resolve()
    if not store.is_file():
        raise OpsError(word("no_store", path=store))
    if target in (store, store.with_name(store.name + "-wal")):
        raise OpsError(word("backup_onto_store", path=target))
    if target.is_dir():
        raise OpsError(word("backup_is_folder", path=target))
    if target.exists() and not force:
        raise OpsError(word("backup_exists", path=target))
    try:
        return backup(store, target)
    except NotAStore as error:
        raise OpsError(word("not_a_store", path=store, reason=_reason(error, store))) from None
    except StoreError as error:  # the copy failed its integrity check: the store itself is damaged
        raise OpsError(word("not_a_store", path=store, reason=_reason(error, target))) from None
    except OSError as error:
        raise OpsError(word("cannot_write", path=target, reason=error.strerror or str(error))) from None


def restore_from(config: Config, source: Path, now: datetime) -> tuple[StoreCheck, Path | None]:
    """``duban restore FILE``: the store replaced by the backup ``source``, the current store kept
    beside it as ``<store>.before-restore-<YYYYmmdd-HHMMSS>.db`` (``now``: Asia/Shanghai). Returns the
    restored store's check and the kept file (None when there was no store).

    Raises :class:`OpsError` (nothing changed) while a server uses the store, or when ``source`` is
    not a whole duban store."""
    store = Path(config.bot.database)
    source = source.resolve()
    if source == store:
        raise OpsError(word("restore_onto_store", path=source))
    lock = StoreLock(store, shared=False)
    if not lock.acquire():
        raise OpsError(word("restore_while_serving", path=store))
    with lock:
        kept = store.with_name(f"{store.stem}.before-restore-{now:%Y%m%d-%H%M%S}.db") if store.is_file() else None
        try:
            return restore(source, store, keep_current=kept), kept
        except NotAStore as error:
            raise OpsError(word("not_a_store", path=source, reason=_reason(error, source))) from None


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
        except (OSError, StoreError) as error:
            log.error("%s", word("nightly_failed", folder=bot.config.backup.folder, reason=str(error)))

    scheduler.add_job(job, CronTrigger(hour=hour, minute=minute, timezone=bot.config.tz), id="nightly-backup",
                      replace_existing=True, coalesce=True, max_instances=1, misfire_grace_time=3600)
