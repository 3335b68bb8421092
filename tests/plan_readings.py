"""Readings of the real plans in tests/data/plans, in the product's fields (plans/README.md "Mapping").

``expected(folder)`` maps a plan's hand-checked ``expected.json`` to the product's task fields;
``reading(draft)`` maps what the importer read to the same fields, so one comparison checks a
whole table. Names are compared in the form the product stores them (bot.text.clean_name:
no blanks, full-width brackets — DESIGN §3), texts as written.
"""

from __future__ import annotations

import json
from pathlib import Path

from bot.plan.model import PlanDraft
from bot.text import clean_name
from tests.plans import DATA

PLANS = DATA / "plans"


def plan_json(folder: str) -> dict:
    return json.loads((PLANS / folder / "expected.json").read_text(encoding="utf-8"))


def _names(names: list[str] | None) -> list[str]:
    return [clean_name(name) for name in names or []]


def expected(folder: str) -> list[dict]:
    """The plan's whole tasks (not its cut-off tail) in the product's fields."""
    tasks = []
    for task in plan_json(folder)["tasks"]:
        people = task["lead"] if task["lead_kind"] == "person" else []
        lead_units = (task["lead"] if task["lead_kind"] == "unit" else []) + task.get("lead_units", [])
        tasks.append({
            "ref": task["ref"], "section": task["section"], "content": task["content"],
            "deadline_text": task["deadline_text"], "due": task["due"],
            "lead": _names(people + lead_units), "owners": _names(task["owners"]),
            "units": _names(list(dict.fromkeys(lead_units + task["units"] + task["cooperating_units"]))),
            "cooperating": _names(task["cooperating_units"]),
        })
    return tasks


def cut_off(folder: str) -> str | None:
    """The ref of the row the excerpt cuts off (not a task to check), or None."""
    tail = plan_json(folder).get("truncated_tail")
    return tail["ref"] if tail else None


def reading(draft: PlanDraft, *, leave_out: str | None = None) -> list[dict]:
    """What the importer read, in the product's fields; the task ``leave_out`` (a cut-off row) left out."""
    headings = {section.position: section.heading for section in draft.sections}
    return [{
        "ref": task.ref, "section": headings.get(task.section), "content": task.content,
        "deadline_text": task.deadline.text or None,
        "due": task.deadline.due.isoformat() if task.deadline.due else None,
        "lead": [*task.lead, *task.lead_units], "owners": task.owners, "units": task.all_units,
        "cooperating": task.cooperating,
    } for task in draft.tasks if task.ref != leave_out]


def plan_file(folder: str, name: str) -> Path:
    return PLANS / folder / name
