"""Who an item names in its comma clauses, unbracketed and unlabelled (DESIGN §3.1 "Prose", "Who").

A plan written as sentences names its owners in clauses of their own, anywhere after the
task's first clause and in any order with its deadline clause:
"……。由A科牵头，B科配合，责任人：张三，4月10日前完成。",
"……。C中心负责，责任人李四、王五，9月底前完成。". Each clause is read on its own:

* ``由?<units>(分别)?牵头`` → the lead units (as a table's "X牵头" cell is read);
* ``由?<names>负责`` → units when every name ends as a unit's does, else owners when every name
  is a person or a role (专人, 各地 are neither: such a clause stays text);
* ``<units>(等)?配合/参与/协助/协办`` → cooperating units;
* ``责任人/负责人/联系人 <people>`` (the colon left out) → owners.

A run of such clauses next to one another is one :class:`~bot.plan.prose.labels.Annotation`
(so "X牵头，Y配合，责任人Z" completes one task, never splits it); the clauses between them (the
deadline, "每月底前报送") stay the item's text. The item's first clause is its task and is never
read here, and neither is text inside a bracket or a group already found.
"""

from __future__ import annotations

import re

from bot.plan.rules.names import is_unit_name

_SEPARATORS = "，,；;。"
_OPEN, _CLOSE = "（(《“", "）)》”"
NAME_SPLIT = re.compile(r"[、，,]")
_LEAD = re.compile(r"由?(?P<names>[^，,；;。：:（()）]{2,40}?)(?P<each>分别)?牵头(负责|落实|实施|推进|组织实施)?")
_DOES = re.compile(r"由?(?P<names>[^，,；;。：:（()）\d]{2,30}?)(同志)?(具体)?负责(落实|实施|推进|办理|组织实施)?")
_HELPS = re.compile(r"(?P<names>[^，,；;。：:（()）\d]{2,60}?)(等(相关)?(单位|部门)?)?"
                    r"(配合|参与|协助|协办)(落实|实施)?")
_LEAD_AND_HELP = re.compile(r"(?P<lead>[^，,；;。]+?牵头)[、](?P<helps>[^，,；;。]+?(配合|参与|协助|协办)(落实|实施)?)")
_PEOPLE = re.compile(r"(具体)?(责任人|负责人|联系人|经办人|承办人)(?P<names>[^，,；;。：:（()）\d]{2,30})")
# A role named as an owner (责任人 in a table holds these too); shared with prose/labels.py.
ROLE_END = re.compile(r"(主任|书记|局长|科长|股长|部长|处长|主席|秘书长|馆长|所长|站长|队长|院长|校长|组长|领导)$")
# Two to four Han characters, not a word that only stands where a name could (专人, 各地, 相关人员,
# 乡镇, 家长, 群众): a clause anywhere in the sentence is read, so the test is stricter than at its end.
_PERSON = re.compile(r"(?![专各相有本该此其全每分主具])[\u4e00-\u9fff]{2,4}(?<![人员方地级们镇村乡众长])")


def names_of(value: str) -> list[str]:
    """The names of a list value ("A科、B科", "李四，王五"), blanks stripped."""
    return [n.strip(" \t\u3000") for n in NAME_SPLIT.split(value)]


def _person_or_role(name: str) -> bool:
    return bool(ROLE_END.search(name) or _PERSON.fullmatch(name))


def read_clause(clause: str) -> list[tuple[str, str]] | None:
    """The (role, value) pairs an owner clause gives ("由A科牵头" → [("lead_phrase", "A科牵头")];
    "A科、B科负责" → [("units", "A科、B科")]; "责任人李四、王五" → [("owners", "李四、王五")]),
    or None when ``clause`` (stripped) is no owner clause."""
    text = clause.strip(" \t\u3000")
    if (both := _LEAD_AND_HELP.fullmatch(text)) and (lead := read_clause(both["lead"])) and (
            helps := read_clause(both["helps"])):
        return lead + helps  # "A股牵头、B中心配合" in one clause
    if (match := _LEAD.fullmatch(text)) and all(is_unit_name(n) for n in names_of(match["names"])):
        return [("lead_phrase", text.removeprefix("由"))]
    if match := _DOES.fullmatch(text):
        names = names_of(match["names"])
        if all(is_unit_name(n) for n in names):
            return [("units", "、".join(names))]
        if all(_person_or_role(n) for n in names):
            return [("owners", "、".join(names))]
        return None
    if (match := _HELPS.fullmatch(text)) and all(is_unit_name(n) for n in names_of(match["names"])):
        return [("cooperating", match["names"])]
    if (match := _PEOPLE.fullmatch(text)) and all(_person_or_role(n) for n in names_of(match["names"])):
        return [("owners", match["names"])]
    return None


def _clauses(text: str) -> list[tuple[int, int]]:
    """(start, end) of each clause of ``text`` outside brackets and quotes, in order."""
    spans, depth, start = [], 0, 0
    for index, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(depth - 1, 0)
        elif ch in _SEPARATORS and depth == 0:
            spans.append((start, index))
            start = index + 1
    spans.append((start, len(text)))
    return spans


def clause_groups(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, list[tuple[str, str]]]]:
    """The owner clauses of ``text`` outside the ``taken`` spans (groups already found): each run
    of adjacent ones as (start, end, its (role, value) pairs). A run that follows a comma starts
    at that comma, so the text left reads on ("……改造，年底前完成。")."""
    runs: list[tuple[int, int, list[tuple[str, str]]]] = []
    previous_owner = False
    for position, (start, end) in enumerate(_clauses(text)):
        pairs = None
        if position > 0 and end > start and not any(s < end and start < e for s, e in taken):
            pairs = read_clause(text[start:end])
        if pairs is None:
            previous_owner = False
            continue
        if previous_owner:
            runs[-1] = (runs[-1][0], end, runs[-1][2] + pairs)
        else:
            begin = start - 1 if text[start - 1] in "，," else start
            runs.append((begin, end, pairs))
        previous_owner = True
    return runs
