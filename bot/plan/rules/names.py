"""Names in lists: who a cell or an annotation names, and as what (DESIGN §3 and §3.1 "Names in lists", "Who").

* A list splits on 、，,；; outside brackets ("县（市、区）科协" is one name); a blank line
  (a new paragraph in the cell) separates entries too, unless the line before it ends in a
  separator (a list wrapped over lines: "区财政局、⏎⏎区工信局").
* A group stays whole where the plan means one group: a leading 各 binds the kinds listed
  after it in the same clause ("各科室、单位", "各股室、二级单位", "各站所、下属单位",
  "各乡镇人民政府、街道办事处", "各区、县级市"),
  not a body with a name of its own ("各县（市、区）政府、丽水开发区管委会" are two).
* A place written once for a list is given to the later entries that are bare department
  names ("市发改委、国土房管局、规划局" → 市国土房管局, 市规划局); an entry naming its own
  place or being a branch keeps its name ("黄埔区政府", "人民银行潍坊市中心支行", "潍坊银监分局").
* A note in brackets about the entry's role is not part of its name ("区统计局（数据统计评估
  牵头单位）" → 区统计局); a trailing 。 and a tail "等" are dropped ("A、B等相关部门" → A, B, 相关部门).
* "X牵头，Y配合", "X牵头、Y参与", "A、B分别牵头", "X牵头落实", "由X负责，Y配合" in one cell name
  the lead units and the cooperating units; other names are the column's own role.
* Names are stored clean: no blanks ("林  丽" = 林丽), full-width brackets (bot.text.clean_name).

* What a unit's name ends with (:data:`UNIT_END`: 局, 科, 股, 所, 中心, 大队, 站…) is one
  definition here for every interpreter: prose reads a lead clause's names as units by it, the
  table's column fit tells a body from a person by it.

Public API: :func:`split_names`, :func:`read_parties` (→ :class:`Parties`), :data:`UNIT_END`,
:func:`is_unit_name`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.text import brackets_balanced, clean_name, paragraphs

_OPEN = "（(《“[【"
_CLOSE = {"（": "）", "(": ")", "《": "》", "“": "”", "[": "]", "【": "】"}
# Separators between the levels of a list ("区卫健委，各乡镇人民政府、街道办事处") and inside one.
HIGH = "，,；;"
LOW = "、"

# What the name of a unit ends with: 县人社局, 发改委, 办公室, 社会保险股, 劳动保障所, 就业服务中心,
# 劳动监察大队, 水利站, 市科技馆, 科协, 县委组织部, 各乡镇人民政府, 相关单位, 建设公司, 项目指挥部.
UNIT_ENDINGS = ("局", "委", "办", "厅", "部", "室", "科", "股", "处", "所", "中心", "站", "队", "院", "馆",
                "会", "组", "社", "行", "司", "署", "团", "联", "协", "政府", "单位", "部门", "公司", "集团",
                "街道", "办事处", "指挥部", "管委会", "学校", "园")
UNIT_ENDS = "|".join(sorted(UNIT_ENDINGS, key=len, reverse=True))  # a regex alternation, longest first
UNIT_END = re.compile(f"(?:{UNIT_ENDS})$")


def is_unit_name(name: str) -> bool:
    """Whether ``name`` ("社会保险股", "劳动监察大队") ends as the name of a unit does (:data:`UNIT_END`);
    a trailing 。 or blank is ignored."""
    return bool(UNIT_END.search(name.strip(" \t\u3000。.")))


# A note about a unit's role, in brackets after its name: not part of the name.
_ROLE_NOTE = re.compile(r"[（(][^（）()]*(牵头|配合|汇总|负责|参与|下同|协助|主责)[^（）()]*[）)]")
# Kinds of bodies a leading 各 distributes over ("各乡镇人民政府、街道办事处"): an administrative
# level, an institution word, or both — never a body with a proper name.
_LEVEL = r"(?:省|市|州|区|县|县级市|县（市、区）|乡|镇|乡镇|街道|村|社区|园区|开发区|片区)"
_INSTITUTION = (r"(?:人民政府|政府|办事处|街道办事处|单位|部门|科室|部室|处室|股室|站所|所站|中心|站|所|队|"
                r"(?:直属|有关|相关|下属|所属|二级|基层|成员|局属|委属|系统)(?:单位|机构)|派出机构|内设机构|"
                r"企业|学校|医院|机关|委员会|党委|党组|党工委|管委会|团体|协会|学会|院校|高校|公司)")
_KIND = re.compile(rf"^(?:{_LEVEL}{_INSTITUTION}?|{_INSTITUTION})$")
# A bare department name that takes a place written once before it: "国土房管局", "外经贸局".
_DEPARTMENT = re.compile(r"^[^省市州区县乡镇村各]{1,6}(局|委|办|厅)$")
_BRANCH = re.compile(r"(分局|支行|分行|分公司|分院|分会)$")
# The place an entry starts with, to be given on: one level character (市发改委 → 市).
_PLACE = re.compile(r"^(省|市|州|区|县)(?=[^省市州区县]{2,})")
# "A等相关部门" / "A、B等": a tail group after 等 stays, the 等 goes.
_ETC = re.compile(r"等(?=(?:相关|有关|其他|其它)?(?:部门|单位|机构|科室)?$)")

# "X牵头落实" / "A、B分别牵头" / "由X牵头负责"; "Y配合" / "Y参与" / "Y协助".
_LEADS = re.compile(r"^(?:由)?(?P<names>.+?)(?:分别)?(?:牵头|主责|主办)(?:落实|负责|实施|推进|办理)?$")
_HELPS = re.compile(r"^(?:由)?(?P<names>.+?)(?:共同)?(?:配合|参与|协助|协办|协同)(?:落实|实施|推进|完成|办理)?$")
_RESPONSIBLE = re.compile(r"^(?:由)?(?P<names>.+?)(?:负责|落实|承办|实施)$")


def _depth_split(text: str, separators: str) -> list[str]:
    """``text`` cut at ``separators`` outside brackets (unbalanced brackets: everywhere)."""
    balanced = brackets_balanced(text)
    parts, current, depth = [], [], []
    for ch in text:
        if ch in _OPEN:
            depth.append(_CLOSE[ch])
        elif depth and ch == depth[-1]:
            depth.pop()
        if ch in separators and (not depth or not balanced):
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


def _one_line(text: str) -> str:
    """A cell's paragraphs as one list: a paragraph break is a separator between levels ("，")
    unless the paragraph before it already ends in a separator."""
    joined = ""
    for paragraph in paragraphs(text):
        if joined and joined[-1] not in HIGH + LOW:
            joined += "，"
        joined += paragraph
    return joined


# A post written before a person's name with a blank between ("局长 周建华"): the person, who is
# also written without it elsewhere in the plan.
_POST = (r"(?:(?:一|二|三|四)级)?(?:副)?(?:局长|主任|书记|科长|所长|队长|站长|处长|部长|组长|县长|区长|市长|主席|院长|"
         r"校长|镇长|乡长|秘书长|党组书记|党委书记|调研员)")
# A person's name: two or three Han characters, not ending as a post, a rank or a body does
# (县长助理, 主任科员 and 办公室 主任 are no one's names).
_PERSON_NAME = r"[\u4e00-\u9fff]{1,2}[\u4e00-\u9fff](?<![员理长任记室处科股部办委局队站所组会厅院馆])"
_POST_FIRST = re.compile(rf"^{_POST}\s*(?={_PERSON_NAME}$)")
# The same after the name: "李明 副局长", "周建华（局长）".
_POST_AFTER = re.compile(rf"^(?P<name>{_PERSON_NAME})(?:\s+{_POST}|[（(]{_POST}[）)])$")


def _entry(text: str) -> str:
    text = _ROLE_NOTE.sub("", text).strip()
    text = _POST_AFTER.sub(r"\g<name>", _POST_FIRST.sub("", text))
    return clean_name(text.rstrip("。.；;，,、"))


def split_names(text: str, *, units: bool = True) -> list[str]:
    """The names a list names, in order, each once and clean (DESIGN §3.1 "Names in lists").

    ``text`` is a cell or an annotation's value, paragraphs ("\\n\\n") and soft wraps ("\\n")
    as the document model writes them. ``units`` False for a list of people (责任人): no
    group of 各, no shared place. Returns [] for an empty text.
    """
    names, _ = _names(_one_line(text), "", units)
    return names


def _names(line: str, place: str, units: bool = True) -> tuple[list[str], str]:
    """The names of one line and the place the last entry that wrote one wrote ("市"),
    starting from ``place`` (a list cut into clauses by 牵头/配合 keeps its shared place)."""
    names: list[str] = []
    for clause in _depth_split(line, HIGH):
        grouped: list[str] = []
        for entry in (_entry(part) for part in _depth_split(clause, LOW)):
            if not entry:
                continue
            if units and grouped and grouped[-1].startswith("各") and _KIND.match(entry):
                grouped[-1] += LOW + entry  # "各科室、单位" is one group
                continue
            grouped.append(entry)
        for entry in grouped:
            for name in _ETC.split(entry) if units else [entry]:
                if not name:
                    continue
                if units:
                    written = _PLACE.match(name)
                    if written:
                        place = written[1]
                    elif place and _DEPARTMENT.match(name) and not _BRANCH.search(name):
                        name = place + name
                if name not in names:
                    names.append(name)
    return names, place


@dataclass
class Parties:
    """The units one cell or annotation names, by what they do: ``lead_units`` (牵头),
    ``units`` (responsible, neither lead nor helping), ``cooperating`` (配合/参与/协助)."""

    lead_units: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    cooperating: list[str] = field(default_factory=list)

    def add(self, other: Parties) -> None:
        """Append ``other``'s names to this one's, each list keeping one of each name."""
        for name in ("lead_units", "units", "cooperating"):
            mine = getattr(self, name)
            mine += [n for n in getattr(other, name) if n not in mine]


def read_parties(text: str, role: str = "units") -> Parties:
    """Who a unit cell names, and as what (DESIGN §3.1 "Tables": "X牵头，Y配合" in one cell).

    ``role`` is the column's (or label's) own role — "units", "lead_units" or "cooperating":
    names with no 牵头/配合 word of their own take it. "办公室牵头，各科室、单位配合" →
    lead_units [办公室], cooperating [各科室、单位]; "市金融办、人民银行潍坊市中心支行分别牵头落实"
    → lead_units [市金融办, 人民银行潍坊市中心支行]; "区投资促进中心。" in a cooperating column →
    cooperating [区投资促进中心].
    """
    parties = Parties()
    line = _one_line(text)
    clauses = [c.strip() for c in _depth_split(line, HIGH) if c.strip()]
    # A 牵头/配合 word may also end a clause cut by 、 ("X牵头、Y参与"): cut there too.
    pieces: list[str] = []
    for clause in clauses:
        current: list[str] = []
        for part in _depth_split(clause, LOW):
            current.append(part)
            if _LEADS.match(part.strip().rstrip("。")) or _HELPS.match(part.strip().rstrip("。")):
                pieces.append(LOW.join(current))
                current = []
        if current:
            pieces.append(LOW.join(current))
    place = ""
    for piece in pieces:
        bare = piece.strip().rstrip("。.")
        lead, helps, responsible = _LEADS.match(bare), _HELPS.match(bare), _RESPONSIBLE.match(bare)
        if lead:
            kind, names = "lead_units", lead["names"]
        elif helps:
            kind, names = "cooperating", helps["names"]
        elif responsible and role == "units":
            kind, names = "units", responsible["names"]
        else:
            kind, names = role, bare
        found, place = _names(names, place)
        mine = getattr(parties, kind if kind in ("lead_units", "cooperating") else "units")
        mine += [name for name in found if name not in mine]
    return parties
