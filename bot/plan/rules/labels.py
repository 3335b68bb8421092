"""What a column header or an annotation label means (DESIGN §3.1 "Tables", "Prose").

The same words name a table's columns (责任单位, 完成时限) and label a plan's annotations
("(牵头单位:市经贸委;配合单位:市发改委)", "责任单位:A、B"), so one table of meanings serves
both. A label is compared in canonical form (NFKC, no blanks: "完成 时间", "牵头⏎⏎领导" and
"区政府办⏎⏎协管责任人" read as written together) and matched by the words it is made of, in
order of precedence: "协管责任人" is a supervisor before it is a 责任人, "完成情况" is
progress, not a 完成时间.

Roles (the ``Role`` strings): ``number`` 序号; ``category`` a broader grouping column
(类别, 板块); ``group`` the broader of two content columns beside a category column (类别 +
重点任务 + 工作措施: it heads each task's content; never a label's own role); ``content`` the
task; ``deadline``; ``lead`` lead person(s) (牵头领导);
``lead_units`` (牵头单位); ``owners`` people or roles (责任人); ``units`` responsible units
(责任单位); ``cooperating`` (配合单位); ``supervisors`` (协管/督办责任人: shown, never an
owner); ``progress`` (完成情况); ``remarks`` (备注).

Public API: :func:`label_role`, :func:`content_breadth`, :func:`split_labelled`.
"""

from __future__ import annotations

import re
from typing import Literal

from bot.text import canon

Role = Literal["number", "category", "group", "content", "deadline", "lead", "lead_units", "owners", "units",
               "cooperating", "supervisors", "progress", "remarks"]

# (role, pattern over the canonical label); the first that matches wins. A label is short: a
# longer text that happens to hold one of these words is no label (see MAX_LABEL).
_ROLES: list[tuple[Role, re.Pattern[str]]] = [
    ("number", re.compile(r"^(序号|编号|序|项目编号|任务编号|编码|no\.?)$")),
    ("supervisors", re.compile(r"(协管|督办|督查|督导|督促)(责任人|领导|人|单位|科室)?$")),
    ("progress", re.compile(r"(完成|进展|落实|推进|办理|执行|工作)(情况|进展|进度)$|^进展$|^进度$|^完成$")),
    ("remarks", re.compile(r"^(备注|说明|附注|注)$")),
    ("deadline", re.compile(r"(时间|时限|期限|节点|日期|截止|进度安排|时序|完成年限|办结)")),
    ("cooperating", re.compile(r"(配合|协办|协同|协助|参与|参加)(单位|部门|科室|部室|处室|股室|机构)?")),
    ("lead", re.compile(r"领导$|^(牵头|责任|分管|联系|包抓|挂点|挂钩)?(市|区|县|局|政府)?领导")),
    ("lead_units", re.compile(r"(牵头|主责|主办|主抓)(单位|部门|科室|部室|处室|股室|机构)?$")),
    ("owners", re.compile(r"(责任人|负责人|经办人|联系人|承办人|具体责任人|责任人员|落实人|执行人)$")),
    ("units", re.compile(r"(单位|部门|科室|部室|处室|股室|主体|机构|承办|责任方)")),
    ("category", re.compile(r"^(类别|板块|类型|领域|方面|章节|分类|工作类别|任务类别|项目类别|专项|篇目)$")),
    ("content", re.compile(r"(内容|要求|措施|举措|任务|事项|实事|项目|目标|指标|工作|计划|名称)")),
]

# How broad a content-like header is: when a table has two content-like columns, the broader one
# is the category (工作任务 + 具体要求, 项目名称 + 主要内容, 目标任务 + 主要内容). 2 = a heading over
# several tasks, 1 = the task itself. An unlisted content label counts 1.
_BROAD = re.compile(r"^(工作任务|项目名称|目标任务|重点工作|项目|任务名称|工作项目|指标名称|任务|工作|"
                    r"重点任务|目标|工作目标|民生实事|实事名称|事项|工作事项)$")

_YEAR = re.compile(r"\d{4}年")
# A label is a few words: 区政府办协管责任人 (9), 相关部室、单位 (7) — not a sentence.
MAX_LABEL = 14


def label_role(label: str) -> Role | None:
    """The role a header cell or annotation label names ("完成 时间" → "deadline",
    "主要责任单位" → "units", "区政府办⏎⏎协管责任人" → "supervisors"), or None.

    Brackets are read as part of the words ("责任科室(单位)" → "units"). A text longer than
    ``MAX_LABEL`` characters, or one that ends in a sentence's punctuation, is no label.
    """
    text = canon(label).strip("：:")
    if not text or len(text) > MAX_LABEL or text[-1] in "。；;，,":
        return None
    bare = re.sub(r"[（(][^）)]*[）)]", "", text) or text
    for role, pattern in _ROLES:
        if pattern.search(bare) or pattern.search(text):
            # "2021年重点工作任务" is a title; "2019年完成时限" still names the deadline column.
            return None if role == "content" and _YEAR.search(text) else role
    return None


def content_breadth(label: str) -> int:
    """2 for a heading-like content label (工作任务, 项目名称, 目标任务), 1 for a task-like one
    (具体要求, 主要内容, 重点工作任务, 目标及质量要求); DESIGN §3.1: of two content-like
    columns, the broader is the category."""
    return 2 if _BROAD.match(canon(label)) else 1


# "牵头单位:市经贸委;配合单位:市发改委、国土房管局" / "责任单位：A、B" / "完成时限：6月底前"; a blank
# ends the value before a label too ("责任单位：A、B  完成时间：11月底前"), so a label holds none.
_LABELLED = re.compile(r"([^:：;；,，。()（）\s\u3000]{2,14})[\s\u3000]*[:：]")


def split_labelled(text: str) -> list[tuple[str, Role, str]]:
    """The labelled parts of an annotation, in order: (label as written, its role, its value).

    "牵头单位:市经贸委;配合单位:市发改委、国土房管局" → [("牵头单位", "lead_units", "市经贸委"),
    ("配合单位", "cooperating", "市发改委、国土房管局")]. A value runs to the next label or the
    end, without the separator before that label. Labels that name no role are not parts
    (their text stays in the value before them); [] when ``text`` has no labelled part.
    """
    marks = [(m, label_role(m[1])) for m in _LABELLED.finditer(text)]
    marks = [(m, role) for m, role in marks if role is not None]
    parts: list[tuple[str, Role, str]] = []
    for index, (match, role) in enumerate(marks):
        end = marks[index + 1][0].start() if index + 1 < len(marks) else len(text)
        value = text[match.end():end].strip().strip(";；,，。").strip()
        parts.append((match[1].strip(), role, value))
    return parts


# Header words as offices write them, for finding a header whose cells a copy has run together
# ("序号项目名称主要内容区政府分管领导牵头单位配合单位"): there no cell boundary says where a word ends.
COMMON_LABELS = (
    "序号", "编号", "类别", "项目名称", "工作任务", "重点工作任务", "重点任务", "目标任务", "具体要求", "主要内容",
    "工作内容", "工作措施", "任务内容", "民生实事", "目标及质量要求", "完成时限", "完成时间", "时限要求", "时间节点",
    "进度安排", "区政府分管领导", "市政府分管领导", "县政府分管领导", "分管领导", "牵头领导", "责任领导", "牵头单位",
    "主要责任单位", "责任单位", "责任科室(单位)", "责任科室（单位）", "责任科室", "责任部门", "配合单位",
    "协同配合单位", "协办单位", "相关单位", "责任人", "具体责任人", "经办人", "联系人", "协管责任人", "督办责任人",
    "完成情况", "备注",
)
