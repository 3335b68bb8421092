"""The forms a name may be written in and what the name scan returns (stage 2 of
:mod:`handlers.understanding`, DESIGN §4): titles said after a name, a role's bracketed
alternatives, a unit's shorter forms, and the :class:`Name` / :class:`Ambiguous` / :class:`Found`
records :class:`~handlers.understanding.names.NameIndex` gives.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

HONORIFICS = ("同志", "主任", "老师", "主席", "部长", "科长", "处长", "局长", "书记", "秘书长", "馆长", "院长",
              "领导", "总")
# Titles said short after a surname (钟局, 周处, 吴科): a name only when it is no word of the plan.
SHORT_TITLES = ("局", "处", "科")
# Titles that say the person leads: among several people of the surname, the plan's leads are meant.
LEADING_TITLES = frozenset(h for h in HONORIFICS if h not in ("同志", "老师")) | frozenset(SHORT_TITLES)
_LEVEL = "市县区省镇乡"
_BRACKETED = re.compile(r"（([^（）]*)）")
# After a name, what makes a slip of a short name believable.
_PERSON_CUE = re.compile(r"^(?:同志|主任|老师|部长|科长|负责|牵头|分管|的任务|的工作|的活|的事|名下|手上|手里|"
                         r"在跟|在管|在搞|在做|要做|要干|有哪些|有啥)")
# Between two names ("周彬和何晶"): a short name standing between these and the ends is a name.
_JOINS = set("和与及跟同、")
_TWO_CJK = re.compile(r"[\u4e00-\u9fff]{2}")
# The slips are looked for in this much of a message's text (a paste is not a question).
MAX_SCAN = 300
# A separator put where a name was taken out, so the words on either side stay apart.
GAP = "\u241f"


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (rapidfuzz, imported on first need: most messages never need it)."""
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(a, b)


@dataclass(frozen=True)
class Name:
    """A name found in a message: ``name`` as stored, ``kind`` "person", "role" or "unit";
    ``written`` as typed when that differs ("严中能"); ``how`` "exact", "alias", "sound",
    "slip", "abbreviation", "pinyin" or "title" (钟局: the one lead of the surname);
    ``start``/``end`` its place in the scanned text."""

    name: str
    kind: str
    written: str = ""
    how: str = "exact"
    start: int = 0
    end: int = 0

    @property
    def guessed(self) -> bool:
        """Taken from a slip, so the answer says whom it took ("按 严众能 回答")."""
        return self.how in ("sound", "slip", "abbreviation", "pinyin", "title")


@dataclass(frozen=True)
class Ambiguous:
    """A written name two or more stored names fit ("严主任" → 严众能, 严旺龙)."""

    written: str
    candidates: tuple[str, ...]
    kind: str


@dataclass
class Found:
    """What the name scan found: names in order, the ambiguous ones, and the text with each
    name replaced by :data:`GAP`."""

    names: list[Name] = field(default_factory=list)
    ambiguous: list[Ambiguous] = field(default_factory=list)
    rest: str = ""


def _bracket_forms(name: str) -> set[str]:
    """"县（市、区）科协" → 县科协, 县市科协, 县区科协, 县市区科协, and the whole."""
    forms = {name}
    match = _BRACKETED.search(name)
    if match:
        parts = [p for p in re.split("[、，,]", match[1]) if p]
        head, tail = name[: match.start()], name[match.end():]
        for size in range(len(parts) + 1):
            for chosen in itertools.combinations(parts, size):
                forms |= _bracket_forms(head + "".join(chosen) + tail)
    return forms


def _is_subsequence(short: str, long: str) -> bool:
    """Every character of ``short`` in ``long``, in order."""
    rest = iter(long)
    return all(ch in rest for ch in short)


def _unit_aliases(name: str) -> set[str]:
    """Shorter forms of a unit or role name: no level prefix, its place alone, its long tails."""
    aliases = set()
    if "（" in name:
        return aliases
    if name[0] in _LEVEL and len(name) >= 4:
        aliases.add(name[1:])
    place = re.match(rf"^([\u4e00-\u9fff]{{2}})[{_LEVEL}](?=[\u4e00-\u9fff]{{2}})", name)
    if place:
        aliases |= {place[1], place[1] + name[3:]}
    if len(name) >= 6:
        aliases |= {name[i:] for i in range(1, len(name) - 3)}
    return aliases
