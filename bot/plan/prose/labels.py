"""Owner and deadline annotations written into prose, found and cut out (DESIGN §3.1 "Prose").

Three ways a plan writes them:

* in brackets inside or after the item: "……（牵头单位：市经贸委；配合单位：市发改委、国土房管局）",
  "(责任单位:A、B)", also without a label: "（市发改委牵头，市财政局配合）", "（A、B分别牵头）";
* on a label line after the item: "责任单位:市发改委", "牵头单位：A  完成时限：6月底前";
* after the item's last sentence, unbracketed: "……。牵头单位：A；配合单位：B";
* in comma clauses of their own, unlabelled, anywhere after the first clause: "……，由A牵头，B配合，
  责任人C，N月底前完成" (:mod:`bot.plan.prose.clauses`).

A group holds one or more ``label：value`` segments (separated by ，；,; or blanks). Labels are
read by meaning (:func:`bot.plan.rules.labels.label_role`: 牵头单位, 责任单位, 配合单位, 协办单位,
牵头领导, 责任领导, 完成时限, 时间节点…); a bracket that holds no label ("科技公园(综合科技馆)") is
content. A bracket left open runs to the end of the paragraph and is reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.plan.prose.clauses import NAME_SPLIT, ROLE_END, clause_groups, names_of
from bot.plan.rules.deadlines import parse_deadline
from bot.plan.rules.labels import label_role, split_labelled
from bot.plan.rules.names import is_unit_name  # a lead clause names units; a sentence ending in 牵头 may not

# The roles an annotation gives its names or its date (bot.plan.rules.labels.label_role):
# "lead" people, "lead_units", "units", "cooperating" units, "owners" people, "supervisors", "deadline".
OWNER_ROLES = ("lead", "lead_units", "units", "cooperating", "owners", "supervisors")
ANNOTATION_ROLES = (*OWNER_ROLES, "deadline")
# A label: a few characters with no separator or blank, then a colon ("牵头单位：", "相关部室、单位:").
_LABEL_AT = re.compile(r"[\s\u3000]*(?P<label>[^:：;；,，。()（）\s\u3000]{2,14})[\s\u3000]*[:：]")
# Inside brackets, with no label: "市发改委牵头，市财政局配合", "A、B分别牵头", "市科协牵头".
_LEAD_PHRASE = re.compile(r"^[^，,；;。：:（()）]{2,60}?(分别)?牵头(负责|落实)?([，,；;][^，,；;。：:]{2,80}?(等)?"
                          r"(配合|参与|协助|协办|共同推进|共同负责))?$")
# An item's last clause naming its owners, unbracketed: "……，县市场监管局牵头，县财政局配合。"
_LEAD_CLAUSE = re.compile(r"[，,；;。]?[\s\u3000]*由?"
                          r"(?P<body>(?P<lead>[^，,；;。：:（()）]{2,40}?)(分别)?牵头(负责|落实)?"
                          r"([，,][^，,；;。：:（()）]{2,60}?(等)?(配合|参与|协助|协办))?)[。；;]?[\s\u3000]*$")
# "……，张晓明负责。" / "……，由办公室负责落实。": the last clause, names and 负责, nothing else.
_OWNER_CLAUSE = re.compile(r"[，,；;][\s\u3000]*由?(?P<names>[^，,；;。：:（()）\d]{2,30}?)(同志)?(具体)?负责"
                           r"(落实|实施|推进|办理)?[。；;]?[\s\u3000]*$")
# A person's name: two to four Han characters, not a word that only stands where a name could
# (专人, 各地, 相关人员, 本单位…).
_PERSON = re.compile(r"(?![专各相有本该此其全每分主具])[\u4e00-\u9fff]{2,4}(?<![人员方地级们])")
# Inside a sentence: a clause starts after a comma and ends at the next clause mark.
_COMMA = re.compile(r"[，,]")
_CLAUSE_END = re.compile(r"[，,。；;]")
# Where an unbracketed annotation may start after the item's last sentence: "……。牵头单位：A".
_SENTENCE_END = re.compile(r"[。；;]")
_CLOSE = {"（": "）", "(": ")"}


@dataclass(frozen=True)
class Segment:
    """One ``label：value`` of an annotation: ``role`` (one of :data:`ANNOTATION_ROLES`, or "lead_phrase"
    for an unlabelled "X牵头，Y配合"), ``label`` as written ("牵头单位"; "" when unlabelled),
    ``value`` as written, trimmed of separators."""

    role: str
    label: str
    value: str


@dataclass(frozen=True)
class Annotation:
    """An annotation group found in a text: ``start``/``end`` offsets of the whole group
    (brackets included), its ``segments``, and ``closed`` False when its bracket is never closed."""

    start: int
    end: int
    segments: tuple[Segment, ...]
    closed: bool = True

    @property
    def owners(self) -> bool:
        """True when the group names anyone (not only a deadline)."""
        return any(s.role in OWNER_ROLES or s.role == "lead_phrase" for s in self.segments)


def _labelled(text: str, start: int = 0, end: int | None = None) -> bool:
    """True when ``text`` at ``start`` begins with an annotation label ("牵头单位：")."""
    match = _LABEL_AT.match(text, start, len(text) if end is None else end)
    return bool(match) and label_role(match["label"]) in ANNOTATION_ROLES


def segments(body: str) -> tuple[Segment, ...]:
    """The ``label：value`` segments of ``body`` ("牵头单位:X;配合单位:A、B" → two), by
    :func:`~bot.plan.rules.labels.split_labelled`; labels of no annotation role (备注) are dropped."""
    return tuple(Segment(role, label, value) for label, role, value in split_labelled(body)
                 if role in ANNOTATION_ROLES)


def _closings(text: str) -> dict[int, int | None]:
    """For each opening bracket of ``text`` (by offset), the offset of the bracket that closes
    it (nested pairs skipped), or None when none does; one pass, however many brackets."""
    closing: dict[int, int | None] = {}
    open_at: list[int] = []
    for index, ch in enumerate(text):
        if ch in _CLOSE:
            open_at.append(index)
            closing[index] = None
        elif ch in _CLOSE.values() and open_at:
            closing[open_at.pop()] = index
    return closing


def find_annotations(text: str) -> list[Annotation]:
    """Every annotation group in an item's ``text``, in order (brackets, then an unbracketed tail).

    A bracket counts when its content starts with a label ("牵头单位：…") or is an unlabelled
    lead phrase ("市发改委牵头，市财政局配合"); one never closed counts when it starts with a label,
    and runs to the end of ``text`` (``closed`` False).
    """
    found: list[Annotation] = []
    closings = _closings(text)
    for index in sorted(closings):
        if found and index < found[-1].end:
            continue
        close = closings[index]
        end = close if close is not None else len(text)
        if _labelled(text, index + 1, end):
            found.append(Annotation(index, end + 1 if close is not None else end,
                                    segments(text[index + 1:end]), close is not None))
        elif close is not None and _LEAD_PHRASE.match(text[index + 1:end].strip()):
            found.append(Annotation(index, close + 1, (Segment("lead_phrase", "", text[index + 1:end].strip()),)))
    tail = next((m.end() for m in _SENTENCE_END.finditer(text, found[-1].end if found else 0)
                 if _labelled(text, m.end())), None)
    found.extend(_inside_sentence(text, found, len(text) if tail is None else tail))
    found.sort(key=lambda group: group.start)
    if tail is not None:
        end = _before_deadline(text, tail)
        found.append(Annotation(tail, end, segments(text[tail:end])))
    elif not found or found[-1].end < len(text.rstrip("。；; \t\u3000")):
        clause = _LEAD_CLAUSE.search(text, found[-1].end if found else 0)
        leads = NAME_SPLIT.split(clause["lead"]) if clause else []
        if clause and clause.start() > 0 and all(is_unit_name(n) for n in leads):
            found.append(Annotation(clause.start(), len(text), (Segment("lead_phrase", "", clause["body"]),)))
        elif (owner := _owner_clause(text, found[-1].end if found else 0)) is not None:
            found.append(owner)
    taken = [(g.start, g.end) for g in found]
    found.extend(Annotation(start, end, tuple(Segment(role, "", value) for role, value in pairs))
                 for start, end, pairs in clause_groups(text, taken))
    found.sort(key=lambda group: group.start)
    return found


def _before_deadline(text: str, start: int) -> int:
    """Where an unbracketed tail annotation ends: before a clause of its own that is a deadline
    ("……。责任人：张三，N月底前完成。" keeps "N月底前完成" the item's text), else at the text's end. A
    name list may hold commas, so only a clause that reads as a date ends it."""
    for comma in _COMMA.finditer(text, start):
        after = _CLAUSE_END.search(text, comma.end())
        clause = text[comma.end():after.start() if after else len(text)].strip(" \t\u3000")
        read = parse_deadline(clause, 2000) if clause else None
        if read is not None and (read.due is not None or read.ongoing or read.problem):
            return comma.start()
    return len(text)


def _inside_sentence(text: str, found: list[Annotation], stop: int) -> list[Annotation]:
    """Labelled clauses between commas inside a sentence: "……3000人次，责任人：李红，10月底前。"
    A group runs from its comma to the next clause that starts no label, so the clauses after
    it ("10月底前") stay the item's text."""
    groups: list[Annotation] = []
    for comma in _COMMA.finditer(text, 0, stop):
        begin = comma.end()
        if any(g.start <= comma.start() < g.end for g in [*found, *groups]) or not _labelled(text, begin, stop):
            continue
        end = begin
        while True:
            after = _CLAUSE_END.search(text, end, stop)
            end = after.start() if after else stop
            if after is None or not _labelled(text, after.end(), stop):
                break
            end = after.end()
        groups.append(Annotation(comma.start(), end, segments(text[begin:end])))
    return groups


def _owner_clause(text: str, start: int) -> Annotation | None:
    """An item's last clause naming who does it, unbracketed: "……，张晓明负责。", "……，由办公室负责。"
    Each name must read as a unit (ends as one: 局, 科, 办公室…), a role (主任, 科长…) or a
    person (two to four characters, not a word such as 专人 or 各地)."""
    clause = _OWNER_CLAUSE.search(text, start)
    if clause is None or clause.start() == 0:
        return None
    names = names_of(clause["names"])
    if all(is_unit_name(n) for n in names):
        role = "units"
    elif all(ROLE_END.search(n) or _PERSON.fullmatch(n) for n in names):
        role = "owners"
    else:
        return None
    return Annotation(clause.start(), len(text), (Segment(role, "", "、".join(names)),))


def label_line(text: str) -> Annotation | None:
    """The annotation a whole paragraph is ("责任单位:市发改委", "（牵头单位：A）"), else None.

    A paragraph is a label line when it starts with a label, or is one bracket whose content
    does; its offsets are those of ``text`` stripped.
    """
    body = text.strip(" \t\u3000\u00a0")
    if _labelled(body):
        return Annotation(0, len(body), segments(body))
    if body[:1] in _CLOSE:
        groups = find_annotations(body)
        if len(groups) == 1 and groups[0].start == 0 and groups[0].end >= len(body.rstrip("。；;")):
            return groups[0]
    return None
