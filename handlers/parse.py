"""A message parsed once into a :class:`Query` (STYLE "A handler is a decorated function").

The @bot mention is removed wherever it stands, also when the bot's name has a space in
it ("@督办 小助手") or is followed by U+2005 (cases/bug07); other @mentions keep the name
and lose the @. Names are found by longest match against the store's people, roles and
units, compared in canonical form ("林 丽" = 林丽, "县(市、区)" = "县（市、区）"), never by
guessing with a regex (DESIGN §4); a name with a bracketed part is also found without it
("县科协主席", "市属学会"). What the names leave is read for refs, a date window, a section,
a status and the search terms that are left.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

import cn2an

from bot.store import Directory
from bot.text import canon, is_blank_char
from handlers.windows import Window, find_window

# "3.3", "任务3.3", "三.3", "３．３", "3。3"; not "5.30" inside a longer number.
_REF = re.compile(r"(?<![\d.])([1-9]|[一二三四五六七八九十])[.．。·]([1-9]\d?)(?![\d.])")
_SECTION = re.compile(r"第([1-9]|[一二三四五六七八九十])部分")
_LEAD_WORDS = re.compile(r"牵头|分管|负责领导|责任领导|牵头领导|leads?(?![a-z])")
_MINE = re.compile(r"^我(?!们)|我的|^my(?![a-z])|^mine")
_WHO = re.compile(r"谁|who")
_OPEN = re.compile(r"还没有完成|还没完成|没有完成|未完成|没完成|未办结|没做完|还没|open")
_DONE = re.compile(r"已完成|完成了的|已办结|做完了的|done")
_EVERYTHING = re.compile(r"^(所有|全部)(的)?任务$|^alltasks$")
_BRACKETED = re.compile(r"（[^（）]*）")
# Words around a search term that say what is asked, not what to look for.
_LEADING = re.compile(
    "^(?:我的|我们|我还|我|谁负责|谁牵头|是谁|请问|帮我|帮忙|麻烦|查一下|查一查|查询|查找|搜索|搜一下|"
    "查查|查|找|看看|看一下|关于|有关|列出|显示|whatdoes|whatis|what|does|show|list|find|search|who|the)+")
_TRAILING = re.compile(
    "(?:要完成的|完成的|完成|是谁负责的|是谁负责|谁负责的|谁负责|由谁负责|是谁|谁牵头|由谁|负责什么|负责哪些|"
    "牵头哪些|牵头什么|有哪些|有什么|哪些|是什么|什么|的任务|任务|到期|截止|负责|牵头|分管|情况|进展|"
    "怎么样|如何|own|owns|leads|lead|tasks|task|due|的|吗|呢|吧|了|啊|呀)+$")
_SEPARATORS = re.compile(r"[\s,，。、；;：:？?！!（）()“”\"'《》]+")


@dataclass(frozen=True)
class Name:
    """A name found in a message: ``name`` as stored, ``kind`` "person", "role" or "unit"."""

    name: str
    kind: str


@dataclass
class Query:
    """What a message asks, found once for every handler.

    ``text``: the message with the @bot removed, trimmed; ``words``: canonical text left when
    refs and names are taken out; ``terms``: what is left to search
    for once refs, the window and question words are gone; ``names`` in order of appearance;
    ``refs`` ("3.3"); ``window`` or None; ``section`` (第三部分 → 3); ``status`` "open",
    "done" or None; ``lead`` when it asks what someone leads; ``mine`` for 我的任务;
    ``who`` when it asks who; ``everything`` for 所有任务.
    """

    text: str
    words: str
    terms: list[str] = field(default_factory=list)
    names: list[Name] = field(default_factory=list)
    refs: list[str] = field(default_factory=list)
    window: Window | None = None
    section: int | None = None
    status: str | None = None
    lead: bool = False
    mine: bool = False
    who: bool = False
    everything: bool = False

    def of_kind(self, kind: str) -> list[str]:
        return [n.name for n in self.names if n.kind == kind]


def strip_mentions(text: str, bot_name: str) -> str:
    """``text`` without "@<bot_name>" (any blanks inside or after it) and without the other
    people's mentions ("@周晓岚 @督办 小助手 完成 3" → "完成 3": they are addressed, not asked
    about); an @ glued to the words that follow only loses the @. Returns the trimmed text."""
    name = [ch for ch in bot_name if not is_blank_char(ch)]
    if name:
        blank = r"[\s\u2000-\u200b\u3000]*"
        pattern = "[@＠]" + blank + blank.join(re.escape(ch) for ch in name) + blank
        text = re.sub(pattern, " ", text)
    text = re.sub(r"[@＠][^\s@＠\u2005\u3000]+(?=[\s\u2005\u3000])", " ", text)
    text = re.sub(r"[@＠]", "", text)
    return "".join(" " if is_blank_char(ch) else ch for ch in text).strip()


def _number(numeral: str) -> int:
    return int(numeral) if numeral.isdigit() else int(cn2an.cn2an(numeral, "normal"))


@functools.lru_cache(maxsize=8)
def _match_keys(people: tuple[str, ...], roles: tuple[str, ...], units: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(canonical key, name, kind), longest key first; made once per directory, not per message."""
    entries: set[tuple[str, str, str]] = set()
    for kind, names in (("person", people), ("role", roles), ("unit", units)):
        for name in names:
            entries.add((canon(name), name, kind))
            short = _BRACKETED.sub("", name)
            if short != name and len(short) >= 3:
                entries.add((canon(short), name, kind))
    return sorted(entries, key=lambda e: -len(e[0]))


def find_names(text: str, directory: Directory) -> tuple[list[Name], str]:
    """Longest-match scan of canonical ``text`` for the directory's names (and their forms
    without a bracketed part). Returns the names in order and ``text`` with them taken out."""
    ordered = _match_keys(tuple(directory.people), tuple(directory.roles), tuple(directory.units))
    found: list[Name] = []
    rest: list[str] = []
    index = 0
    while index < len(text):
        for key, name, kind in ordered:
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


def search_terms(text: str) -> list[str]:
    """What is left to search for: ``text`` split on punctuation, question words trimmed from
    both ends of each piece (never cut out of its middle: "科技工作者日" stays whole)."""
    terms = []
    for piece in _SEPARATORS.split(text):
        # One pass each way: the + in the patterns takes every question word (linear, not a loop).
        piece = _TRAILING.sub("", _LEADING.sub("", piece), count=1)
        piece = piece.strip(".")
        if len(piece) >= 2:
            terms.append(piece)
    return terms


def parse(text: str, *, bot_name: str, directory: Directory, today: date, plan_year: int) -> Query:
    """Parse one message into a :class:`Query` (today and plan year for the window)."""
    cleaned = strip_mentions(text, bot_name)
    normal = unicodedata.normalize("NFKC", cleaned)
    # Refs are read while blanks still separate them ("3.3 3.4" is two refs, not "3.33.4").
    refs = [f"{_number(m[1])}.{int(m[2])}" for m in _REF.finditer(normal)]
    names, words = find_names(canon(_REF.sub(" ", normal)), directory)
    section = _SECTION.search(words)
    window, left = find_window(_SECTION.sub(" ", words), today, plan_year)
    status = "open" if _OPEN.search(words) else "done" if _DONE.search(words) else None
    left = _DONE.sub(" ", _OPEN.sub(" ", left))
    return Query(
        text=cleaned,
        words=words,
        terms=search_terms(left),
        names=names,
        refs=list(dict.fromkeys(refs)),
        window=window,
        section=_number(section[1]) if section else None,
        status=status,
        lead=bool(_LEAD_WORDS.search(words)),
        mine=bool(_MINE.search(words.strip())) and not any(n.kind in ("person", "role") for n in names),
        who=bool(_WHO.search(words)),
        everything=bool(_EVERYTHING.match(words.strip())),
    )
