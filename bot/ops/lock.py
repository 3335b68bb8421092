"""Who is using a store: every ``duban serve`` holds a shared lock on ``<store>.lock`` for as long as it
runs; ``duban restore`` takes it exclusively, so it is refused while any server runs, and a server does
not start in the middle of a restore. An OS file lock (flock; msvcrt on Windows), not a pid file: the
system drops it when the process ends, however it ends, so a crash leaves no stale lock.

A lock file can be deleted or overwritten (a new file at the path holds no lock, and the server's
lock on the old one goes unseen), so restore does not rest on it alone: it also takes SQLite's
exclusive lock in the store file itself (bot/store/maintenance.py), and ``duban backup`` refuses
the lock file as its target.
"""

from __future__ import annotations

import os
from pathlib import Path

if os.name == "nt":  # pragma: no cover (Windows has no shared lock here: the first server holds it)
    import msvcrt

    def _try_lock(fd: int, shared: bool) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
else:
    import fcntl

    def _try_lock(fd: int, shared: bool) -> bool:
        try:
            fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
            return True
        except OSError:
            return False


def lock_path(store_path: Path) -> Path:
    """``duban.db`` → ``duban.db.lock`` beside it."""
    return store_path.with_name(store_path.name + ".lock")


class StoreLock:
    """A lock on ``lock_path(store_path)``: ``shared`` for a server, exclusive for a restore.
    ``acquire()`` → True when taken (held until ``release()`` or the process ends), False when a
    holder of the other kind (or, for exclusive, any holder) has it. Usable as a context manager
    after a successful ``acquire()``."""

    def __init__(self, store_path: Path, *, shared: bool):
        self.path = lock_path(store_path)
        self.shared = shared
        self._fd: int | None = None

    def acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        if not _try_lock(fd, self.shared):
            os.close(fd)
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the file drops the lock
            self._fd = None

    def __enter__(self) -> StoreLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

