"""``duban import FILE --preview``: the reading of a plan as text, nothing stored (issue 11).

The words are ``bot/templates/import_preview.j2``: each task's ref, content (shortened),
deadline → due date, lead, owners, units and cooperating units, then every warning with its
place, and every paragraph not read as a task with its place and why (the import report
lists the first 50 of each; a preview lists them all).
"""

from __future__ import annotations

from bot.plan.model import PlanDraft


def preview(draft: PlanDraft) -> str:
    """The preview of ``draft`` as plain text (Chinese, one English line at its end)."""
    from bot.render import ROOT, environment

    return environment(ROOT / "bot" / "templates").get_template("import_preview.j2").render(plan=draft).strip()
