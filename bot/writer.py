"""One writer thread that commits in groups (issue 13 "one transaction per fact", and the speed
of the callback path).

A job is a function run on the writer thread inside the store's unit of work, as one
savepoint: a message's claim, the change it causes and the answer it records are one job, so
they land together or not at all. The thread takes every job waiting (up to ``MAX_BATCH``)
and commits them in one ``synchronous=FULL`` transaction, one disk flush for the group; only
after that commit does any job's result reach its caller. So an answer never leaves before
its claim is on disk, and a job that raises is undone alone (its message is not left
claimed-and-silent: the next delivery answers it).
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from bot.store import Store

log = logging.getLogger("duban.writer")

MAX_BATCH = 128
_STOP = object()


class Writer:
    """The writer thread of ``store``; started on the first job, stopped by :meth:`close`."""

    def __init__(self, store: Store):
        self.store = store
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        """Run ``fn(*args)`` on the writer thread inside the next group transaction; the Future
        holds its result (or exception) once that transaction is committed."""
        if self._thread is None:
            with self._start_lock:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._run, name="duban-writer", daemon=True)
                    self._thread.start()
        future: Future = Future()
        self._jobs.put((fn, args, future))
        return future

    async def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        """:meth:`submit` awaited from the event loop. Not cancelled with its caller: a job once
        queued is committed (a shutdown must not leave half a fact)."""
        return await asyncio.shield(asyncio.wrap_future(self.submit(fn, *args)))

    def close(self) -> None:
        """Commit what is queued, then stop the thread."""
        if self._thread is not None:
            self._jobs.put(_STOP)
            self._thread.join()
            self._thread = None

    def _run(self) -> None:
        stopping = False
        while not stopping:
            first = self._jobs.get()
            if first is _STOP:
                return
            batch = [first]
            while len(batch) < MAX_BATCH:
                try:
                    job = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if job is _STOP:
                    stopping = True
                    break
                batch.append(job)
            self._commit(batch)

    def _commit(self, batch: list[tuple[Callable, tuple, Future]]) -> None:
        outcomes: list[tuple[bool, Any]] = []
        try:
            with self.store.unit():
                for fn, args, future in batch:
                    if not future.set_running_or_notify_cancel():
                        outcomes.append((False, None))
                        continue
                    try:
                        with self.store.write(plan_data=False):  # a savepoint: undone alone if it raises
                            value = fn(*args)
                        outcome = (True, value)
                    except Exception as error:  # the caller decides what a failed job means
                        outcome = (False, error)
                    outcomes.append(outcome)
        except Exception as error:  # the commit failed: nothing of the group is recorded
            log.exception("writer: a group of %d jobs could not be committed", len(batch))
            for _, _, future in batch:
                if future.running():
                    future.set_exception(error)
            return
        for (ok, value), (_, _, future) in zip(outcomes, batch, strict=True):
            if not future.running():
                continue
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)
