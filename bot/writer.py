"""One writer thread that commits in groups (issue 13 "one transaction per fact", and the speed
of the callback path).

A job is a function run on the writer thread inside the store's unit of work, as one
savepoint: a message's claim, the change it causes and the answer it records are one job, so
they land together or not at all. The thread takes every job waiting (up to ``MAX_BATCH``)
and commits them in one transaction, one disk flush for the group (``synchronous`` as the
store is configured: FULL by default); only after that commit does any job's result reach its
caller. So an answer never leaves before its claim is on disk, and a job that raises is undone
alone (its message is not left claimed-and-silent: the next delivery answers it).

Cheap for the event loop: a job awaited there (:meth:`Writer.run`) is settled by one wake-up
of its loop per group, not one per job, and a job nobody waits for (:meth:`Writer.later`)
costs no future at all; a group made only of such jobs is committed without waiting for the
disk (see :meth:`Writer.later`).
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


class _Job:
    """``fn(*args)``; its result goes to ``future`` (a thread's), or to ``waiter`` (an asyncio
    future of ``loop``), or nowhere (``durable`` False: a :meth:`Writer.later` job)."""

    __slots__ = ("args", "durable", "fn", "future", "loop", "waiter")

    def __init__(self, fn: Callable[..., Any], args: tuple, *, future: Future | None = None,
                 loop: asyncio.AbstractEventLoop | None = None, waiter: asyncio.Future | None = None,
                 durable: bool = True):
        self.fn, self.args, self.future, self.loop, self.waiter, self.durable = fn, args, future, loop, waiter, durable


def _settle(outcomes: list[tuple[asyncio.Future, bool, Any]]) -> None:
    """On the event loop: hand each waiter its job's outcome (a waiter whose caller was cancelled
    is done already; the job was committed all the same)."""
    for waiter, ok, value in outcomes:
        if waiter.done():
            if not ok:
                log.warning("writer: a job whose caller had gone failed: %s", value)
            continue
        if ok:
            waiter.set_result(value)
        else:
            waiter.set_exception(value)


class Writer:
    """The writer thread of ``store``; started on the first job, stopped by :meth:`close`."""

    def __init__(self, store: Store):
        self.store = store
        self._jobs: queue.SimpleQueue = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._start_lock = threading.Lock()

    def _put(self, job: _Job) -> None:
        if self._thread is None:
            with self._start_lock:
                if self._thread is None:
                    self._thread = threading.Thread(target=self._run, name="duban-writer", daemon=True)
                    self._thread.start()
        self._jobs.put(job)

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        """Run ``fn(*args)`` on the writer thread inside the next group transaction; the Future
        holds its result (or exception) once that transaction is committed (durably)."""
        future: Future = Future()
        self._put(_Job(fn, args, future=future))
        return future

    async def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        """:meth:`submit` awaited from the event loop. Not cancelled with its caller: a job once
        queued is committed (a shutdown must not leave half a fact)."""
        loop = asyncio.get_running_loop()
        waiter = loop.create_future()
        self._put(_Job(fn, args, loop=loop, waiter=waiter))
        return await waiter

    def later(self, fn: Callable[..., Any], *args: Any) -> None:
        """``fn(*args)`` in the next group transaction, not waited for; a failure is logged. It
        does not ask for the disk: in a group with a durable job (any other) it is flushed with
        it, and a group of such jobs only is committed with ``synchronous = NORMAL`` — durable
        against the process dying, and on disk at the next flushed commit (the WAL is written in
        order). For records whose loss in a power cut is harmless (a passive answer's
        "delivered": a redelivery is then answered again, as WeCom's retry asks anyway). It runs
        without a savepoint of its own: ``fn`` makes one statement (``Store.write_one``) or
        opens its own ``Store.write`` block."""
        self._put(_Job(fn, args, durable=False))

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

    def _commit(self, batch: list[_Job]) -> None:
        outcomes: list[tuple[bool, Any]] = []
        try:
            with self.store.unit(sync=any(job.durable for job in batch)):
                for job in batch:
                    if job.future is not None and not job.future.set_running_or_notify_cancel():
                        outcomes.append((False, None))
                        continue
                    try:
                        if job.durable:
                            with self.store.write(plan_data=False):  # a savepoint: undone alone if it raises
                                value = job.fn(*job.args)
                        else:  # one statement: SQLite undoes it alone (Writer.later)
                            value = job.fn(*job.args)
                        outcome = (True, value)
                    except Exception as error:  # the caller decides what a failed job means
                        outcome = (False, error)
                    outcomes.append(outcome)
        except Exception as error:  # the commit failed: nothing of the group is recorded
            log.exception("writer: a group of %d jobs could not be committed", len(batch))
            outcomes = [(False, error)] * len(batch)
        self._deliver(batch, outcomes)

    @staticmethod
    def _deliver(batch: list[_Job], outcomes: list[tuple[bool, Any]]) -> None:
        by_loop: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future, bool, Any]]] = {}
        for (ok, value), job in zip(outcomes, batch, strict=True):
            if job.waiter is not None:
                by_loop.setdefault(job.loop, []).append((job.waiter, ok, value))
            elif job.future is not None:
                if job.future.cancelled() or not (job.future.running() or job.future.set_running_or_notify_cancel()):
                    continue  # cancelled before it ran
                if ok:
                    job.future.set_result(value)
                else:
                    job.future.set_exception(value)
            elif not ok:
                log.error("a deferred store write failed: %s", value)
        for loop, settled in by_loop.items():
            try:
                loop.call_soon_threadsafe(_settle, settled)
            except RuntimeError:  # the loop was closed meanwhile: nobody is waiting any more
                log.warning("writer: %d results for a closed event loop dropped", len(settled))
