"""What in a prose plan is context, not a task, and the report's account of it (DESIGN §3.1).

Context: the covering notice and everything before the plan's title (its numbered points
included), the preamble before the first item, unnumbered paragraphs between items, the
closing (signature, date, 抄送), sections whose title says they are no work (指导思想,
工作目标, 保障措施…) unless their items name owners, and numbered items above the task level
with no task under them. Nothing is dropped silently: each run of such paragraphs is one
report entry (``skipped_<reason>``) with the place of its first paragraph, its first words
and how many paragraphs it holds. Numbering that skips or goes back is reported too.
"""

from __future__ import annotations

import re

from bot.plan.document import Document, Paragraph, Place
from bot.plan.model import ImportProblem
from bot.plan.prose.front import Front
from bot.plan.prose.outline import Item, Outline

# Section titles that name no work of their own (GB/T 9704-style 方案 and 工作要点 headings).
_CONTEXT_TITLE = re.compile(
    r"(指导思想|总体要求|总体思路|总体目标|工作目标|主要目标|目标要求|基本原则|工作原则|保障措施|工作保障|组织保障|"
    r"保障机制|组织领导|工作要求|有关要求|相关要求|工作步骤|实施步骤|进度安排|时间安排|实施范围|适用范围|"
    r"工作背景|编制依据)"
)
_TITLE_END = re.compile(r"[。，,：:；;]")
FIRST_WORDS = 20


def _title(item: Item) -> str:
    return _TITLE_END.split(item.text.strip(" \t\u3000"), maxsplit=1)[0]


def context_roots(outline: Outline, tasks: list[Item]) -> set[Item]:
    """Top-level items that are context with everything under them: a section titled as
    context (or a task that is such a title) whose tasks name no owners."""
    task_set = set(tasks)
    aside = set()
    for root in outline.roots:
        if not _CONTEXT_TITLE.fullmatch(_title(root)):
            continue
        under = [root, *root.descendants()]
        if not any(i in task_set and (i.owned or _owned_above(i)) for i in under):
            aside.add(root)
    return aside


def _owned_above(item: Item) -> bool:
    return any(a.owned for a in item.ancestors())


def context_problems(body: list[Paragraph], front: Front, outline: Outline, tasks: list[Item],
                     aside: set[Item]) -> list[ImportProblem]:
    """One ``skipped_<reason>`` entry per run of paragraphs not read as tasks, in order.

    Reasons: ``front`` (before the plan's title: the notice), ``preamble``, ``text``
    (unnumbered, between items), ``closing`` (after the last item), ``context_section``,
    ``not_task`` (numbered above the task level, no task under it), ``orphan_line`` (a label
    line before any item).
    """
    reason: dict[Place, str] = {}
    for index, paragraph in enumerate(body[:front.body]):
        if index not in front.title_at and paragraph.text.strip():
            reason[paragraph.place] = "front"
    last = len(outline.items) - 1
    for loose in outline.loose:
        reason[loose.place] = "preamble" if loose.after < 0 else "closing" if loose.after == last else "text"
    for _, place in outline.orphan_lines:
        reason[place] = "orphan_line"
    used: set[Place] = set()
    for task in tasks:
        used.add(task.place)
        used.update(d.place for d in task.descendants())
        used.update(a.place for a in task.ancestors())
        used.update(place for _, place in task.lines)
        used.update(task.more)
        used.update(place for d in task.descendants() for place in d.more)
    for item in outline.items:
        if item in aside or any(a in aside for a in item.ancestors()):
            for place in (item.place, *(p for _, p in item.lines)):
                reason[place] = "context_section"
        elif item.place not in used:
            reason.setdefault(item.place, "not_task")
    problems: list[ImportProblem] = []
    run: list[Paragraph] = []
    for paragraph in [*body, None]:
        why = reason.get(paragraph.place) if paragraph is not None and paragraph.place not in used else None
        if paragraph is not None and not paragraph.text.strip():
            continue
        if run and why != reason[run[0].place]:
            first = run[0]
            problems.append(ImportProblem(f"skipped_{reason[first.place]}", first.place.line, None,
                                          first.text.strip(" \t\u3000")[:FIRST_WORDS], len(run), first.place))
            run = []
        if why is not None:
            run.append(paragraph)
    return problems


def beside_table(document: Document, tasks: int) -> list[ImportProblem]:
    """When a file's text around its tables would read as a plan of ``tasks`` tasks (the seed's
    工作要点 before its 分解表), one ``skipped_beside_table`` entry per run of that text: the table
    is the plan and the text is context (DESIGN §3.1), and the report says so, with the place
    and first words of each run. [] when ``tasks`` is 0."""
    if not tasks:
        return []
    problems: list[ImportProblem] = []
    run: list[Paragraph] = []
    for block in [*document.blocks, None]:
        if isinstance(block, Paragraph):
            if block.text.strip():
                run.append(block)
            continue
        if run:
            first = run[0]
            problems.append(ImportProblem("skipped_beside_table", first.place.line, None,
                                          first.text.strip(" \t\u3000")[:FIRST_WORDS], len(run), first.place))
            run = []
    return problems


def numbering_problems(items: list[Item]) -> list[ImportProblem]:
    """``numbering_skip`` / ``numbering_repeat`` for an item whose number does not follow the one
    before it at its level (``count`` the number expected; a level may run on from the last
    number of its style, as 08's "10." under 二、 does)."""
    problems = []
    runs: dict[tuple[int, str], int] = {}
    last_of: dict[str, int] = {}
    for item in items:
        key = (id(item.parent), item.style)
        number = item.label.number
        previous = runs.get(key)
        if previous is None:
            expected = 1
            ok = number == 1 or number == last_of.get(item.style, 0) + 1
        else:
            expected = previous + 1
            ok = number == expected
        if not ok:
            code = "numbering_repeat" if previous is not None and number <= previous else "numbering_skip"
            problems.append(ImportProblem(code, item.place.line, None, item.heading.strip()[:FIRST_WORDS],
                                          expected, item.place))
        runs[key] = number
        last_of[item.style] = number
    return problems
