"""The store's schema as sqlite-utils migrations: the applied list is the schema version.

A later change adds a migration function below; an existing database gets it at the next
start, inside a transaction, without losing data. Never edit an applied migration.
"""

from __future__ import annotations

import sqlite3

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("duban")


def _run(db: Database, script: str) -> None:
    # executescript() would COMMIT the migration's transaction first: run statements one by one.
    statement = ""
    for line in script.splitlines(keepends=True):
        statement += line
        if sqlite3.complete_statement(statement):
            db.execute(statement)
            statement = ""


@migrations()
def m001_plan_tables(db: Database) -> None:
    """Plans, sections, tasks, people, roles, assignments, units, milestones, events."""
    _run(
        db,
        """
        CREATE TABLE plans (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL UNIQUE,
            year INTEGER NOT NULL,
            issued TEXT,
            source TEXT NOT NULL,
            imported_at TEXT NOT NULL
        );
        CREATE TABLE sections (
            id INTEGER PRIMARY KEY,
            plan_id INTEGER NOT NULL REFERENCES plans(id),
            no INTEGER NOT NULL,
            numeral TEXT NOT NULL,
            title TEXT NOT NULL,
            UNIQUE (plan_id, no)
        );
        CREATE TABLE tasks (
            id INTEGER PRIMARY KEY,
            plan_id INTEGER NOT NULL REFERENCES plans(id),
            section_id INTEGER NOT NULL REFERENCES sections(id),
            ref TEXT NOT NULL,
            number INTEGER NOT NULL,
            content TEXT NOT NULL,
            deadline_text TEXT NOT NULL,
            due TEXT,
            ongoing INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done')),
            done_at TEXT,
            in_plan INTEGER NOT NULL DEFAULT 1,
            UNIQUE (plan_id, ref)
        );
        CREATE TABLE people (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE
        );
        CREATE TABLE roles (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE
        );
        CREATE TABLE role_members (
            role_id INTEGER NOT NULL REFERENCES roles(id),
            person_id INTEGER NOT NULL REFERENCES people(id),
            PRIMARY KEY (role_id, person_id)
        );
        CREATE TABLE assignments (
            id INTEGER PRIMARY KEY,
            task_id INTEGER NOT NULL REFERENCES tasks(id),
            kind TEXT NOT NULL CHECK (kind IN ('lead', 'owner')),
            person_id INTEGER REFERENCES people(id),
            role_id INTEGER REFERENCES roles(id),
            position INTEGER NOT NULL,
            active INTEGER NOT NULL DEFAULT 1,
            share_status TEXT NOT NULL DEFAULT 'open' CHECK (share_status IN ('open', 'done')),
            done_at TEXT,
            done_by TEXT,
            CHECK ((person_id IS NULL) != (role_id IS NULL))
        );
        CREATE UNIQUE INDEX assignments_party
            ON assignments (task_id, kind, IFNULL(person_id, 0), IFNULL(role_id, 0));
        CREATE TABLE units (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE
        );
        CREATE TABLE task_units (
            task_id INTEGER NOT NULL REFERENCES tasks(id),
            unit_id INTEGER NOT NULL REFERENCES units(id),
            position INTEGER NOT NULL,
            PRIMARY KEY (task_id, unit_id)
        );
        CREATE TABLE milestones (
            task_id INTEGER NOT NULL REFERENCES tasks(id),
            date TEXT NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (task_id, date)
        );
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            actor TEXT NOT NULL,
            platform TEXT NOT NULL DEFAULT '',
            chat TEXT NOT NULL DEFAULT '',
            msg_id TEXT NOT NULL DEFAULT '',
            plan_id INTEGER REFERENCES plans(id),
            task_id INTEGER REFERENCES tasks(id),
            before TEXT,
            after TEXT
        );
        CREATE INDEX events_task ON events (task_id);
        -- The audit trail is append-only: a correction is a new event.
        CREATE TRIGGER events_no_update BEFORE UPDATE ON events
            BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
        CREATE TRIGGER events_no_delete BEFORE DELETE ON events
            BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
        """
    )


@migrations()
def m002_inbound(db: Database) -> None:
    """Inbound platform messages, one row per (platform, msg_id): the dedupe key and the answer
    given, so a retried delivery changes nothing and gets the same answer (DESIGN §6)."""
    _run(
        db,
        """
        CREATE TABLE inbound (
            id INTEGER PRIMARY KEY,
            platform TEXT NOT NULL,
            msg_id TEXT NOT NULL,
            sender_id TEXT NOT NULL,
            chat_id TEXT NOT NULL,
            received_at TEXT NOT NULL,
            reply TEXT,
            delivered_via TEXT,
            UNIQUE (platform, msg_id)
        );
        """,
    )


@migrations()
def m003_reminders(db: Database) -> None:
    """Reminder claims (never twice), the outbox (never lost), ticks run, notices for admins."""
    _run(
        db,
        """
        CREATE TABLE reminder_claims (
            id INTEGER PRIMARY KEY,
            plan_id INTEGER NOT NULL REFERENCES plans(id),
            task_ref TEXT NOT NULL,
            kind TEXT NOT NULL,
            on_date TEXT NOT NULL,
            chat TEXT NOT NULL,
            claimed_at TEXT NOT NULL,
            outbox_id INTEGER REFERENCES outbox(id),
            cancelled INTEGER NOT NULL DEFAULT 0,
            UNIQUE (plan_id, task_ref, kind, on_date, chat)
        );
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            chat TEXT NOT NULL,
            platform TEXT NOT NULL,
            on_date TEXT NOT NULL,
            part INTEGER NOT NULL DEFAULT 1,
            parts INTEGER NOT NULL DEFAULT 1,
            text TEXT NOT NULL,
            refs TEXT NOT NULL,
            mentions TEXT NOT NULL,
            markdown INTEGER NOT NULL DEFAULT 0,
            title TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            next_attempt_at TEXT NOT NULL,
            sent_at TEXT,
            last_error TEXT
        );
        CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
        CREATE TABLE ticks (
            on_date TEXT PRIMARY KEY,
            ran_at TEXT NOT NULL
        );
        CREATE TABLE notices (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            detail TEXT NOT NULL,
            created_at TEXT NOT NULL,
            told_on TEXT
        );
        """,
    )


@migrations()
def m004_completion(db: Database) -> None:
    """Progress notes, chat bindings (我是…/确认…), and withdrawing a queued push line of a closed task."""
    _run(
        db,
        """
        CREATE TABLE notes (
            id INTEGER PRIMARY KEY,
            task_id INTEGER NOT NULL REFERENCES tasks(id),
            person TEXT NOT NULL,
            text TEXT NOT NULL,
            at TEXT NOT NULL,
            platform TEXT NOT NULL,
            msg_id TEXT NOT NULL
        );
        CREATE TABLE bindings (
            id INTEGER PRIMARY KEY,
            platform TEXT NOT NULL,
            sender_id TEXT NOT NULL,
            person TEXT NOT NULL,
            chat_id TEXT NOT NULL,
            requested_at TEXT NOT NULL,
            confirmed_by TEXT,
            confirmed_at TEXT
        );
        CREATE INDEX bindings_sender ON bindings (platform, sender_id);
        ALTER TABLE outbox ADD COLUMN withdrawn INTEGER NOT NULL DEFAULT 0;
        """,
    )


@migrations()
def m005_any_office(db: Database) -> None:
    """Other offices' plans (DESIGN §3.1 "Who", "Refs"): sections the plan does not number (or
    no sections: one hidden section per plan, ``no`` 0), lead units, cooperating units,
    supervisors, one share per responsible unit when no person or role owns the task, unit
    members from config, and the 完成情况/备注 a plan file brings.

    ``sections.no`` stays the section's key (its order in the plan); ``sections.number`` is the
    number the plan gives it (NULL: unnumbered) and ``heading`` the heading as written.
    ``tasks.number`` is the task's order in the plan; ``deadline_text`` '' means none.
    ``assignments`` is rebuilt (nothing references it) so that a party may be a unit:
    ``kind`` lead (a lead person, role or unit), owner (a share: person, role or unit) or
    supervisor (shown, never @-mentioned, no share). ``task_units.kind`` says how the task
    names the unit: lead, unit (responsible) or cooperating.
    """
    _run(
        db,
        """
        ALTER TABLE sections ADD COLUMN number INTEGER;
        ALTER TABLE sections ADD COLUMN heading TEXT NOT NULL DEFAULT '';
        UPDATE sections SET number = no, heading = numeral || '、' || title;
        ALTER TABLE tasks ADD COLUMN progress TEXT NOT NULL DEFAULT '';
        ALTER TABLE tasks ADD COLUMN remarks TEXT NOT NULL DEFAULT '';
        ALTER TABLE task_units ADD COLUMN kind TEXT NOT NULL DEFAULT 'unit'
            CHECK (kind IN ('lead', 'unit', 'cooperating'));
        CREATE TABLE assignments_new (
            id INTEGER PRIMARY KEY,
            task_id INTEGER NOT NULL REFERENCES tasks(id),
            kind TEXT NOT NULL CHECK (kind IN ('lead', 'owner', 'supervisor')),
            person_id INTEGER REFERENCES people(id),
            role_id INTEGER REFERENCES roles(id),
            unit_id INTEGER REFERENCES units(id),
            position INTEGER NOT NULL,
            active INTEGER NOT NULL DEFAULT 1,
            share_status TEXT NOT NULL DEFAULT 'open' CHECK (share_status IN ('open', 'done')),
            done_at TEXT,
            done_by TEXT,
            CHECK ((person_id IS NOT NULL) + (role_id IS NOT NULL) + (unit_id IS NOT NULL) = 1)
        );
        INSERT INTO assignments_new (id, task_id, kind, person_id, role_id, position, active, share_status,
                                     done_at, done_by)
            SELECT id, task_id, kind, person_id, role_id, position, active, share_status, done_at, done_by
            FROM assignments;
        DROP TABLE assignments;
        ALTER TABLE assignments_new RENAME TO assignments;
        CREATE UNIQUE INDEX assignments_party
            ON assignments (task_id, kind, IFNULL(person_id, 0), IFNULL(role_id, 0), IFNULL(unit_id, 0));
        CREATE INDEX assignments_task ON assignments (task_id);
        CREATE TABLE unit_members (
            unit_id INTEGER NOT NULL REFERENCES units(id),
            person_id INTEGER NOT NULL REFERENCES people(id),
            PRIMARY KEY (unit_id, person_id)
        );
        """,
    )


@migrations()
def m006_inbound_per_sender(db: Database) -> None:
    """Inbound messages are one per (platform, chat, sender, msg id), not per (platform, msg id):
    WeCom app MsgIds collide across users, and the same msgid from two senders is two messages
    (issue 13). The rows kept are copied over."""
    _run(
        db,
        """
        CREATE TABLE inbound_by_sender (
            id INTEGER PRIMARY KEY,
            platform TEXT NOT NULL,
            chat_id TEXT NOT NULL,
            sender_id TEXT NOT NULL,
            msg_id TEXT NOT NULL,
            received_at TEXT NOT NULL,
            reply TEXT,
            delivered_via TEXT,
            UNIQUE (platform, chat_id, sender_id, msg_id)
        );
        INSERT INTO inbound_by_sender (id, platform, chat_id, sender_id, msg_id, received_at, reply, delivered_via)
            SELECT id, platform, chat_id, sender_id, msg_id, received_at, reply, delivered_via FROM inbound;
        DROP TABLE inbound;
        ALTER TABLE inbound_by_sender RENAME TO inbound;
        """,
    )


@migrations()
def m007_outbox_plans_refusals_notices(db: Database) -> None:
    """Outbox rows name the plan of each ref (several plans are active at once, DESIGN §5), the
    admin notices they carry (a notice is told when its row is delivered), and how often the
    platform refused them (a refusal is tried at most three times, issue 13). A notice is open
    until resolved (its chat delivers again), and only one open notice per key."""
    _run(
        db,
        """
        ALTER TABLE outbox ADD COLUMN plan_refs TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE outbox ADD COLUMN notices TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE outbox ADD COLUMN refusals INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE notices_open (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL,
            kind TEXT NOT NULL,
            detail TEXT NOT NULL,
            created_at TEXT NOT NULL,
            told_on TEXT,
            resolved_at TEXT
        );
        INSERT INTO notices_open (id, key, kind, detail, created_at, told_on)
            SELECT id, key, kind, detail, created_at, told_on FROM notices;
        DROP TABLE notices;
        ALTER TABLE notices_open RENAME TO notices;
        CREATE UNIQUE INDEX notices_open_key ON notices (key) WHERE resolved_at IS NULL;
        """,
    )


@migrations()
def m008_nothing_deleted(db: Database) -> None:
    """A withdrawn progress note and a removed chat binding stay in their tables, marked with
    when (DESIGN §2: nothing is deleted); reads leave them out. Before this, both rows were
    deleted and only their events kept them."""
    _run(
        db,
        """
        ALTER TABLE notes ADD COLUMN withdrawn_at TEXT;
        ALTER TABLE bindings ADD COLUMN removed_at TEXT;
        """,
    )


@migrations()
def m009_plan_labels(db: Database) -> None:
    """What each plan's own header calls its columns ({"units": "责任科室"}, JSON; '{}' for a plan
    with no header of its own): a task's detail and the exported table name columns as the office does."""
    _run(db, "ALTER TABLE plans ADD COLUMN labels TEXT NOT NULL DEFAULT '{}';")


@migrations()
def m010_plan_withdrawn(db: Database) -> None:
    """A plan taken out of use (the bundled sample once the office imports its own plan, or a
    plan imported by mistake) is marked with when; reads leave it out, its rows and events stay
    (DESIGN §2: nothing is deleted). Importing it again brings it back."""
    _run(db, "ALTER TABLE plans ADD COLUMN withdrawn_at TEXT;")
