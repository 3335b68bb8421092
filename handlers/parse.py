"""A message parsed once into a :class:`Query` (STYLE "A handler is a decorated function").

The @bot mention is removed wherever it stands, also when the bot's name has a space in
it ("@督办 小助手") or is followed by U+2005 (cases/bug07); other @mentions keep the name
and lose the @. Names are found by longest match against the store's people, roles and
units, compared in canonical form ("林 丽" = 林丽, "县(市、区)" = "县（市、区）"), never by
guessing with a regex (DESIGN §4). What the names leave is read for refs, a date window
and the words that say what is asked.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

import cn2an

from bot.store import Directory
from bot.text import canon, is_blank_char
from handlers.windows import Window, find_window

# "3.3", "任务3.3", "三.3", "３．３"; not "5.30" inside a longer number.
_REF = re.compile(r"(?<![\d.])([1-9]|[一二三四五六七八九十])[.．]([1-9]\d?)(?![\d.])")
_LEAD_WORDS = re.compile(r"牵头|分管|负责领导|责任领导|牵头领导|lead")
_MINE = re.compile(r"^我的|^我(还)?(有|负责|要做|牵头)|我的任务|^mytasks|^mine")


@dataclass(frozen=True)
class Name:
    """A name found in a message: ``name`` as stored, ``kind`` "person", "role" or "unit"."""

    name: str
    kind: str


@dataclass
class Query:
    """What a message asks, found once for every handler.

    ``text``: the message with the @bot removed, trimmed; ``rest``: canonical text left when
    names are taken out; ``words``: ``rest`` without refs; ``names`` in order of appearance;
    ``refs`` ("3.3"); ``window`` or None; ``lead`` when it asks what someone leads;
    ``mine`` for 我的任务.
    """

    text: str
    rest: str
    words: str
    names: list[Name] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    window: Window | None = None
    lead: bool = False
    mine: bool = False

    def of_kind(self, kind: str) -> list[str]:
        return [n.name for n in self.names if n.kind == kind]


def strip_mentions(text: str, bot_name: str) -> str:
    """``text`` without "@<bot_name>" (any blanks inside or after it) and without the @ of
    other mentions. Returns the trimmed text; "" for a bare @bot."""
    name = [ch for ch in bot_name if not is_blank_char(ch)]
    if name:
        blank = r"[\s\u2000-\u200b\u3000]*"
        pattern = "[@＠]" + blank + blank.join(re.escape(ch) for ch in name) + blank
        text = re.sub(pattern, " ", text)
    text = re.sub(r"[@＠]", "", text)
    return "".join(" " if is_blank_char(ch) else ch for ch in text).strip()


def _ref_section(numeral: str) -> int:
    return int(numeral) if numeral.isdigit() else int(cn2an.cn2an(numeral, "normal"))


def find_names(text: str, directory: Directory) -> tuple[list[Name], str]:
    """Longest-match scan of canonical ``text`` for the directory's names.

    Returns the names in order and the canonical text with them taken out."""
    entries = sorted(
        {(canon(n), n, kind) for kind, names in (("person", directory.people), ("role", directory.roles),
                                                  ("unit", directory.units)) for n in names},
        key=lambda e: -len(e[0]),
    )
    found: list[Name] = []
    rest: list[str] = []
    index = 0
    while index < len(text):
        for key, name, kind in entries:
            if key and text.startswith(key, index):
                if Name(name, kind) not in found:
                    found.append(Name(name, kind))
                index += len(key)
                rest.append(" ")
                break
        else:
            rest.append(text[index])
            index += 1
    return found, "".join(rest)


def parse(text: str, *, bot_name: str, directory: Directory, today: date, plan_year: int) -> Query:
    """Parse one message into a :class:`Query` (today and plan year for the window)."""
    cleaned = strip_mentions(text, bot_name)
    canonical = canon(unicodedata.normalize("NFKC", cleaned))
    names, rest = find_names(canonical, directory)
    refs = []
    for match in _REF.finditer(rest):
        refs.append(f"{_ref_section(match[1])}.{int(match[2])}")
    rest_no_refs = _REF.sub(" ", rest)
    window = find_window(rest_no_refs, today, plan_year)
    return Query(
        text=cleaned,
        rest=rest,
        words=rest_no_refs,
        names=names,
        refs=list(dict.fromkeys(refs)),
        window=window,
        lead=bool(_LEAD_WORDS.search(rest_no_refs)),
        mine=bool(_MINE.search(rest_no_refs)) and not names,
    )
