"""Plans written as prose: numbered items with their owners and deadlines inside the text (DESIGN §3.1).

:func:`interpret` reads a :class:`~bot.plan.document.Document`'s paragraphs, whatever file
they came from, into a :class:`~bot.plan.model.PlanDraft`; :func:`beside_table` lists a document's text
around its tables as context when that text reads as a plan too (the table is the plan).
"""

from bot.plan.prose.interpret import beside_table, interpret

__all__ = ["beside_table", "interpret"]
