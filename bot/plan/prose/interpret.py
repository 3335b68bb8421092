"""A plan written as prose → :class:`~bot.plan.model.PlanDraft` (DESIGN §3.1 "Prose").

Reads a :class:`~bot.plan.document.Document`'s paragraphs only (its tables are the table
interpreter's): the front (title, year, issue date, the covering notice: :mod:`.front`),
the numbered items as a tree (:mod:`.outline`), which of them are the tasks and their refs
(:mod:`.levels`), each task's annotations, names and deadlines (:mod:`.tasks`, with
:mod:`.labels` and :mod:`.owners`). Everything else is context, and the report says where it
was and why it was not read as a task (:mod:`.context`).
"""

from __future__ import annotations

from pathlib import PurePath

from bot.plan.document import Document, Place
from bot.plan.errors import PlanError
from bot.plan.model import ImportProblem, PlanDraft
from bot.plan.prose import context
from bot.plan.prose.context import context_problems, context_roots, numbering_problems
from bot.plan.prose.front import read_front
from bot.plan.prose.levels import find_tasks, task_styles
from bot.plan.prose.outline import paragraph_text, read_outline
from bot.plan.prose.tasks import problem, read_tasks
from bot.plan.table import plan_words
from bot.plan.table.facts import PLAN_YEARS
from bot.text import xml_safe

# A year's plan has at most a few thousand paragraphs; past this the file is something else.
MAX_PARAGRAPHS = 20_000
# Unnumbered paragraphs per task past which the numbers are only headings over running text.
_TEXT_PER_TASK = 2
_SENTENCE_ENDS = ("。", ".", "！", "!", "？", "?", "；", ";", "”", "」", "）", ")")


def interpret(document: Document, year: int | None = None) -> PlanDraft | None:
    """Read the plan written in ``document``'s paragraphs, for ``year`` (None: from its title,
    else its issue date).

    Returns a :class:`PlanDraft` whose ``context`` lists every paragraph not read as a task
    (with its place and why) and ``problems`` every warning; None when no paragraph is a
    numbered item, or one alone with no owner or deadline (no prose plan: the caller says there
    is no table either). Raises :class:`~bot.plan.errors.PlanError` (words in plan_errors.j2)
    when the document has more than ``MAX_PARAGRAPHS`` paragraphs ("prose_too_long"), its
    numbered items are only headings over running text (a novel's chapters: "prose_not_plan")
    or all context ("prose_only_context"), or no plan year can be found ("no_year", "title_year").
    """
    paragraphs = document.paragraphs
    if len(paragraphs) > MAX_PARAGRAPHS:
        raise PlanError("prose_too_long", document.source, paragraphs=f"{len(paragraphs):,}",
                        limit=f"{MAX_PARAGRAPHS:,}")
    texts = [xml_safe(paragraph_text(p)) for p in paragraphs]
    front = read_front(texts)
    body = [type(p)(t, p.place, p.level, p.numbering, p.style) for p, t in zip(paragraphs, texts, strict=True)]
    outline = read_outline(body[front.body:])
    if not outline.items:
        return None
    tasks = find_tasks(outline.items, task_styles(outline.items))
    aside = context_roots(outline, tasks)
    tasks = [t for t in tasks if not any(a in aside for a in (t, *t.ancestors()))]
    between = sum(1 for loose in outline.loose if 0 <= loose.after < len(outline.items) - 1)
    if not any(i.annotated for i in outline.items) and between > _TEXT_PER_TASK * max(len(tasks), 1):
        raise PlanError("prose_not_plan", document.source, items=len(outline.items), loose=between)
    if year is None and front.title_year is not None and front.title_year not in PLAN_YEARS:
        raise PlanError("title_year", document.source, year=f"{front.title_year:04d}", title=front.title,
                        first=PLAN_YEARS[0], last=PLAN_YEARS[-1])
    plan_year = year or front.title_year or (front.issued.year if front.issued else None)
    if plan_year is None or plan_year not in PLAN_YEARS:
        raise PlanError("no_year", document.source)
    plan = PlanDraft(
        title=front.title or str(plan_words().untitled(plan_year, PurePath(document.source).name)),
        year=plan_year, issued=front.issued, source=document.source, titled=front.title is not None,
    )
    plan.context += context_problems(body, front, outline, tasks, aside)
    plan.problems += numbering_problems(outline.items)
    read_tasks(plan, outline, tasks)
    if not plan.tasks:
        raise PlanError("prose_only_context", document.source, items=len(outline.items))
    if len(plan.tasks) == 1 and not any(i.annotated for i in outline.items):
        return None  # one bare numbered line ("一、强化政治引领" under a title) is no task list
    _cut_off(plan)
    return plan


def _cut_off(plan: PlanDraft) -> None:
    """Warn when the last task stops mid-sentence where the others end theirs (a copy cut off)."""
    last, others = plan.tasks[-1], plan.tasks[:-1]
    ended = sum(1 for t in others if t.content.endswith(_SENTENCE_ENDS))
    if others and ended * 2 > len(others) and not last.content.endswith(_SENTENCE_ENDS):
        problem(plan, "cut_off", last.place or Place(), last.ref, last.content[-20:])


def beside_table(document: Document, year: int | None = None) -> list[ImportProblem]:
    """What the report says of a file read from its table whose text holds a plan too: the
    text's runs as ``skipped_beside_table`` entries (for ``PlanDraft.context``) when its
    paragraphs read as prose tasks, else []."""
    prose = Document(document.source, document.paragraphs)
    try:
        tasks = len(plan.tasks) if (plan := interpret(prose, year)) is not None else 0
    except PlanError:
        tasks = 0
    return context.beside_table(document, tasks)


