"""Refs as the plan numbers its tasks (DESIGN §3.1 "Refs"), given once the whole table is read.

* numbered tasks (a 序号 cell, or "3." before the content): the number; "5.1", "5.2" for the
  rows under one merged number 5; "section.number" where the numbering restarts in each
  section (the seed: 3.3) — a number repeating in another section, or every section counting
  from 1 — and the plain number where it runs on across sections ("68");
* unnumbered tasks: their position in the innermost numbered container — "1.1.3" for the third
  row of group （一） of section 一, "2.3" in section 二 — or in the plan where nothing is
  numbered (a running "1", "2"…).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from bot.plan.model import SectionDraft


@dataclass
class Numbered:
    """What the walk knows of a task row's number: ``section`` and ``group`` (a group's number
    or None) it sits in; ``number`` as written, or given in order; ``instance`` one id per
    written number cell (rows under a merged number share it)."""

    section: SectionDraft | None
    group: tuple[int | None, str] | None
    number: str | None
    instance: int | None


def assign(rows: list[Numbered], numbered: bool) -> list[str]:
    """The ref of each of ``rows``, in order (not yet unique: the caller reports duplicates)."""
    if numbered:
        return _numbered(rows)
    counters: defaultdict[tuple, int] = defaultdict(int)
    refs = []
    for row in rows:
        parts: list[str] = []
        if row.section is not None and row.section.no is not None:
            parts.append(str(row.section.no))
        if row.group is not None and row.group[0] is not None:
            parts.append(str(row.group[0]))
        key = (row.section.position if parts and row.section else None, row.group if row.group else None)
        counters[key] += 1
        refs.append(".".join([*parts, str(counters[key])]))
    return refs


def _numbered(rows: list[Numbered]) -> list[str]:
    sizes = Counter(row.instance for row in rows if row.instance is not None)
    seen: Counter = Counter()
    bases = []
    for row in rows:
        base = row.number or ""
        if row.instance is not None and sizes[row.instance] > 1:
            seen[row.instance] += 1
            base = f"{base}.{seen[row.instance]}"
        bases.append(base)
    sections = [row.section for row in rows if row.section is not None]
    restart = False
    if sections:
        firsts: dict[int, str] = {}
        where: defaultdict[str, set[int]] = defaultdict(set)
        for row in rows:
            if row.section is not None and row.number:
                firsts.setdefault(row.section.position, row.number)
                where[row.number].add(row.section.position)
        restart = bool(firsts) and (any(len(s) > 1 for s in where.values())
                                    or all(first == "1" for first in firsts.values()))
    refs = []
    for row, base in zip(rows, bases, strict=True):
        if restart and row.section is not None:
            no = row.section.no if row.section.no is not None else row.section.position
            refs.append(f"{no}.{base}")
        else:
            refs.append(base)
    return refs
