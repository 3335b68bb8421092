"""Which numbered items are the tasks, and what the plan calls them (DESIGN §3.1 "Prose", "Refs").

The task level is read from the plan, not fixed:

* where items carry annotations (owners or a deadline), the tasks are the annotated items
  deepest in the tree, with every other item of their styles (an item whose owners the
  excerpt lost is still a task): in 09 （一） is a task and 一、 a section, in 08 "1." is;
* where none does, the tasks are the style most leaves of the tree have (the seed's 工作要点:
  （一）; plan 11: 一、 — every 一、 a task, no sections).

An item of a task style with a task above it is a detail of that task; an item above the
tasks is a section (at the top) or a group (between). Refs follow the plan's numbering:
a number that restarts under each parent carries the parent's number ("3.3", "1.1.1"); one
that runs on ("10" after "9" under the next section) stands alone; a dotted number ("1.2.3")
is its own ref. With one parent only
there is no evidence: Arabic "1." items stand alone (office task lists number them on
through the plan: 05's "68", 08's "10"), every other style carries its parent's number
(a （三） means nothing without its 一、) — and so does a run of "1." starting afresh under one
heading when the plan's other tasks carry their parents' numbers ("2.1.1" beside "1.2").
A heading with no annotations of its own over sub-items of a task style is a group, not a task,
when another item of its style and depth is a group over the same style (the plan reads one way).
"""

from __future__ import annotations

import itertools
from collections import Counter

from bot.plan.prose.outline import Item


def task_styles(items: list[Item]) -> set[str]:
    """The styles whose items are the tasks (empty when there are no items)."""
    annotated = [i for i in items if i.annotated]
    if annotated:
        return {i.style for i in annotated if not any(d.annotated for d in i.descendants())}
    leaves = Counter((i.style, len(i.ancestors())) for i in items if not i.children)
    if not leaves:
        return set()
    (style, _), _ = max(leaves.items(), key=lambda pair: (pair[1], pair[0][1]))
    return {style}


def find_tasks(items: list[Item], styles: set[str]) -> list[Item]:
    """The task items, in order: of a task style, with no task above them and no annotated item below."""
    tasks: list[Item] = []
    chosen: set[int] = set()
    groups = {_shape(i) for i in items if i.children and any(d.annotated for d in i.descendants())}
    for item in items:
        if item.style not in styles or any(id(a) in chosen for a in item.ancestors()):
            continue
        if any(d.annotated for d in item.descendants()):
            continue
        # A heading shaped like a group elsewhere ("（一）X" over "1." tasks) is a group too, though
        # its own sub-items name no one: they are tasks, as the other group's are.
        if item.children and not item.annotated and item.children[0].style in styles and _shape(item) in groups:
            continue
        chosen.add(id(item))
        tasks.append(item)
    return tasks


def _shape(item: Item) -> tuple[str, int, str]:
    """An item with sub-items by its style, depth and its first sub-item's style."""
    return item.style, len(item.ancestors()), item.children[0].style


def _restarts(items: list[Item], style: str) -> bool | None:
    """Whether items of ``style`` are numbered afresh under each parent (False: they run on;
    None: one parent only, no evidence either way)."""
    runs: list[list[int]] = []
    parent = object()
    for item in items:
        if item.style != style:
            continue
        if item.parent is not parent:
            runs.append([])
            parent = item.parent
        runs[-1].append(item.label.number)
    fresh = sum(1 for a, b in itertools.pairwise(runs) if b[0] <= a[-1])
    onward = sum(1 for a, b in itertools.pairwise(runs) if b[0] > a[-1])
    if fresh or onward:
        return fresh >= onward
    return None


def refs(items: list[Item], tasks: list[Item]) -> dict[int, str]:
    """The ref of every task (by ``id``): its number, led by its parents' numbers as long as
    the numbering restarts under them."""
    memo: dict[str, bool] = {}

    def restarts(style: str) -> bool:
        if style not in memo:
            found = _restarts(items, style)
            memo[style] = found if found is not None else style != "arabic" or _carried(items, tasks, style)
        return memo[style]

    result = _refs(tasks, restarts)
    if len(set(result.values())) < len(result):  # numbers that run on somewhere meet: every level
        full = _refs(tasks, lambda style: True)
        if len(set(full.values())) > len(set(result.values())):  # not a number written twice
            result = full
    return result


def _carried(items: list[Item], tasks: list[Item], style: str) -> bool:
    """Whether the plan's other tasks under a parent carry its number ("1.2" under 一、): then a
    single run of "1." under one heading, which starts afresh at 1, carries its parents' too
    ("2.1.1"), so the plan's refs read one way."""
    if not any(t.style == style and t.parent is not None and t.label.number == 1 for t in tasks):
        return False
    others = {t.style for t in tasks if t.style != style and t.parent is not None}
    return any(found or (found is None and other != "arabic")
               for other in others for found in [_restarts(items, other)])


def _refs(tasks: list[Item], restarts) -> dict[int, str]:
    result = {}
    for task in tasks:
        if task.label.path:  # "1.2.3" carries its parents' numbers itself
            result[id(task)] = ".".join(map(str, task.label.path))
            continue
        parts = [str(task.label.number)]
        node = task
        while node.parent is not None and restarts(node.style):
            node = node.parent
            parts.insert(0, str(node.label.number))
        result[id(task)] = ".".join(parts)
    return result
