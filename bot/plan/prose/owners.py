"""Who an item's annotations name: lead people, lead units, units, cooperating units, owners,
supervisors (DESIGN §3.1 "Who", "Names in lists").

The names themselves are read by the shared rules (:func:`bot.plan.rules.names.split_names`
for people, :func:`~bot.plan.rules.names.read_parties` for units: a list split outside
brackets, a place written once, "X牵头，Y配合", "A、B分别牵头"), as a table's cells are.

What prose adds: a rule a plan writes into a unit list. "(除标注“分别牵头”外,列第一位为牵头或
汇总单位,下同)" is no unit: it is cut out, and as it says the first-listed unit leads it becomes
a :class:`ListRule` — for its own item, or with 下同 for every later one too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.plan.prose.labels import OWNER_ROLES, Segment
from bot.plan.rules.names import read_parties, split_names

# A bracket inside a unit list that is a note, not part of a name: it holds a sentence
# (a comma or semicolon) or says where it applies (下同, 同上).
_NOTE = re.compile(r"[（(]([^（()）]*(?:[，,；;]|下同|同上|以下)[^（()）]*)[）)]")
_LAST_ENTRY = re.compile(r"[，,；;]([^，,；;（()）]*)$")
_FIRST_LEADS = re.compile(r"(列|排)?(第一|首|第1)(位|个)?[^，,；;]*(牵头|汇总|主办)")
_SAME_BELOW = re.compile(r"下同|以下同|以下各项同")
_PEOPLE = ("lead", "owners", "supervisors")


@dataclass(frozen=True)
class ListRule:
    """A rule a plan writes into a unit list: ``first_leads`` (the first-listed unit is the
    lead, unless the list says 分别牵头); ``below`` True when it also holds for later items (下同)."""

    first_leads: bool
    below: bool
    text: str


@dataclass
class Parties:
    """Names an item's annotations give, by role (DESIGN §3.1 "Who"), each in order, once."""

    lead: list[str] = field(default_factory=list)
    lead_units: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    cooperating: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)
    supervisors: list[str] = field(default_factory=list)

    def add(self, role: str, found: list[str]) -> None:
        target = getattr(self, role)
        for name in found:
            if name not in target:
                target.append(name)

    def roles(self) -> set[str]:
        """The roles this item names someone in."""
        return {r for r in OWNER_ROLES if getattr(self, r)}


def cut_notes(value: str) -> tuple[str, list[str]]:
    """``value`` without its notes, and the notes' texts: brackets holding a sentence, and a
    last entry that states a rule unbracketed ("A、B，列第一位的为牵头单位")."""
    notes = [m[1] for m in _NOTE.finditer(value)]
    value = _NOTE.sub("", value)
    last = _LAST_ENTRY.search(value)
    if last and _FIRST_LEADS.search(last[1]):
        notes.append(last[1])
        value = value[:last.start()]
    return value, notes


def list_rule(note: str) -> ListRule | None:
    """The rule a note states, or None when it states none this reader knows."""
    if _FIRST_LEADS.search(note):
        return ListRule(True, bool(_SAME_BELOW.search(note)), note)
    return None


def count_names(value: str) -> int:
    """How many units a list names (a rule written at the first list of several matters there)."""
    return len(split_names(value))


def read_segment(segment: Segment, parties: Parties, rule: ListRule | None) -> None:
    """Add the names ``segment`` gives to ``parties`` by its role; a 责任单位 list under a
    first-leads ``rule`` gives its first unit as the lead (unless it names its own leads)."""
    if segment.role == "deadline":
        return
    if segment.role in _PEOPLE:
        parties.add(segment.role, split_names(segment.value, units=False))
        return
    role = "units" if segment.role == "lead_phrase" else segment.role
    found = read_parties(segment.value, role)
    if rule is not None and rule.first_leads and segment.role == "units" and not found.lead_units and found.units:
        found.lead_units, found.units = found.units[:1], found.units[1:]
    parties.add("lead_units", found.lead_units)
    parties.add("units", found.units)
    parties.add("cooperating", found.cooperating)
