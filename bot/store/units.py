"""One fact, one transaction (issue 13): the store's transactions, as a part of :class:`~bot.store.core.Store`.

Every write is one ``BEGIN IMMEDIATE`` transaction (the write lock taken up front, so two
processes queue on the busy timeout instead of failing on a lock upgrade). Inside
:meth:`UnitOfWork.unit` every write of this thread joins one transaction instead, each as a
savepoint (undone alone if it raises): a message's claim, the state change it causes and the
answer it records, or a day's tick row with its claims and outbox rows, are committed together
or not at all. The connection is shared by threads: from the first write of a unit to its
commit, the unit's thread holds the store's lock.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from sqlite_utils import Database


class UnitOfWork:
    """Transactions over ``self.db`` guarded by ``self._lock`` (an RLock); ``self._local`` is a
    ``threading.local``; ``self._plan_writes`` counts plan-data writes (the read caches' key);
    ``self.synchronous`` is the connection's ``PRAGMA synchronous`` ("FULL" or "NORMAL")."""

    db: Database
    _lock: threading.RLock
    _local: threading.local
    _plan_writes: int
    synchronous: str = "FULL"

    def _unit_state(self) -> threading.local:
        state = self._local
        if not hasattr(state, "depth"):
            state.depth, state.begun, state.sync, state.savepoints = 0, False, True, 0
        return state

    def _begin(self, sync: bool) -> None:
        """Take the lock (held until :meth:`_end`) and ``BEGIN IMMEDIATE``."""
        self._lock.acquire()
        relax = not sync and self.synchronous != "NORMAL"
        try:
            if relax:
                self.db.conn.execute("PRAGMA synchronous = NORMAL")
            self.db.conn.execute("BEGIN IMMEDIATE")
        except BaseException:
            if relax:
                self.db.conn.execute(f"PRAGMA synchronous = {self.synchronous}")
            self._lock.release()
            raise

    def _end(self, commit: bool, sync: bool) -> None:
        """COMMIT (or ROLLBACK) what :meth:`_begin` opened and release the lock. A rollback, or
        a commit that fails, empties the read caches: they may hold what was never committed."""
        try:
            if commit:
                try:
                    self.db.conn.execute("COMMIT")
                except BaseException:
                    self._rollback()
                    raise
            else:
                self._rollback()
        finally:
            if not sync and self.synchronous != "NORMAL":
                self.db.conn.execute(f"PRAGMA synchronous = {self.synchronous}")
            self._lock.release()

    def _rollback(self) -> None:
        self._plan_writes += 1
        if self.db.conn.in_transaction:
            self.db.conn.execute("ROLLBACK")

    @contextmanager
    def unit(self, *, sync: bool = True) -> Iterator[None]:
        """One transaction for every write made inside the block, by this thread, whatever
        function makes it (handlers, withdraw, outbox): committed when the block ends, rolled
        back if it raises. The transaction begins at the first write (reads before it take no
        lock); a nested ``unit`` is part of the outer one. ``sync=False`` commits without
        waiting for the disk (see :meth:`write`)."""
        state = self._unit_state()
        if state.depth:
            state.depth += 1
            try:
                yield
            finally:
                state.depth -= 1
            return
        state.depth, state.begun, state.sync = 1, False, sync
        try:
            yield
        except BaseException:
            if state.begun:
                self._end(False, sync)
            raise
        else:
            if state.begun:
                self._end(True, sync)
        finally:
            state.depth, state.begun = 0, False

    def write_one(self, sql: str, params: tuple | list = (), *, plan_data: bool = True) -> sqlite3.Cursor:
        """One statement as one write, its cursor returned (for ``rowcount``). The same as a
        :meth:`write` block of that one statement, less the savepoint inside a :meth:`unit`: a
        statement that fails is undone alone by SQLite itself, so three statements are saved
        on the callback path's every claim and answer."""
        state = self._unit_state()
        if not state.depth:
            with self.write(plan_data=plan_data) as db:
                return db.conn.execute(sql, params)
        if not state.begun:
            self._begin(state.sync)
            state.begun = True
        try:
            return self.db.conn.execute(sql, params)
        finally:
            if plan_data:
                self._plan_writes += 1

    @contextmanager
    def write(self, *, plan_data: bool = True, sync: bool = True) -> Iterator[Database]:
        """One write transaction (``BEGIN IMMEDIATE``: the write lock is taken up front, so two
        processes queue on the busy timeout instead of failing on a lock upgrade). Inside a
        :meth:`unit` it is a savepoint of the unit's transaction instead: undone alone if the
        block raises, committed with the rest.

        ``plan_data=False`` for bookkeeping no cached read depends on (inbound messages, the
        outbox, claims); any other write empties the read cache. ``sync=False`` commits
        without waiting for the disk (``synchronous = NORMAL``): only for records a power cut
        may forget; every later synced commit writes them to disk too, since the WAL is
        flushed in order."""
        state = self._unit_state()
        if state.depth:
            if not state.begun:
                self._begin(state.sync)
                state.begun = True
            state.savepoints += 1
            name = f"w{state.savepoints}"
            conn = self.db.conn
            conn.execute(f"SAVEPOINT {name}")
            try:
                yield self.db
            except BaseException:
                conn.execute(f"ROLLBACK TO {name}")
                conn.execute(f"RELEASE {name}")
                self._plan_writes += 1
                raise
            else:
                conn.execute(f"RELEASE {name}")
            finally:
                state.savepoints -= 1
                if plan_data:
                    self._plan_writes += 1
            return
        self._begin(sync)
        try:
            yield self.db
        except BaseException:
            self._end(False, sync)
            raise
        else:
            if plan_data:
                self._plan_writes += 1
            self._end(True, sync)

