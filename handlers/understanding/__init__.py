"""Understanding a message: the text, once, into a :class:`Query` every handler reads
(DESIGN §4 "How a message is understood", STYLE "a Query parsed once").

The stages, in order, each taking out what it understood so the next sees only the rest:

1. :mod:`.normalise` — @bot removed, NFKC, traditional → simplified, fillers and repeats dropped;
2. :mod:`.refs` — refs as the plan numbers them (2.1, 二点一, 68), 第二部分第一条, 第二部分;
3. :mod:`.names` — people, roles and units written out (also given names, honorifics, aliases);
4. :mod:`.windows` — the date window (这个月, 两周内, 国庆前, 2020年12月), after a deadline
   quoted as written (完成时间写12月底前) is set apart;
5. :mod:`.asks` — what is asked (who, when, count, status, detail, progress, list) and filters;
6. sections by the words of their title (科普品牌那部分);
7. :mod:`.topics` — the topic words, by the plan's vocabulary; only when words are left
   unexplained, names with slips (严中能, 闽西职院, yanzhongneng) and sound-alike words
   (机器人竟赛) are looked for, so a question typed right never loads pypinyin.

The plan's index (:class:`PlanIndex`: vocabulary, names, refs, sections) is made once per plan
and kept while the plan's tasks and the directory are the same objects or the same text.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from datetime import date

from bot.model import TaskView
from bot.store import Directory
from bot.text import canon
from handlers.understanding.asks import Asked, find_asks, find_written
from handlers.understanding.names import GAP, HONORIFICS, SHORT_TITLES, Ambiguous, Name, NameIndex
from handlers.understanding.normalise import normalise, strip_mentions
from handlers.understanding.refs import find_places, find_section_words
from handlers.understanding.topics import Term, Vocabulary
from handlers.understanding.windows import Window, find_window

__all__ = ["Ambiguous", "Name", "PlanIndex", "Query", "Term", "Window", "plan_index", "understand"]

MAX_QUESTION = 300  # characters of normal text a question may have
# After a name, the word that says in which capacity it is meant ("<A>牵头、<B>负责的").
_AS_LEAD = re.compile(rf"^(?:{GAP}|同志|主任|老师|的)*(?:都|也|所)?(?:牵头|分管|领导|lead)")
_AS_OWNER = re.compile(rf"^(?:{GAP}|同志|主任|老师|的)*(?:都|也|所)?(?:负责|承办|具体负责|own)")
# After an unused word, what says it was meant as someone ("钟明牵头的"; not "负责人是谁").
_AS_SOMEONE = re.compile(r"^(?:同志|的)?(?:都|也|所)?(?:牵头|分管|负责|承办)(?!人|单位|部门|领导|科室)")
_JOINS = set("和与及跟同、")
_TITLED = re.compile("(?:" + "|".join(sorted((*HONORIFICS, *SHORT_TITLES), key=len, reverse=True)) + ")$")


@dataclass
class Query:
    """What a message asks, found once for every handler.

    ``text`` the message with the @bot removed, as typed; ``normal`` its normal form;
    ``words`` the canonical text left once names and refs are out (the write intents read it);
    ``names`` in order of appearance (people, roles, units; ``Name.guessed`` for slips) and
    ``ambiguous`` the names two people fit; ``as_lead``/``as_owner`` the names the message
    says lead or own ("<A>牵头、<B>负责的"); ``refs`` the plan's refs named,
    ``unknown_refs`` ref-shaped numbers it lacks; ``sections`` by number or title; ``window``;
    ``asked`` what is asked and the filter words (:class:`~.asks.Asked`); ``terms`` the topic
    words, ``term_groups`` the same cut where a conjunction joins two topics (科普日和科技工作者日),
    and ``unused`` the words nothing explained; ``everything`` for 所有任务; ``strangers`` the
    unused words written as someone (钟局, 钟局长, "钟明牵头的"): no list may ignore them.
    """

    text: str
    normal: str = ""
    words: str = ""
    names: list[Name] = field(default_factory=list)
    ambiguous: list[Ambiguous] = field(default_factory=list)
    as_lead: frozenset[str] = frozenset()
    as_owner: frozenset[str] = frozenset()
    refs: list[str] = field(default_factory=list)
    unknown_refs: list[str] = field(default_factory=list)
    sections: list[int] = field(default_factory=list)
    window: Window | None = None
    asked: Asked = field(default_factory=Asked)
    terms: list[Term] = field(default_factory=list)
    term_groups: list[list[Term]] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)
    everything: bool = False
    strangers: list[str] = field(default_factory=list)

    def of_kind(self, *kinds: str) -> list[str]:
        """The names of these kinds ("person", "role", "unit"), in order."""
        return [n.name for n in self.names if n.kind in kinds]

    @property
    def section(self) -> int | None:
        return self.sections[0] if self.sections else None

    @property
    def status(self) -> str | None:
        return self.asked.status

    @property
    def mine(self) -> bool:
        return self.asked.mine and not self.of_kind("person", "role")

    @property
    def what(self) -> str:
        return self.asked.what

    @property
    def guessed(self) -> list[Name]:
        """Names taken from a slip: the reply says whom it took."""
        return [n for n in self.names if n.guessed]

    @property
    def filtered(self) -> bool:
        """Something narrows the tasks: a name, a ref, a section, a window, a filter or words."""
        a = self.asked
        return bool(self.names or self.refs or self.sections or self.window or self.terms or a.status
                    or a.ongoing is not None or a.written or a.every or self.mine or self.everything)


class PlanIndex:
    """What understanding needs of one plan: its refs (→ position), sections (number → refs in
    order; number → title words), due dates, vocabulary and names."""

    def __init__(self, tasks: list[TaskView], directory: Directory):
        self.refs = {t.ref: t.position for t in tasks}
        self.sections: dict[int, list[str]] = {}
        self.titles: dict[int, str] = {}
        for task in tasks:
            if task.section_no is not None:
                self.sections.setdefault(task.section_no, []).append(task.ref)
                title = re.sub(r"^[一二三四五六七八九十百\d]+[、.．]\s*", "", task.section)
                self.titles[task.section_no] = canon(title)
        self.dues = frozenset(t.due for t in tasks if t.due is not None)  # a past month may mean the coming one
        contents = [canon(t.content) for t in tasks]
        self.vocabulary = Vocabulary(contents)
        self.memo: dict = {}  # what handlers derive from the plan once (help's examples)
        self.names = NameIndex(tuple(directory.people), tuple(directory.roles), tuple(directory.units),
                               tuple((text, tuple(t.units)) for text, t in zip(contents, tasks, strict=True)),
                               common=_is_common,
                               leads=frozenset(name for t in tasks for name in t.lead if name not in t.lead_units))


def _is_common(word: str) -> bool:
    """A word questions use for something else (明天, 全年), so never a given name."""
    window, _ = find_window(word, date(2000, 1, 1), 2000)
    return window is not None or find_asks(word, normal=word).rest.replace(GAP, "").strip() != word


_CACHE: dict[int, tuple[list[TaskView], Directory, tuple, PlanIndex]] = {}
_CACHE_LOCK = threading.Lock()


def _content_key(tasks: list[TaskView], directory: Directory) -> tuple:
    return (tuple((t.ref, t.position, t.section, t.content, tuple(t.units), t.due, tuple(t.lead)) for t in tasks),
            tuple(directory.people), tuple(directory.roles), tuple(directory.units))


def plan_index(plan_id: int, tasks: list[TaskView], directory: Directory) -> PlanIndex:
    """The :class:`PlanIndex` of ``tasks``, kept while they are the same objects (the store's
    cache) or, after a write, the same text."""
    with _CACHE_LOCK:
        kept = _CACHE.get(plan_id)
        if kept and kept[1] is directory and len(kept[0]) == len(tasks) and all(
                a is b for a, b in zip(kept[0], tasks, strict=True)):
            return kept[3]
        key = _content_key(tasks, directory)
        if kept and kept[2] == key:
            _CACHE[plan_id] = (list(tasks), directory, key, kept[3])
            return kept[3]
    index = PlanIndex(tasks, directory)
    with _CACHE_LOCK:
        _CACHE[plan_id] = (list(tasks), directory, key, index)
    return index


def compact(text: str) -> str:
    """Normal text without blanks, except one between two ASCII words or numbers ("what does",
    "3 3"); ASCII brackets made full-width as names are stored."""
    text = re.sub(r"(?<=[^a-z0-9])\s+|\s+(?=[^a-z0-9])", "", text.strip())
    return text.replace("(", "（").replace(")", "）")


def _capacities(scan: str, names: list[Name]) -> tuple[frozenset[str], frozenset[str]]:
    lead, owner = set(), set()
    for name in names:
        after = scan[name.end: name.end + 12]
        if _AS_LEAD.match(after):
            lead.add(name.name)
        elif _AS_OWNER.match(after):
            owner.add(name.name)
    return frozenset(lead), frozenset(owner)


def _strangers(scan: str, unused: list[str], names: list[Name]) -> list[str]:
    """The unused words written as a person: a title at their end, a capacity after them, or a
    person's name joined to them ("钟明和周斌")."""
    people = {(n.start, n.end) for n in names if n.kind == "person" and n.how == "exact"}
    found = []
    for word in unused:
        at = scan.find(word)
        end = at + len(word)
        joined = at >= 0 and any(
            (start == end + 1 and scan[end] in _JOINS) or (stop == at - 1 and scan[stop] in _JOINS)
            for start, stop in people)
        if len(word) <= 4 and (_TITLED.search(word) or joined or (at >= 0 and _AS_SOMEONE.match(scan[end:]))):
            found.append(word)
        elif (len(word) == 2 and at >= 0 and "\u4e00" <= scan[end:end + 1] <= "\u9fff"
              and _AS_SOMEONE.match(scan[end + 1:])):
            found.append(scan[at:end + 1])  # "严众能负责什么": a three-character name, not 严众 + 能
    return found


def understand(text: str, *, bot_name: str, index: PlanIndex, today: date, plan_year: int) -> Query:
    """Understand one message (see the module docstring). Never raises on any text."""
    written_text = strip_mentions(text, bot_name)
    normal = normalise(written_text)
    places = find_places(normal, index.refs, index.sections, index.vocabulary.corpus)
    if len(normal) > MAX_QUESTION:  # a paste is not a question: only a note (进展 3.1 …) may be this long
        return Query(text=written_text, normal=normal, words=canon(places.rest.replace(GAP, " ")),
                     refs=places.refs)
    scan = compact(places.rest)
    found = index.names.find(scan)
    as_lead, as_owner = _capacities(scan, found.names)
    words = canon(found.rest.replace(GAP, " "))
    written, rest = find_written(found.rest)
    window, windowless = find_window(rest, today, plan_year, index.dues)
    if window is not None and window.unknown and window.label.removesuffix("前") in index.vocabulary.corpus:
        window = None  # a holiday the tasks' own words name ("国庆前发布消费提示"): topic words, not a date
    else:
        rest = windowless
    asked = find_asks(rest, normal=normal)
    asked.written = written
    sections, rest = find_section_words(asked.rest, index.titles, index.vocabulary.corpus)
    topic = index.vocabulary.segment(rest)
    names, ambiguous = list(found.names), list(found.ambiguous)
    if topic.loose:
        slips = index.names.find_slips(rest)
        if slips.names or slips.ambiguous:
            names += [n for n in slips.names if all(n.name != m.name for m in names)]
            ambiguous += slips.ambiguous
            rest = slips.rest
            more_lead, more_owner = _capacities(rest, slips.names)
            as_lead, as_owner = as_lead | more_lead, as_owner | more_owner
        topic = index.vocabulary.segment(rest, sound=True)
    if asked.what == "list" and asked.due_word and (topic.terms or places.refs) and window is None:
        asked.what = "when"  # "<topic> deadline", "<topic>的期限"
    if asked.what == "list" and asked.detail_word and places.refs:
        asked.what = "detail"
    return Query(
        text=written_text, normal=normal, words=words, names=names, ambiguous=ambiguous,
        as_lead=as_lead, as_owner=as_owner, refs=places.refs, unknown_refs=places.unknown,
        sections=list(dict.fromkeys([*places.sections, *sections])), window=window, asked=asked,
        terms=topic.terms, term_groups=topic.groups if len(topic.groups) > 1 else [], unused=topic.unused,
        everything=asked.everything, strangers=_strangers(scan, topic.unused, found.names),
    )
