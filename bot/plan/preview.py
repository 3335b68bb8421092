"""``duban import FILE --preview``: the reading of a plan as text, nothing stored (issue 11).

The words are ``bot/templates/import_preview.j2``: each task's ref, content (shortened),
deadline → due date, lead, owners, units and cooperating units, then every warning with its
place, and every paragraph not read as a task with its place and why (the import report
lists the first 50 of each; a preview lists them all). Given the store's
:class:`~bot.store.outlook.Outlook`, it also says which stored plan the import updates and which
of its tasks holding history (completions, notes, reminders) the file lacks (import_outlook.j2).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.plan.model import PlanDraft

if TYPE_CHECKING:
    from bot.store.outlook import Outlook


def preview(draft: PlanDraft, outlook: Outlook | None = None) -> str:
    """The preview of ``draft`` as plain text (Chinese, one English line at its end); ``outlook``
    what the import would do to the store (None: no store to compare with)."""
    from bot.render import ROOT, environment

    template = environment(ROOT / "bot" / "templates").get_template("import_preview.j2")
    return template.render(plan=draft, outlook=outlook).strip()
