"""Other offices' plans as drafts, built from their hand-checked readings (tests/data/plans/*/expected.json).

The store takes a :class:`~bot.plan.model.PlanDraft` and nothing of the rules that made it
(DESIGN §3.1), so its handling of lead units, cooperating units, supervisors and unit shares
is tested on real plans' readings without going through an importer.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from bot.plan.model import PlanDraft, SectionDraft, TaskDraft
from bot.plan.rules.deadlines import Deadline
from bot.plan.rules.milestones import Milestone

PLANS = Path(__file__).resolve().parent / "data" / "plans"


def reading(folder: str) -> dict:
    """The expected.json of ``folder`` ("07_yueyanglou_2018_q1_taizhang")."""
    return json.loads((PLANS / folder / "expected.json").read_text(encoding="utf-8"))


def draft_from_reading(folder: str, *, source: str | None = None) -> PlanDraft:
    """The plan of ``folder`` as an interpreter would hand it to the store: the reading's
    sections (by first appearance), and each task's people, units, deadline and progress."""
    data = reading(folder)
    year = data["plan_year"]
    draft = PlanDraft(title=data["title"], year=year,
                      issued=date.fromisoformat(data["issued"]) if data.get("issued") else None,
                      source=source or f"{folder}/plan.docx")
    positions: dict[str, int] = {}
    for task in data["tasks"]:
        heading = task["section"]
        if heading and heading not in positions:
            positions[heading] = len(positions) + 1
            draft.sections.append(SectionDraft(positions[heading], None, "", heading))
        person_lead = task["lead_kind"] == "person"
        draft.tasks.append(TaskDraft(
            ref=task["ref"], section=positions.get(heading), content=task["content"],
            deadline=Deadline(task["deadline_text"] or "", date.fromisoformat(task["due"]) if task["due"] else None),
            lead=list(task["lead"]) if person_lead else [],
            lead_units=[*([] if person_lead else task["lead"]), *(task.get("lead_units") or [])],
            owners=list(task["owners"]), units=list(task["units"]),
            cooperating=list(task["cooperating_units"]), supervisors=list(task.get("supervisors") or []),
            milestones=[Milestone(date.fromisoformat(m["date"]), m["text"])
                        for m in task.get("milestones") or [] if m.get("date")],
            progress=task.get("progress") or "",
        ))
    return draft
