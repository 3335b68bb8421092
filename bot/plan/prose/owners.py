"""Who an item's annotations name: lead people, lead units, units, cooperating units, owners,
supervisors (DESIGN §3.1 "Who", "Names in lists").

Every rule about names in a list (splitting, a prefix written once, "X牵头，Y配合", "A、B分别牵头")
is reached through :func:`names` and :func:`lead_phrase` only, so that prose and tables read
names by one set of rules.

A note in brackets inside a unit list ("(除标注“分别牵头”外,列第一位为牵头或汇总单位,下同)") is
not a unit: it is cut out, and when it says the first-listed unit leads it becomes a
:class:`ListRule` (for this item, or with 下同 for every later one too).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.plan.prose.labels import Segment
from bot.text import clean_name, split_entries

# A bracket inside a unit list that is a note, not part of a name: it holds a sentence
# (a comma or semicolon) or says where it applies (下同, 同上).
_NOTE = re.compile(r"[（(]([^（()）]*(?:[，,；;]|下同|同上|以下)[^（()）]*)[）)]")
_FIRST_LEADS = re.compile(r"(列|排)?(第一|首|第1)(位|个)?[^，,；;]*(牵头|汇总|主办)")
_LAST_ENTRY = re.compile(r"[，,；;]([^，,；;（()）]*)$")
_SAME_BELOW = re.compile(r"下同|以下同|以下各项同")
_LEAD = re.compile(r"^(?P<lead>.+?)(?P<each>分别)?牵头(?:负责|落实)?(?:[，,；;](?P<rest>.+?))?$")
_HELP = re.compile(r"(等)?(配合|参与|协助|协办|共同推进|共同负责)$")
# A list's written-once prefix: the place its first entry starts with ("市发改委" → 市).
_PREFIX = re.compile(r"^(市|区|县|省|州|盟|旗|镇|乡)(?!政府$)")
_PLACE = re.compile(r"[市区县省州盟旗镇乡]|街道|各|相关|有关|其他|其它")
_DEPARTMENT = re.compile(r"(局|委|办|厅|部|室|中心|院|会|所|处|科|站|馆|队|组|社|行|司|署)$")
# A non-exhaustive tail: "市科协、市科技局等相关部门" → …, "相关部门".
_ET_CETERA = re.compile(r"^(?P<last>.+?)等(?P<group>(相关|有关|其他)?(部门|单位|成员单位|机构))?$")


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
        return {r for r in ("lead", "lead_units", "units", "cooperating", "owners", "supervisors") if getattr(self, r)}

    def __bool__(self) -> bool:
        return bool(self.roles())


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


def names(value: str) -> list[str]:
    """The names in a list as written ("市发改委、国土房管局、黄埔区政府" → 市发改委, 市国土房管局,
    黄埔区政府): split outside brackets, cleaned, a prefix written once given to the bare
    department names after it, a non-exhaustive "等相关部门" kept as the group it names."""
    entries = split_entries(value)
    if entries:
        tail = _ET_CETERA.match(entries[-1])
        if tail:
            entries[-1:] = [tail["last"], *([tail["group"]] if tail["group"] else [])]
    prefix = _PREFIX.match(entries[0]) if entries else None
    result = []
    for index, entry in enumerate(entries):
        if (prefix and index and not entry.startswith(prefix[1]) and not _PLACE.search(entry)
                and _DEPARTMENT.search(entry)):
            entry = prefix[1] + entry
        if entry and entry not in result:
            result.append(clean_name(entry))
    return result


def lead_phrase(value: str) -> tuple[list[str], list[str], list[str]] | None:
    """("X牵头，Y配合" → lead units, other units, cooperating units), or None when ``value`` is
    no such phrase. "A、B分别牵头" → both lead; "X牵头，Y" → Y are units."""
    match = _LEAD.match(value.strip())
    if not match:
        return None
    rest = (match["rest"] or "").strip()
    helping = _HELP.search(rest)
    if helping:
        return names(match["lead"]), [], names(rest[:helping.start()])
    return names(match["lead"]), names(rest), []


def read_segment(segment: Segment, parties: Parties, rule: ListRule | None) -> list[str]:
    """Add the names ``segment`` gives to ``parties`` by its role (``rule`` for a 责任单位 list:
    the first-listed leads); returns the notes cut out of it. Deadline segments add nothing."""
    if segment.role == "deadline":
        return []
    value, notes = cut_notes(segment.value)
    phrase = lead_phrase(value) if segment.role in ("units", "lead_units", "lead_phrase") else None
    if phrase:
        lead, units, cooperating = phrase
        parties.add("lead_units", lead)
        parties.add("units", units)
        parties.add("cooperating", cooperating)
        return notes
    found = names(value)
    if segment.role == "lead_phrase":
        parties.add("units", found)
    elif segment.role == "units" and rule is not None and rule.first_leads and found:
        parties.add("lead_units", found[:1])
        parties.add("units", found[1:])
    else:
        parties.add(segment.role, found)
    return notes
