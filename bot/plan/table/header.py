"""A table's header: which column plays which role (DESIGN §3.1 "Tables").

A header row is found by what its cells mean (:func:`bot.plan.rules.labels.label_role`):
at least two cells naming roles, one of them the task's content or three in all, no cell
that reads as data (a number, a date). It may lie over two rows (责任主体 over 牵头单位 and
配合单位), be narrower than its rows (an unlabeled 序号 column), and come back after a page
break. The roles are then settled by the table's own rules:

* of two content-like columns the broader is the category (工作任务 + 具体要求);
* a units column beside a 配合 column, with no 牵头 column, is the lead unit (主要责任单位);
* a 相关/有关 units column beside a 牵头单位 column names the cooperating units;
* a column with no label (or none the rules know) takes the role its values show (序号
  numbers, section headings), and with no content column the one with the longest text is it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.plan.document import Cell
from bot.plan.rules.deadlines import parse_deadline
from bot.plan.rules.labels import content_breadth, label_role
from bot.plan.rules.numbering import task_number
from bot.plan.table.fit import fit, is_section
from bot.text import canon, join_wrapped

_RELATED = re.compile(r"相关|有关|其他|其它")


@dataclass
class Columns:
    """The roles of a table's columns, left to right (None: a column the plan does not read),
    with the header's labels as written (for reports)."""

    roles: list[str | None]
    labels: list[str]
    _canon: list[str] | None = field(default=None, repr=False, compare=False)

    @property
    def width(self) -> int:
        """The number of columns."""
        return len(self.roles)

    def same(self, labels: Sequence[str]) -> bool:
        """Whether ``labels`` (a later row) repeat this header (a header repeated on a new page)."""
        mine = self._canonical()
        first = next((label for label in labels if label.strip()), "")
        if not mine or canon(first) != mine[0]:  # most rows differ at once: no need to compare all
            return False
        return list(dict.fromkeys(canon(label) for label in labels if label.strip())) == mine

    def _canonical(self) -> list[str]:
        if self._canon is None:
            self._canon = list(dict.fromkeys(canon(label) for label in self.labels if label.strip()))
        return self._canon


def _labels(cells: Sequence[Cell]) -> list[str]:
    return [join_wrapped(cell.text) for cell in cells]


def header_roles(cells: Sequence[Cell]) -> list[str | None] | None:
    """The roles a header row names, one per cell, or None when ``cells`` is no header row.

    A cell repeated by a horizontal merge names the same role in each column it covers.
    """
    labels = _labels(cells)
    distinct = list(dict.fromkeys(label for label in labels if label))
    if len(distinct) < 2:
        return None
    roles = {label: label_role(label) for label in distinct}
    named = [label for label in distinct if roles[label]]
    if any(task_number(label) or parse_deadline(label, 2000).due for label in distinct):
        return None
    kinds = {roles[label] for label in named}
    unknown = len(distinct) - len(named)
    if not (("content" in kinds and len(named) >= 2) or len(kinds) >= 3):
        return None
    if unknown > len(named):
        return None
    return [roles.get(label) if label else None for label in labels]


def two_row_header(upper: list[str | None], lower_cells: Sequence[Cell]) -> list[str | None] | None:
    """The roles of a header over two rows (``upper``'s roles, then the row below), or None
    when the row below is no second header row: its cells written there must all be labels."""
    written = [c for c in lower_cells if c.written and join_wrapped(c.text)]
    if not written or any(label_role(c.text) is None for c in written):
        return None
    lower = [label_role(c.text) if c.written else None for c in lower_cells]
    if not any(role and role != up for role, up in zip(lower, upper, strict=False)):
        return None
    return [low or up for low, up in zip(lower, upper + [None] * (len(lower) - len(upper)), strict=False)]


def settle(roles: list[str | None], labels: list[str], rows: Sequence[Sequence[Cell]]) -> Columns:
    """The final roles of a header's columns, given the data ``rows`` below it (see the module)."""
    roles = list(roles)
    labels = list(labels)
    width = max([len(roles), *(len(row) for row in rows)])
    roles += [None] * (width - len(roles))
    labels += [""] * (width - len(labels))
    columns = [[join_wrapped(row[i].text) for row in rows if i < len(row)] for i in range(width)]
    # A column no label names takes the role its values show.
    for i in range(width):
        values = [v for v in columns[i] if v]
        if roles[i] is not None or not values:
            continue
        if sum(1 for v in values if task_number(v)) >= 0.8 * len(values):
            roles[i] = "number"
        elif not labels[i] and sum(1 for v in values if is_section(v)) >= 0.5 * len(values):
            roles[i] = "category"
    roles = by_labels(roles, labels, columns)
    if "content" not in roles:
        unread = [i for i, role in enumerate(roles) if role is None and any(columns[i])]
        if unread:
            roles[max(unread, key=lambda i: _length(columns[i]))] = "content"
    return Columns(roles, labels)


def by_labels(roles: list[str | None], labels: list[str], columns: list[list[str]] | None = None) -> list[str | None]:
    """The rules of the module that the labels decide (``columns``, the values under each, only
    break a tie between two content labels of one breadth: the one with the longer text is the content)."""
    roles = list(roles)
    values = columns or [[] for _ in roles]
    contents = [i for i, role in enumerate(roles) if role == "content"]
    # A content header merged over two columns (the seed's 工作内容 over the section column) names
    # the same label twice: the left one is the category.
    if len(contents) >= 2:
        finest = max(contents, key=lambda i: (content_breadth(labels[i]) == 1, _length(values[i]), i))
        for i in contents:
            if i != finest:
                # A category column already there (类别 beside 重点任务 + 工作措施): the broader
                # content is a group inside it, heading each task's content, not dropped.
                roles[i] = "category" if "category" not in roles else ("group" if "group" not in roles else None)
    if "cooperating" in roles and "lead_units" not in roles and "units" in roles:
        roles[roles.index("units")] = "lead_units"
    if "lead_units" in roles:
        for i, role in enumerate(roles):
            if role == "units" and _RELATED.search(labels[i]) and "cooperating" not in roles[:i] + roles[i + 1:]:
                roles[i] = "cooperating"
    return roles


def _length(values: list[str]) -> float:
    filled = [len(v) for v in values if v]
    return sum(filled) / len(filled) if filled else 0.0


def fits(columns: Columns, rows: Sequence[Sequence[Cell]]) -> float:
    """How well ``rows`` fit ``columns`` (the mean fit of their written cells), for choosing
    where a narrower header sits over its rows."""
    scores = [fit(cell.text, role) for row in rows for cell, role in zip(row, columns.roles, strict=False)
              if role and cell.written and cell.text.strip()]
    return sum(scores) / len(scores) if scores else 0.0
