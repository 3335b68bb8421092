"""Whether a file is a whole duban store: the check behind ``duban backup``, ``duban restore`` and
``duban doctor`` (issue 15: "a restore of a file that is not a duban store: a clear error, nothing changed").

A file passes when SQLite opens it, it carries duban's migration record, every migration it records
is one this version knows (not written by a newer duban), and, once the migrations it lacks are
applied (tried on a copy in memory, never on the file), it has every table and column a store
made today has. SQLite's integrity_check is run and reported as ``problems``.

Refusals are :class:`NotAStore` with a ``kind`` (one of :data:`KINDS`) and ``items`` (the tables,
columns or migrations concerned) for the Chinese message of bot/templates/ops.j2; the English
message names the path.
"""

from __future__ import annotations

import functools
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from bot.store.core import StoreError
from bot.store.schema import migrations

# What can be wrong with a file offered as a store (the macros of ops.j2's store_reason).
KINDS = ("no_file", "not_sqlite", "foreign", "newer", "unmigratable", "incomplete", "damaged")


class NotAStore(StoreError):
    """A file that is not a whole duban store (or is damaged); nothing was changed. ``kind`` is one of
    :data:`KINDS`, ``items`` the tables/columns/migrations it concerns, ``detail`` SQLite's words."""

    def __init__(self, path: Path, kind: str, items: tuple[str, ...] = (), detail: str = ""):
        english = {"no_file": "no such file", "not_sqlite": detail or "file is not a database",
                   "foreign": "a SQLite file, but not a duban store",
                   "newer": f"written by a newer duban (migrations {', '.join(items)})",
                   "unmigratable": f"cannot be brought up to date: {detail}",
                   "incomplete": f"missing tables or columns: {', '.join(items)}",
                   "damaged": f"integrity_check: {'; '.join(items)}"}[kind]
        super().__init__(f"{path}: {english}")
        self.path, self.kind, self.items, self.detail = path, kind, items, detail


@dataclass(frozen=True)
class StoreCheck:
    """What :func:`check_file` found: ``problems`` (SQLite's integrity_check lines, empty when it
    says ok), how many ``events`` and ``tasks`` rows the file holds, its ``schema_version`` (how
    many migrations it has had; fewer than today's is an older store the server migrates)."""

    problems: list[str]
    events: int
    tasks: int
    schema_version: int


def open_read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection to ``path``. Raises :class:`NotAStore` (``no_file``) when there is no file."""
    if not path.is_file():
        raise NotAStore(path, "no_file")
    try:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error as error:
        raise NotAStore(path, "not_sqlite", detail=str(error)) from None


def _columns(conn: sqlite3.Connection) -> dict[str, set[str]]:
    names = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {name: {row[1] for row in conn.execute(f"PRAGMA table_info('{name}')")} for name in names}


@functools.cache
def expected_columns() -> dict[str, frozenset[str]]:
    """Table → columns of a store made today (every migration applied to an empty database)."""
    conn = sqlite3.connect(":memory:")
    try:
        migrations.apply(Database(conn))
        return {table: frozenset(columns) for table, columns in _columns(conn).items()}
    finally:
        conn.close()


@functools.cache
def known_migrations() -> tuple[str, ...]:
    """The names of the migrations this version of duban has, in order."""
    conn = sqlite3.connect(":memory:")
    try:
        return tuple(m.name for m in migrations.pending(Database(conn)))
    finally:
        conn.close()


def _missing(columns: dict[str, set[str]]) -> tuple[str, ...]:
    missing = []
    for table, wanted in sorted(expected_columns().items()):
        if table not in columns:
            missing.append(table)
        else:
            missing.extend(f"{table}.{column}" for column in sorted(wanted - columns[table]))
    return tuple(missing)


def _brought_up_to_date(path: Path, conn: sqlite3.Connection) -> dict[str, set[str]]:
    """The file's tables and columns once its missing migrations are applied, tried on a copy in memory."""
    copy = sqlite3.connect(":memory:")
    try:
        conn.backup(copy)
        try:
            migrations.apply(Database(copy))
        except (sqlite3.Error, ValueError) as error:
            raise NotAStore(path, "unmigratable", detail=str(error)) from None
        return _columns(copy)
    finally:
        copy.close()


def check_file(path: Path) -> StoreCheck:
    """Open ``path`` read-only and check it is a whole duban store (module docstring); returns what
    integrity_check said and the counts. Changes nothing.

    Raises :class:`NotAStore` when it is not SQLite, not duban's, from a newer duban, cannot be
    migrated, or lacks a table or column."""
    conn = open_read_only(path)
    try:
        try:
            columns = _columns(conn)
        except sqlite3.DatabaseError as error:  # not a database at all
            raise NotAStore(path, "not_sqlite", detail=str(error)) from None
        applied = [row[0] for row in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid", [migrations.name])] \
            if "_sqlite_migrations" in columns else []
        if not applied:
            raise NotAStore(path, "foreign")
        known = known_migrations()
        unknown = tuple(name for name in applied if name not in known)
        if unknown:
            raise NotAStore(path, "newer", unknown)
        try:
            problems = [row[0] for row in conn.execute("PRAGMA integrity_check(20)")]
        except sqlite3.DatabaseError as error:  # ours, but damaged past what integrity_check can list
            return StoreCheck([str(error)], 0, 0, len(applied))
        problems = [] if problems == ["ok"] else problems
        if not problems:
            if len(applied) < len(known):
                columns = _brought_up_to_date(path, conn)
            missing = _missing(columns)
            if missing:
                raise NotAStore(path, "incomplete", missing)
        try:
            counts = [conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in ("events", "tasks")]
        except sqlite3.DatabaseError as error:
            return StoreCheck(problems or [str(error)], 0, 0, len(applied))
        return StoreCheck(problems, counts[0], counts[1], len(applied))
    except sqlite3.DatabaseError as error:
        raise NotAStore(path, "not_sqlite", detail=str(error)) from None
    finally:
        conn.close()
