"""Is a name in a 责任人/牵头领导 cell a person or a role? (DESIGN §1, expected.json "people")

"县（市、区）科协主席" and "领导班子成员" stand for groups of people. A cell entry is a role
when config lists it under ``[roles]``, or when it reads like one: a title word at its end,
brackets, or more characters than a Chinese personal name has. Config decides first.
"""

from __future__ import annotations

import re

# Personal names run 2–4 characters, a few 5 (欧阳娜娜娜); a longer entry with no title word is a group.
MAX_NAME = 5

_ROLE_WORDS = re.compile(
    r"(主席|副主席|成员|班子|负责人|主任|部长|书记|馆长|站长|会长|秘书长|局长|科长|处长|领导|干部|人员|各.+)$"
)


def looks_like_role(name: str, configured_roles: set[str] = frozenset(),
                    configured_people: set[str] = frozenset()) -> bool:
    """True when ``name`` (already cleaned) is a role rather than one person; config's
    ``[people]`` and ``[roles]`` decide first."""
    if name in configured_people:
        return False
    if name in configured_roles:
        return True
    return bool(_ROLE_WORDS.search(name)) or "（" in name or (len(name) > MAX_NAME and "·" not in name)


def mark_roles(draft, configured_roles: set[str] = frozenset(), configured_people: set[str] = frozenset()) -> None:
    """Fill ``draft.roles`` (a :class:`~bot.plan.model.PlanDraft`) with the names among its
    tasks' leads, owners and supervisors that are roles by :func:`looks_like_role`."""
    names = {name for task in draft.tasks for name in (*task.lead, *task.owners, *task.supervisors)}
    draft.roles = {name for name in names if looks_like_role(name, configured_roles, configured_people)}
