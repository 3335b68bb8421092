"""Stage 5: the topic words of a message, found with the plan's own vocabulary, and the tasks
they match, ranked (DESIGN §4 "matched against task contents by words … ranked").

No general dictionary is loaded: the vocabulary is the plan itself. What is left of a message
once names, refs, dates and question words are out is cut, left to right, into the longest
pieces the task contents contain (机器人比赛 → 机器人 + 比赛), a word of the field synonym
table (比赛 → 竞赛, 大赛), or a piece of three characters or more that *sounds* like the
contents (机器人竟赛 → 机器人竞赛, 学术年汇 → 学术年会). Generic words (工作, 任务, 事情) are
dropped; a run of two characters or more that none of these explain is not used, and the
reply names it ("没有用上：预算").

Tasks are ranked by BM25 over these terms. The answer's tasks are those that contain every
term (weighted by how rare each is in the plan); when none does, the best partial matches
are offered as a question, never answered as if certain.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field

from handlers.understanding.names import GAP
from handlers.understanding.sounds import sound_string
from handlers.understanding.synonyms import CONGRESS, synonym_index

_GENERIC = frozenset({"工作", "任务", "事情", "事项", "内容", "情况", "方面", "问题", "东西", "一块", "部分", "那块",
                      "这块", "板块", "相关", "有关", "进行", "要求", "具体", "有关工作", "事儿", "活儿", "那件事",
                      "这件事", "那项", "这项", "有没有", "还有", "现在", "一下", "我们", "你们", "大家", "活动",
                      # "今年一共完成了几项": the plan is the year's; these words narrow nothing
                      "今年", "本年", "本年度", "今年以来", "至今", "目前为止", "到目前为止", "截至目前"})
# Characters that carry no topic alone; a run of only these is never reported as unused.
_FUNCTION = set("的了是和与及或在有要都还也就吧呢吗么啥哪谁个些把被给对从向跟同让做搞弄办干上下里中等来去过着得地"
                "这那其此每各该本我你他她它们啊呀嘛哦嗯很更最太又再才只已将会能可想说看问查找请帮一")
_GENERIC_RUN = re.compile("|".join(sorted(_GENERIC, key=len, reverse=True)))
_CONJUNCTIONS = set("和与及跟同")
SUFFIX_LENGTH = 24
MAX_TOPIC_CHARS = 200
K1, B = 1.2, 0.75


@dataclass(frozen=True)
class Term:
    """A topic word: ``written`` as typed, ``forms`` what is looked for in the contents
    (the word, its synonyms, or the plan's own spelling of a sound-alike)."""

    written: str
    forms: tuple[str, ...]


@dataclass
class Topic:
    """The topic words of a message and what was not used."""

    terms: list[Term] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)
    loose: bool = False
    groups: list[list[Term]] = field(default_factory=lambda: [[]])

    def add(self, term: Term) -> None:
        self.terms.append(term)
        self.groups[-1].append(term)

    def next_group(self) -> None:
        """A conjunction (和, 与, 、) between topic words: what follows is another topic."""
        if self.groups[-1]:
            self.groups.append([])


class Vocabulary:
    """The plan's words: every piece of its task contents (``contents``: canonical texts in
    plan order). Longest-match look-ups go through a sorted list of suffixes (bisect), so a
    1,400-task plan answers in microseconds per character."""

    def __init__(self, contents: list[str]):
        self.contents = contents
        self.corpus = "\n".join(contents)
        self._suffixes = self._index(self.corpus)
        self._sound: tuple[str, list[tuple[str, int]]] | None = None
        self.synonyms = synonym_index()
        self.lengths = [len(c) for c in contents]
        self.average = (sum(self.lengths) / len(contents)) if contents else 1.0
        self._df: dict[tuple[str, ...], int] = {}

    @staticmethod
    def _index(text: str) -> list[tuple[str, int]]:
        first: dict[str, int] = {}
        for i in range(len(text) - 1, -1, -1):
            if text[i] != "\n":
                first[text[i: i + SUFFIX_LENGTH]] = i
        return sorted(first.items())

    @staticmethod
    def _longest(suffixes: list[tuple[str, int]], probe: str) -> tuple[int, int]:
        """(length, position) of the longest prefix of ``probe`` found in the indexed text."""
        at = bisect.bisect_left(suffixes, (probe, -1))
        best = (0, -1)
        for neighbour in (at - 1, at):
            if 0 <= neighbour < len(suffixes):
                text, position = suffixes[neighbour]
                length = 0
                while length < min(len(text), len(probe)) and text[length] == probe[length]:
                    length += 1
                if length > best[0]:
                    best = (length, position)
        return best

    def longest(self, text: str, start: int) -> int:
        """How many characters of ``text`` from ``start`` the contents contain, as one piece."""
        return self._longest(self._suffixes, text[start: start + SUFFIX_LENGTH])[0]

    def sounds_like(self, text: str, start: int) -> tuple[int, str]:
        """(length, the contents' spelling) of the longest piece from ``start`` that sounds like
        the contents, three characters or more with every character but one written the same."""
        if self._sound is None:
            sounds = sound_string(self.corpus)
            self._sound = (sounds, self._index(sounds))
        probe = sound_string(text[start: start + SUFFIX_LENGTH])
        length, position = self._longest(self._sound[1], probe)
        while length >= 3:
            spelled = self.corpus[position: position + length]
            typed = text[start: start + length]
            if sum(a != b for a, b in zip(spelled, typed, strict=True)) <= max(1, length // 4):
                return length, spelled
            length -= 1
        return 0, ""

    def synonym(self, text: str, start: int) -> tuple[int, tuple[str, ...]]:
        """(length, forms) of the longest synonym-table word at ``start``; a congress number
        ("五大") gives 第五次代表大会."""
        congress = CONGRESS.match(text, start)
        if congress:
            return len(congress[0]), (f"第{congress[1]}次代表大会", f"{congress[1]}大")
        for length in range(min(6, len(text) - start), 1, -1):
            forms = self.synonyms.get(text[start: start + length])
            if forms:
                return length, forms
        return 0, ()

    def df(self, term: Term) -> int:
        """How many tasks contain the term (any of its forms)."""
        if term.forms not in self._df:
            self._df[term.forms] = sum(1 for c in self.contents if any(f in c for f in term.forms))
        return self._df[term.forms]

    def segment(self, text: str, *, sound: bool = False) -> Topic:
        """Cut ``text`` (normal form, GAP where something was taken out) into topic terms;
        ``sound``: also take pieces that sound like the contents (loads pypinyin), for the
        pieces written words alone leave unexplained."""
        topic = Topic()
        for piece in re.split(rf"([\s{GAP}]+|[,，。、；;：:？?！!（）()“”\"'《》]+)", text[:MAX_TOPIC_CHARS]):
            if not piece or piece.isspace() or GAP in piece:
                continue
            if re.fullmatch(r"[,，。、；;：:？?！!（）()“”\"'《》]+", piece):
                if re.search("[,，、；;]", piece):
                    topic.next_group()
                continue
            trial = Topic()
            self._segment_piece(piece, trial, sound=False)
            if sound and trial.loose:
                trial = Topic()
                self._segment_piece(piece, trial, sound=True)
            for group_index, group in enumerate(trial.groups):
                if group_index:
                    topic.next_group()
                for term in group:
                    topic.add(term)
            topic.unused += trial.unused
            topic.loose = topic.loose or trial.loose
        topic.terms = list(dict.fromkeys(topic.terms))
        topic.unused = list(dict.fromkeys(topic.unused))
        topic.groups = [list(dict.fromkeys(g)) for g in topic.groups if g]
        return topic

    def _segment_piece(self, piece: str, topic: Topic, *, sound: bool) -> None:
        index, unplaced = 0, []
        while index < len(piece):
            exact = self.longest(piece, index)
            synonym_length, forms = self.synonym(piece, index)
            sound_length, spelled = (0, "")
            if sound and len(piece) - index >= 3 and re.match(r"[\u4e00-\u9fff]", piece[index]):
                sound_length, spelled = self.sounds_like(piece, index)
                if sound_length <= max(exact, synonym_length):
                    sound_length = 0
            best = max(exact, synonym_length, sound_length)
            shorter = self._back_off(piece, index, best, exact, sounded=sound_length == best)
            if shorter:
                best, exact, synonym_length, sound_length = shorter, shorter, 0, 0
            if best < 2:
                if piece[index] in _CONJUNCTIONS:
                    topic.next_group()
                unplaced.append(piece[index])
                index += 1
                continue
            self._unplaced(unplaced, topic)
            unplaced = []
            written = piece[index: index + best]
            if synonym_length == best:  # a field word: 大赛 is also 竞赛
                term = Term(written, forms)
            elif exact == best:
                term = Term(written, (written,))
            else:
                term = Term(written, (spelled,))
            if written not in _GENERIC:
                topic.add(term)
            index += best
        self._unplaced(unplaced, topic)

    def _reach(self, piece: str, index: int) -> int:
        return max(self.longest(piece, index), self.synonym(piece, index)[0]) if index < len(piece) else 0

    def _back_off(self, piece: str, index: int, best: int, exact: int, *, sounded: bool) -> int:
        """A shorter written piece at ``index`` when the next word then reaches further than after
        the longest one (科技场馆 → 科技 + 场馆, not 科技厂 + 馆 stranded), or as far when the longest
        is only a sound-alike: 0 to keep ``best``."""
        end = index + best
        if best < 3 or end >= len(piece) or piece[end] in _FUNCTION:
            return 0
        keep = end + self._reach(piece, end)
        for shorter in range(min(best - 1, exact), 1, -1):
            following = self._reach(piece, index + shorter)
            reach = index + shorter + following
            if following >= 2 and (reach > keep or (sounded and reach == keep)):
                return shorter
        return 0

    @staticmethod
    def _unplaced(chars: list[str], topic: Topic) -> None:
        run = _GENERIC_RUN.sub("", "".join(chars)).strip(".-_~")
        if len(run) >= 2 or any(ch not in _FUNCTION and not ch.isascii() for ch in run):
            topic.loose = True
        while run and run[0] in _FUNCTION:
            run = run[1:]
        while run and run[-1] in _FUNCTION:
            run = run[:-1]
        meaningful = [ch for ch in run if ch.isalnum() and ch not in _FUNCTION]
        if len(run) >= 2 and len(meaningful) >= 2 and run not in _GENERIC:
            topic.unused.append(run)

    # -- ranking -----------------------------------------------------------------------------

    def rank(self, terms: list[Term], candidates: list[int]) -> list[tuple[int, float, float]]:
        """(task index, coverage, BM25 score) for ``candidates`` (indexes into the contents)
        with any term, best first; coverage is the share of the terms' weight (IDF) a task holds."""
        n = len(self.contents)
        weights = [math.log(1 + (n - self.df(t) + 0.5) / (self.df(t) + 0.5)) for t in terms]
        total = sum(weights) or 1.0
        ranked = []
        for index in candidates:
            content, covered, score = self.contents[index], 0.0, 0.0
            for term, weight in zip(terms, weights, strict=True):
                tf = sum(content.count(f) for f in term.forms)
                if tf:
                    covered += weight
                    norm = K1 * (1 - B + B * self.lengths[index] / self.average)
                    score += weight * tf * (K1 + 1) / (tf + norm)
            if covered:
                ranked.append((index, covered / total, score))
        return sorted(ranked, key=lambda r: (-r[1], -r[2], r[0]))


@dataclass
class Match:
    """How the topic words matched: ``strong`` task indexes that hold every word (in plan
    order), or else ``choices`` (best first) when only some words matched."""

    strong: list[int] = field(default_factory=list)
    choices: list[int] = field(default_factory=list)


CHOICES = 5
WEAKEST = 0.3  # a choice holds at least this share of the words' weight


def match(vocabulary: Vocabulary, terms: list[Term], candidates: list[int]) -> Match:
    """The tasks among ``candidates`` the ``terms`` match well (see the module docstring)."""
    ranked = vocabulary.rank(terms, candidates)
    found = Match()
    if not ranked:
        return found
    full = [index for index, coverage, _ in ranked if coverage >= 0.999]
    if full:
        found.strong = sorted(full)
        return found
    # No task holds every word: a split or weak match is asked about, never answered.
    found.choices = [index for index, coverage, _ in ranked if coverage >= WEAKEST][:CHOICES]
    return found
