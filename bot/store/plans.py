"""Writing an imported plan into the store (DESIGN §3 "Re-importing").

One transaction. A task is found again by (plan, ref), the plan by its title (or, for a
file with no title, by its year and source file): a re-import of the same file
changes nothing (no row, no event); an edited file updates the changed fields in place and
writes one ``task.updated`` event with before → after, keeping status, owners' shares and
history. An owner no longer named is deactivated, not deleted (their share and its history
stay); a task no longer in the file is marked ``in_plan = 0`` and reported.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from sqlite_utils import Database

from bot.plan.model import PlanDraft, TaskDraft
from bot.render import words
from bot.store.core import Store, _ensure, add_event


@dataclass
class ImportResult:
    """What an import changed: refs created/updated/removed, and what the plan names."""

    plan_id: int
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)


def _fields(task: TaskDraft, roles: set[str]) -> dict:
    """The comparable state of a task as the file gives it (what before → after shows)."""
    return {
        "section": task.section, "content": task.content,
        "deadline_text": task.deadline.text,
        "due": task.deadline.due.isoformat() if task.deadline.due else None,
        "ongoing": task.deadline.ongoing, "lead": task.lead, "lead_units": task.lead_units,
        "owners": task.owners, "units": task.units, "cooperating": task.cooperating,
        "supervisors": task.supervisors, "progress": task.progress, "remarks": task.remarks,
        "milestones": [[m.date.isoformat(), m.text] for m in task.milestones],
        "shares": [[kind, name] for kind, name in _share_parties(task, roles)],
    }


def _share_parties(task: TaskDraft, roles: set[str]) -> list[tuple[str, str]]:
    """Who holds a share of ``task`` (DESIGN §3.1 "Shares"): each person or role owner; else each
    responsible unit (its units less the cooperating ones); else each lead unit; else nobody."""
    if task.owners:
        return [("role" if name in roles else "person", name) for name in task.owners]
    units = [u for u in task.units if u not in task.cooperating] or task.lead_units
    return [("unit", name) for name in units]


_PARTY = """SELECT a.kind, a.person_id IS NOT NULL AS is_person, a.role_id IS NOT NULL AS is_role,
                   COALESCE(p.name, r.name, u.name) AS name FROM assignments a
            LEFT JOIN people p ON p.id = a.person_id LEFT JOIN roles r ON r.id = a.role_id
            LEFT JOIN units u ON u.id = a.unit_id
            WHERE a.task_id = ? AND a.active = 1 ORDER BY a.kind, a.position"""


def _stored_fields(db: Database, task_id: int, row: dict) -> dict:
    parties = list(db.query(_PARTY, [task_id]))
    units = list(db.query(
        """SELECT u.name, tu.kind FROM task_units tu JOIN units u ON u.id = tu.unit_id
           WHERE tu.task_id = ? ORDER BY tu.position""", [task_id]))
    return {
        "section": row["section_no"] or None, "content": row["content"],
        "deadline_text": row["deadline_text"], "due": row["due"], "ongoing": bool(row["ongoing"]),
        "lead": [p["name"] for p in parties if p["kind"] == "lead" and (p["is_person"] or p["is_role"])],
        "lead_units": [u["name"] for u in units if u["kind"] == "lead"],
        "owners": [p["name"] for p in parties if p["kind"] == "owner" and (p["is_person"] or p["is_role"])],
        "units": [u["name"] for u in units if u["kind"] == "unit"],
        "cooperating": [u["name"] for u in units if u["kind"] == "cooperating"],
        "supervisors": [p["name"] for p in parties if p["kind"] == "supervisor"],
        "progress": row["progress"], "remarks": row["remarks"],
        "milestones": [[r["date"], r["text"]] for r in db.query(
            "SELECT date, text FROM milestones WHERE task_id = ? ORDER BY date", [task_id])],
        "shares": [["person" if p["is_person"] else "role" if p["is_role"] else "unit", p["name"]]
                   for p in parties if p["kind"] == "owner"],
    }


def _set_parties(db: Database, task_id: int, kind: str, parties: list[tuple[str, str]]) -> None:
    """Make the active ``kind`` assignments of the task exactly ``parties`` ((person|role|unit,
    name), in order). A party no longer named is deactivated, never deleted: a share keeps its
    status and history, and comes back as it was if the plan names it again."""
    db.execute("UPDATE assignments SET active = 0 WHERE task_id = ? AND kind = ?", [task_id, kind])
    for position, (party, name) in enumerate(parties):
        table, column = {"person": ("people", "person_id"), "role": ("roles", "role_id"),
                         "unit": ("units", "unit_id")}[party]
        party_id = _ensure(db, table, name)
        existing = db.execute(f"SELECT id FROM assignments WHERE task_id = ? AND kind = ? AND {column} = ?",
                              [task_id, kind, party_id]).fetchone()
        if existing:
            db.execute("UPDATE assignments SET active = 1, position = ? WHERE id = ?", [position, existing[0]])
        else:
            db.execute(f"INSERT INTO assignments (task_id, kind, {column}, position) VALUES (?, ?, ?, ?)",
                       [task_id, kind, party_id, position])


def _write_task(db: Database, task_id: int, draft: TaskDraft, section_id: int, position: int,
                roles: set[str]) -> None:
    db.execute(
        """UPDATE tasks SET section_id = ?, number = ?, content = ?, deadline_text = ?, due = ?,
           ongoing = ?, progress = ?, remarks = ?, in_plan = 1 WHERE id = ?""",
        [section_id, position, draft.content, draft.deadline.text,
         draft.deadline.due.isoformat() if draft.deadline.due else None,
         int(draft.deadline.ongoing), draft.progress, draft.remarks, task_id])

    def people(names: list[str]) -> list[tuple[str, str]]:
        return [("role" if name in roles else "person", name) for name in names]

    _set_parties(db, task_id, "lead", [*people(draft.lead), *(("unit", u) for u in draft.lead_units)])
    _set_parties(db, task_id, "owner", _share_parties(draft, roles))
    _set_parties(db, task_id, "supervisor", people(draft.supervisors))
    db.execute("DELETE FROM task_units WHERE task_id = ?", [task_id])
    named = [*(("lead", u) for u in draft.lead_units), *(("unit", u) for u in draft.units),
             *(("cooperating", u) for u in draft.cooperating)]
    seen: set[str] = set()
    for position, (kind, unit) in enumerate(named):
        if unit in seen:  # a unit named twice (lead and again as responsible) is listed once, as the first
            continue
        seen.add(unit)
        db.execute("INSERT INTO task_units (task_id, unit_id, position, kind) VALUES (?, ?, ?, ?)",
                   [task_id, _ensure(db, "units", unit), position, kind])
    db.execute("DELETE FROM milestones WHERE task_id = ?", [task_id])
    for milestone in draft.milestones:
        db.execute("INSERT INTO milestones (task_id, date, text) VALUES (?, ?, ?)",
                   [task_id, milestone.date.isoformat(), milestone.text])


def _free_title(db: Database, title: str, plan_id: int | None) -> str:
    """``title``, or ``title（2）``, ``title（3）``… if another plan has it (titles are unique: an
    untitled plan's made-up title may be a titled plan's, or a plan stored before same_plan knew it)."""
    candidate, n = title, 1
    while (taken := db.execute("SELECT id FROM plans WHERE title = ?", [candidate]).fetchone()) and taken[0] != plan_id:
        n += 1
        candidate = str(words("plan_words.j2").numbered(title, n))
    return candidate


def _sections(db: Database, plan_id: int, draft: PlanDraft) -> dict[int | None, int]:
    """Section position → its row id, written or updated in place; None → the plan's hidden
    section (``no`` 0) that holds the tasks of a plan without sections."""
    ids: dict[int | None, int] = {}
    wanted = [(s.position, s.no, s.numeral, s.title, s.heading) for s in draft.sections]
    if any(t.section is None for t in draft.tasks):
        wanted.append((0, None, "", "", ""))
    for position, number, numeral, title, heading in wanted:
        found = db.execute("SELECT id, numeral, title, number, heading FROM sections WHERE plan_id = ? AND no = ?",
                           [plan_id, position]).fetchone()
        if found is None:
            ids[position or None] = db.execute(
                "INSERT INTO sections (plan_id, no, numeral, title, number, heading) VALUES (?, ?, ?, ?, ?, ?)",
                [plan_id, position, numeral, title, number, heading]).lastrowid
            continue
        ids[position or None] = found[0]
        if tuple(found[1:]) != (numeral, title, number, heading):
            db.execute("UPDATE sections SET numeral = ?, title = ?, number = ?, heading = ? WHERE id = ?",
                       [numeral, title, number, heading, found[0]])
    return ids


def file_name(source: str) -> str:
    """The file's own name in ``source`` (a path as given, with / or \\; an upload's name)."""
    return re.split(r"[\\/]", source.rstrip("/\\"))[-1]


def same_plan(db: Database, draft: PlanDraft) -> tuple[int, str] | None:
    """(id, title) of the stored plan ``draft`` is a new version of, or None for a new plan — the one
    identity both the import and its preview use (DESIGN §3 "Re-importing").

    A titled plan is found by its title, else (a title corrected in the file) by its year and
    source as given. A plan with no title of its own (``draft.titled`` False) by its year and its
    file's *name*, not its path: the same file imported from another folder, or re-uploaded on
    /admin (the page passes the name the office gave the file, never the name it was kept under),
    updates that plan instead of making a second one that would remind everyone twice. Two
    different untitled plans of one year must then have different file names. Only a plan stored
    as untitled (its title the made-up one, or that numbered by :func:`_free_title`) is matched so:
    a titled plan is never taken over by an untitled file of the same name."""
    if draft.titled:
        return db.execute("SELECT id, title FROM plans WHERE title = ? OR (year = ? AND source = ?) "
                          "ORDER BY title = ? DESC LIMIT 1",
                          [draft.title, draft.year, draft.source, draft.title]).fetchone()
    name = file_name(draft.source)
    for plan_id, title, source in db.execute("SELECT id, title, source FROM plans WHERE year = ? ORDER BY id DESC",
                                             [draft.year]).fetchall():
        if file_name(source) == name and (title == draft.title or title.startswith(f"{draft.title}（")):
            return plan_id, title
    return None


def apply_plan(store: Store, draft: PlanDraft, *, actor: str, at: str) -> ImportResult:
    """Write ``draft`` into ``store`` in one transaction; returns what changed.

    ``actor`` (a person name, or "cli") and ``at`` (aware ISO time) go into the events.
    ``draft.roles`` says which names are roles. A stored task missing from a file that has
    rows it could not read (``draft.partial``) is kept (``kept``), not removed: it may be one
    of them. The plan is found again by :func:`same_plan`; a plan without a title of its own
    (``draft.titled`` False) gets ``draft.title`` made unique among the stored plans' titles.
    """
    roles = set(draft.roles)
    with store.write() as db:
        row = same_plan(db, draft)
        if not draft.titled:
            draft.title = _free_title(db, draft.title, row[0] if row else None)
        issued = draft.issued.isoformat() if draft.issued else None
        if row:
            plan_id = row[0]
            if db.execute("UPDATE plans SET withdrawn_at = NULL WHERE id = ? AND withdrawn_at IS NOT NULL",
                          [plan_id]).rowcount:
                add_event(db, at, "plan.restored", actor, plan_id=plan_id)  # imported again: back in use
            if row[1] != draft.title:
                db.execute("UPDATE plans SET title = ? WHERE id = ?", [draft.title, plan_id])
                add_event(db, at, "plan.renamed", actor, plan_id=plan_id, before={"title": row[1]},
                          after={"title": draft.title})
        else:
            plan_id = db.execute(
                "INSERT INTO plans (title, year, issued, source, imported_at) VALUES (?, ?, ?, ?, ?)",
                [draft.title, draft.year, issued, draft.source, at]).lastrowid
        # The header's words are how the plan is shown, not a change to it: kept as last read.
        db.execute("UPDATE plans SET labels = ? WHERE id = ?",
                   [json.dumps(draft.labels, ensure_ascii=False, sort_keys=True), plan_id])
        result = ImportResult(plan_id)
        sections = _sections(db, plan_id, draft)
        seen = set()
        for position, task in enumerate(draft.tasks, start=1):
            seen.add(task.ref)
            after = _fields(task, roles)
            existing = next(iter(db.query(
                """SELECT t.*, s.no AS section_no FROM tasks t JOIN sections s ON s.id = t.section_id
                   WHERE t.plan_id = ? AND t.ref = ?""", [plan_id, task.ref])), None)
            if existing is None:
                task_id = db.execute(
                    """INSERT INTO tasks (plan_id, section_id, ref, number, content, deadline_text)
                       VALUES (?, ?, ?, ?, ?, ?)""",
                    [plan_id, sections[task.section], task.ref, position, task.content,
                     task.deadline.text]).lastrowid
                _write_task(db, task_id, task, sections[task.section], position, roles)
                add_event(db, at, "task.created", actor, plan_id=plan_id, task_id=task_id, after=after)
                result.created.append(task.ref)
                continue
            before = _stored_fields(db, existing["id"], existing)
            if before == after and existing["in_plan"]:
                if existing["number"] != position:  # moved in the file: its order only, no event
                    db.execute("UPDATE tasks SET number = ? WHERE id = ?", [position, existing["id"]])
                result.unchanged.append(task.ref)
                continue
            _write_task(db, existing["id"], task, sections[task.section], position, roles)
            changed = [key for key in after if before[key] != after[key]]
            # What changed, and nothing else: a task back in the file as it was says only that
            # (in_plan false → true), never an empty "updated" with no field in it.
            was, now = {k: before[k] for k in changed}, {k: after[k] for k in changed}
            if not existing["in_plan"]:
                was["in_plan"], now["in_plan"] = False, True
            add_event(db, at, "task.updated", actor, plan_id=plan_id, task_id=existing["id"], before=was, after=now)
            result.updated.append(task.ref)
        for gone in list(db.query("SELECT id, ref FROM tasks WHERE plan_id = ? AND in_plan = 1", [plan_id])):
            if gone["ref"] in seen:
                continue
            if draft.partial:
                result.kept.append(gone["ref"])
            else:
                db.execute("UPDATE tasks SET in_plan = 0 WHERE id = ?", [gone["id"]])
                add_event(db, at, "task.removed", actor, plan_id=plan_id, task_id=gone["id"],
                          before={"in_plan": True}, after={"in_plan": False})
                result.removed.append(gone["ref"])
        if result.changed:
            db.execute("UPDATE plans SET year = ?, issued = ?, source = ?, imported_at = ? WHERE id = ?",
                       [draft.year, issued, draft.source, at, plan_id])
            add_event(db, at, "plan.imported", actor, plan_id=plan_id,
                      after={"source": draft.source, "created": len(result.created),
                             "updated": len(result.updated), "removed": len(result.removed)})
    names = [n for t in draft.tasks for n in (*t.lead, *t.owners, *t.supervisors)]
    for name in dict.fromkeys(names):
        (result.roles if name in roles else result.people).append(name)
    result.units = list(dict.fromkeys(u for t in draft.tasks for u in t.all_units))
    return result
