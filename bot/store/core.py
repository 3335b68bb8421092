"""The task store: one SQLite file through sqlite-utils; the only code that speaks SQL.

The file runs in WAL mode with foreign keys on, ``synchronous=FULL`` (a confirmation the
bot has sent is on disk, cases/bug11; ``[bot] synchronous = "NORMAL"`` trades that for speed,
see the README) and a busy timeout, so a second process (a mistaken
second ``duban serve``, the CLI beside the server) waits instead of failing. Every write is
one ``BEGIN IMMEDIATE`` transaction: all of it lands, or none of it.

One fact, one transaction (issue 13): inside :meth:`Store.unit` every write joins one
transaction (each as a savepoint, undone alone if it raises), so a message's claim, the
state change it causes and the answer it records, or a day's tick row with its claims and
outbox rows, are committed together or not at all.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlite_utils import Database

from bot.model import EventView, MilestoneView, PlanInfo, Share, TaskView
from bot.plan_choice import default_plan
from bot.store.schema import migrations
from bot.store.units import UnitOfWork

BUSY_TIMEOUT_S = 10.0


class StoreError(RuntimeError):
    """The store file cannot be opened, or is not duban's; the message names the path."""


@dataclass(frozen=True)
class Directory:
    """Every name the store knows, for matching names in messages (DESIGN §4)."""

    people: list[str]
    roles: list[str]
    units: list[str]


def event_view(row: dict) -> EventView:
    """An ``events`` row as the audit trail shows it (before/after decoded from JSON)."""
    return EventView(row["at"], row["kind"], row["actor"], row["platform"],
                     json.loads(row["before"]) if row["before"] else None,
                     json.loads(row["after"]) if row["after"] else None)


class Store(UnitOfWork):
    """Open (and create or migrate) the store at ``path``.

    Thread-safe: one connection guarded by a lock (the web app runs handlers in a thread
    pool). ``synchronous`` is config ``[bot] synchronous``: "FULL" (the default: every commit
    is on disk before it returns) or "NORMAL" (WAL's: a commit survives the process being
    killed, but the last ones may be lost in a power cut or an OS crash; ValueError for any
    other). Raises :class:`StoreError` when ``path`` cannot be opened, is not a SQLite file,
    or is another program's database (duban adds no tables to it).
    """

    def __init__(self, path: Path, busy_timeout_s: float = BUSY_TIMEOUT_S, synchronous: str = "FULL"):
        if synchronous not in ("FULL", "NORMAL"):
            raise ValueError(f"synchronous must be FULL or NORMAL, not {synchronous!r}")
        self.path = path
        self.synchronous = synchronous
        self._lock = threading.RLock()
        self._local = threading.local()  # this thread's open unit of work, if any
        # Reads every message makes (plans, tasks, names), kept until the plan data changes:
        # a write of ours that may touch it, or any commit by another connection (data_version).
        self._cache: dict[tuple, object] = {}
        self._cache_key: tuple[int, int] | None = None
        self._plan_writes = 0
        if path.is_dir():
            raise StoreError(f"{path} is a folder, not a database file")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"{path}: cannot make its folder ({error.strerror})") from None
        try:
            conn = sqlite3.connect(str(path), timeout=busy_timeout_s, isolation_level=None,
                                   check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_s * 1000)}")
            _use_wal(conn, busy_timeout_s)
            conn.execute(f"PRAGMA synchronous = {synchronous}")
            conn.execute("PRAGMA foreign_keys = ON")
            self.db = Database(conn, execute_plugins=False)
            self._migrate()
        except sqlite3.Error as error:
            raise StoreError(f"{path}: {error}") from None

    def _migrate(self) -> None:
        tables = set(self.db.table_names())
        ours = "_sqlite_migrations" in tables and self.db.execute(
            "SELECT 1 FROM _sqlite_migrations WHERE migration_set = ? LIMIT 1", [migrations.name]).fetchone()
        if tables and not ours:
            raise StoreError(f"{self.path} is another program's database (tables: {', '.join(sorted(tables)[:5])}); "
                             "duban will not add its tables to it")
        # Under the write lock: processes starting together on a new file migrate it once.
        with self.write():
            migrations.apply(self.db)

    def close(self) -> None:
        self.db.close()

    def plan_data_version(self) -> tuple[int, int]:
        """Changes whenever the plan data may have: a plan-data write of this Store, or any commit
        by another connection (SQLite's data_version). Equal values: cached reads still hold."""
        with self._lock:
            return self._plan_writes, self.db.execute("PRAGMA data_version").fetchone()[0]

    def _cached(self, key: tuple, compute):
        """``compute()``, or its value from the last call with ``key`` while the plan data is
        unchanged. Values are frozen views (lists are copied on the way out)."""
        with self._lock:
            version = self.plan_data_version()
            if version != self._cache_key:
                self._cache, self._cache_key = {}, version
            if key not in self._cache:
                self._cache[key] = compute()
            value = self._cache[key]
        return list(value) if isinstance(value, list) else value

    def _rows(self, sql: str, params: tuple | list = ()) -> list[dict]:
        with self._lock:
            return list(self.db.query(sql, params))

    def read(self, sql: str, params: tuple | list = ()) -> list[dict]:
        """The rows of a read, taken under the store's lock: for tools and tests that look into the
        file while the bot writes (the connection is shared; a read outside the lock would run
        its own savepoint inside another thread's transaction)."""
        return self._rows(sql, params)

    @property
    def schema_version(self) -> int:
        """How many schema migrations this file has had."""
        with self._lock:
            return len(migrations.applied(self.db))

    # -- plans ---------------------------------------------------------------------------

    def plans(self) -> list[PlanInfo]:
        """Every imported plan, oldest first (by year, then by import)."""
        return self._cached(("plans",), self._plans)

    def _plans(self) -> list[PlanInfo]:
        rows = self._rows("""SELECT p.*, (SELECT MAX(t.due) FROM tasks t WHERE t.plan_id = p.id AND t.in_plan)
                                AS last_due FROM plans p WHERE p.withdrawn_at IS NULL ORDER BY p.year, p.id""")
        return [PlanInfo(r["id"], r["title"], r["year"], date.fromisoformat(r["issued"]) if r["issued"] else None,
                         r["source"], last_due=date.fromisoformat(r["last_due"]) if r["last_due"] else None,
                         headers=tuple(sorted(json.loads(r["labels"] or "{}").items()))) for r in rows]

    def active_plan(self, today: date | None = None) -> PlanInfo | None:
        """The plan questions go to on ``today`` when they name none (bot/plan_choice.py: the
        current year's, else the newest active, else the newest); without ``today``, the newest."""
        plans = self.plans()
        if today is None:
            return plans[-1] if plans else None
        return default_plan(plans, today)

    def is_empty(self) -> bool:
        return not self._rows("SELECT 1 FROM tasks LIMIT 1")

    # -- tasks ---------------------------------------------------------------------------

    def tasks(self, plan_id: int) -> list[TaskView]:
        """Every task of the plan still in it, in plan order (section, number)."""
        return self._cached(("tasks", plan_id), lambda: self._tasks(plan_id))

    def _tasks(self, plan_id: int) -> list[TaskView]:
        plan = self._rows("SELECT title FROM plans WHERE id = ?", (plan_id,))
        title = plan[0]["title"] if plan else ""
        rows = self._rows(
            """SELECT t.*, s.numeral, s.title AS section_title, s.no AS section_key, s.number AS section_no,
                      s.heading AS section_heading FROM tasks t
               JOIN sections s ON s.id = t.section_id
               WHERE t.plan_id = ? AND t.in_plan = 1 ORDER BY s.no, t.number""",
            (plan_id,),
        )
        parties: dict[int, list[dict]] = defaultdict(list)
        for row in self._rows(
            """SELECT a.*, COALESCE(p.name, r.name, u.name) AS name,
                      CASE WHEN a.person_id IS NOT NULL THEN 'person' WHEN a.role_id IS NOT NULL THEN 'role'
                           ELSE 'unit' END AS party
               FROM assignments a JOIN tasks t ON t.id = a.task_id
               LEFT JOIN people p ON p.id = a.person_id LEFT JOIN roles r ON r.id = a.role_id
               LEFT JOIN units u ON u.id = a.unit_id
               WHERE t.plan_id = ? AND a.active = 1 ORDER BY a.task_id, a.kind, a.position""",
            (plan_id,),
        ):
            parties[row["task_id"]].append(row)
        units: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for row in self._rows(
            """SELECT tu.task_id, u.name, tu.kind FROM task_units tu JOIN units u ON u.id = tu.unit_id
               JOIN tasks t ON t.id = tu.task_id WHERE t.plan_id = ? ORDER BY tu.task_id, tu.position""",
            (plan_id,),
        ):
            units[row["task_id"]].append((row["name"], row["kind"]))
        milestones: dict[int, list[MilestoneView]] = defaultdict(list)
        for row in self._rows(
            """SELECT m.* FROM milestones m JOIN tasks t ON t.id = m.task_id
               WHERE t.plan_id = ? ORDER BY m.task_id, m.date""",
            (plan_id,),
        ):
            milestones[row["task_id"]].append(MilestoneView(date.fromisoformat(row["date"]), row["text"]))
        return [self._view(row, parties[row["id"]], units[row["id"]], milestones[row["id"]], position, title)
                for position, row in enumerate(rows, start=1)]

    @staticmethod
    def _view(row: dict, parties: list[dict], units: list[tuple[str, str]], milestones: list[MilestoneView],
              position: int, plan: str) -> TaskView:
        owners = [p for p in parties if p["kind"] == "owner"]
        lead_units = [name for name, kind in units if kind == "lead"]
        # Lead units first, then the responsible units, then the cooperating ones (DESIGN §8 ``units``).
        ordered = sorted(units, key=lambda unit: ("lead", "unit", "cooperating").index(unit[1]))
        return TaskView(
            ref=row["ref"], section_no=row["section_no"], number=row["number"],
            section=row["section_heading"] if row["section_key"] else "", content=row["content"],
            deadline_text=row["deadline_text"],
            due=date.fromisoformat(row["due"]) if row["due"] else None,
            ongoing=bool(row["ongoing"]), status=row["status"], done_at=row["done_at"],
            lead=[*(p["name"] for p in parties if p["kind"] == "lead" and p["party"] != "unit"), *lead_units],
            owners=[p["name"] for p in owners if p["party"] != "unit"], units=[name for name, _ in ordered],
            shares=[Share(p["name"], p["share_status"] == "done", p["done_at"], p["party"] == "role", p["done_by"],
                          p["party"]) for p in owners],
            milestones=milestones, position=position, lead_units=lead_units,
            cooperating=[name for name, kind in units if kind == "cooperating"],
            supervisors=[p["name"] for p in parties if p["kind"] == "supervisor"], plan=plan,
        )

    def task(self, plan_id: int, ref: str) -> TaskView | None:
        """The task ``ref`` ("3.3") of the plan, or None."""
        return next((t for t in self.tasks(plan_id) if t.ref == ref), None)

    def history(self, plan_id: int, ref: str) -> list[EventView]:
        """The audit events of task ``ref``, oldest first."""
        rows = self._rows(
            """SELECT e.* FROM events e JOIN tasks t ON t.id = e.task_id
               WHERE t.plan_id = ? AND t.ref = ? ORDER BY e.id""",
            (plan_id, ref),
        )
        return [event_view(r) for r in rows]

    # -- names ---------------------------------------------------------------------------

    def directory(self) -> Directory:
        """All people, roles and units the store knows, less those named only in withdrawn plans."""
        return self._cached(("directory",), lambda: Directory(
            people=[r["name"] for r in self._rows(_LIVE_NAMES.format(table="people", column="person_id"))],
            roles=[r["name"] for r in self._rows(_LIVE_NAMES.format(table="roles", column="role_id"))],
            units=[r["name"] for r in self._rows(
                """SELECT u.name FROM units u WHERE NOT EXISTS (SELECT 1 FROM task_units x WHERE x.unit_id = u.id)
                   OR EXISTS (SELECT 1 FROM task_units x JOIN tasks t ON t.id = x.task_id
                              JOIN plans p ON p.id = t.plan_id WHERE x.unit_id = u.id AND p.withdrawn_at IS NULL)
                   ORDER BY u.id""")],
        ))

    def withdrawn_plans(self) -> list[tuple[int, str, str]]:
        """(id, title, withdrawn_at) of the plans taken out of use, oldest first."""
        return [(r["id"], r["title"], r["withdrawn_at"]) for r in self._rows(
            "SELECT id, title, withdrawn_at FROM plans WHERE withdrawn_at IS NOT NULL ORDER BY id")]

    def plan_in_use(self, plan_id: int) -> bool:
        """Whether anybody has used plan ``plan_id`` beyond importing it: a completion, a note or
        any other event from the chat, or a reminder claimed."""
        return bool(self._rows(
            """SELECT 1 WHERE EXISTS (SELECT 1 FROM events WHERE plan_id = ? AND kind NOT LIKE 'task.%'
                                      AND kind NOT LIKE 'plan.%')
                  OR EXISTS (SELECT 1 FROM reminder_claims WHERE plan_id = ?)""", [plan_id, plan_id]))

    def withdraw_plan(self, plan_id: int, *, actor: str, at: str) -> None:
        """Take plan ``plan_id`` out of use (questions, reminders, pages, export leave it out);
        its rows and events stay, and an event says who and when. Importing it again brings it back."""
        with self.write() as db:
            db.execute("UPDATE plans SET withdrawn_at = ? WHERE id = ? AND withdrawn_at IS NULL", [at, plan_id])
            add_event(db, at, "plan.withdrawn", actor, plan_id=plan_id)

    def roles_of(self, person: str) -> list[str]:
        """The roles and units ``person`` answers for (config ``[roles]`` and ``[units]``
        members): the group shares they may complete, the group tasks that are theirs."""
        return [r["name"] for r in self._rows(
            """SELECT r.name FROM roles r JOIN role_members m ON m.role_id = r.id
               JOIN people p ON p.id = m.person_id WHERE p.name = ?
               UNION ALL
               SELECT u.name FROM units u JOIN unit_members m ON m.unit_id = u.id
               JOIN people p ON p.id = m.person_id WHERE p.name = ?""", (person, person))]

    def sync_role_members(self, roles: dict[str, list[str]], actor: str, at: str,
                          units: dict[str, list[str]] | None = None) -> None:
        """Make role and unit membership equal config ``[roles]`` and ``[units]`` (groups and
        people are created as needed). A change of membership is an event; nothing changes when
        config is unchanged."""
        with self.write() as db:
            for kind, groups in (("role", roles), ("unit", units or {})):
                table, members, column = {"role": ("roles", "role_members", "role_id"),
                                          "unit": ("units", "unit_members", "unit_id")}[kind]
                for group, wanted in groups.items():
                    group_id = _ensure(db, table, group)
                    current = {r["name"] for r in db.query(
                        f"""SELECT p.name FROM {members} m JOIN people p ON p.id = m.person_id
                            WHERE m.{column} = ?""", [group_id])}
                    if current == set(wanted):
                        continue
                    db.execute(f"DELETE FROM {members} WHERE {column} = ?", [group_id])
                    for member in wanted:
                        db.execute(f"INSERT INTO {members} ({column}, person_id) VALUES (?, ?)",
                                   [group_id, _ensure(db, "people", member)])
                    add_event(db, at, f"{kind}.members", actor, before={kind: group, "members": sorted(current)},
                              after={kind: group, "members": list(wanted)})


def _use_wal(conn: sqlite3.Connection, busy_timeout_s: float) -> None:
    """WAL mode, set once per file. Changing the mode takes the file's exclusive lock without
    SQLite's busy wait, so processes opening a new file together retry it for a while."""
    waited = 0.0
    while conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        try:
            if conn.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal":
                return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error):
                raise
        if waited >= busy_timeout_s:
            raise sqlite3.OperationalError("database is locked (cannot switch it to WAL mode)")
        time.sleep(0.05)
        waited += 0.05


def _ensure(db: Database, table: str, name: str) -> int:
    """The id of ``name`` in ``people``/``roles``/``units``, inserted when new."""
    row = db.execute(f"SELECT id FROM {table} WHERE name = ?", [name]).fetchone()
    if row:
        return row[0]
    return db.execute(f"INSERT INTO {table} (name) VALUES (?)", [name]).lastrowid


# A person or role is listed unless every task naming them is in a withdrawn plan.
_LIVE_NAMES = """SELECT n.name FROM {table} n WHERE NOT EXISTS (SELECT 1 FROM assignments a WHERE a.{column} = n.id)
    OR EXISTS (SELECT 1 FROM assignments a JOIN tasks t ON t.id = a.task_id JOIN plans p ON p.id = t.plan_id
               WHERE a.{column} = n.id AND p.withdrawn_at IS NULL) ORDER BY n.id"""


def add_event(db: Database, at: str, kind: str, actor: str, *, platform: str = "", chat: str = "",
              msg_id: str = "", plan_id: int | None = None, task_id: int | None = None,
              before: dict | None = None, after: dict | None = None) -> None:
    """Append one audit row (inside the caller's transaction)."""
    db.execute(
        """INSERT INTO events (at, kind, actor, platform, chat, msg_id, plan_id, task_id, before, after)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        [at, kind, actor, platform, chat, msg_id, plan_id, task_id,
         json.dumps(before, ensure_ascii=False) if before is not None else None,
         json.dumps(after, ensure_ascii=False) if after is not None else None],
    )
