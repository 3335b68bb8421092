"""Plans written as prose: numbered items with their owners and deadlines inside the text (DESIGN §3.1).

:func:`interpret` reads a :class:`~bot.plan.document.Document`'s paragraphs, whatever file
they came from, into a :class:`~bot.plan.model.PlanDraft`.
"""

from bot.plan.prose.interpret import interpret

__all__ = ["interpret"]
