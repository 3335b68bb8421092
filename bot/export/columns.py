"""Which column of a plan's own table each unit of a task belongs in (the 完成情况表, a task's detail).

A plan that names its unit columns itself (a header of its own: 责任科室; 牵头单位 + 配合单位) is shown
with exactly those columns. A unit goes into the column of its part (牵头 → the lead-unit column,
配合 → the cooperating one); when the plan has no column for that part ("X牵头，Y配合" written in
a single 责任科室 column) it goes into the plan's first unit column, marked with its part. So a unit
is always in the same column from row to row, and no column the plan lacks appears. A plan with no
header of its own (prose) gets a column for each part a task names.
"""

from __future__ import annotations

from typing import Any

UNIT_ROLES = ("lead_units", "units", "cooperating")
# Where a unit whose part has no column of its own goes: the plan's responsible-units column first.
_HOST_ORDER = ("units", "lead_units", "cooperating")
# Export keys whose header role has another name in the plan's labels (bot.plan.model.PlanDraft.labels).
ROLE_OF_KEY = {"ref": "number", "deadline_text": "deadline"}


def unit_columns(task: Any, labels: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
    """For a task (``lead_units``, ``cooperating`` and ``units``: every unit it names, lead units
    first, as bot.model.TaskView has them) and the plan's header ``labels``: each unit role
    ("lead_units", "units", "cooperating") → [(unit, part)] in order, where ``part`` is "" when
    the unit's part is the column's own, else its part ("lead_units", "cooperating", "units")
    for the templates to mark ("工伤保险股（牵头）"). Every role is a key; unused ones are empty."""
    own = [role for role in _HOST_ORDER if role in labels]
    columns: dict[str, list[tuple[str, str]]] = {role: [] for role in UNIT_ROLES}
    lead, helping = set(task.lead_units), set(task.cooperating)
    for unit in dict.fromkeys([*task.lead_units, *task.units, *task.cooperating]):
        part = "lead_units" if unit in lead else "cooperating" if unit in helping else "units"
        column = part if not own or part in own else own[0]
        columns[column].append((unit, "" if column == part else part))
    return columns
