"""How well a text fits a column role: what a 序号, a deadline, a person or a list of units looks like.

Used where a table's layout is not written down: a text copy with one cell per line (which
line is which cell?), a column with no header over it (a 序号 column, a section column).
Scores are 0 (cannot be), 1 (could be), 2 (likely), 3 (surely).
"""

from __future__ import annotations

import re

from bot.plan.rules.deadlines import find_schedule, parse_deadline
from bot.plan.rules.names import UNIT_ENDS
from bot.plan.rules.numbering import read_label, task_number
from bot.text import clean_name, join_wrapped

# What the names of bodies end with: a unit (bot.plan.rules.names.UNIT_END) or a place
# (各街道, 某区, 县, 各乡镇, 社区) or a school (实验小学校).
_BODY = re.compile(rf"(?:{UNIT_ENDS}|区|县|市|镇|乡|村|社区|校)[。.]?$")
_LEADS = re.compile(r"牵头|配合|参与|协助|协办|负责")
_PERSON = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
_SENTENCE_END = re.compile(r"[。；;！!？?]$")


def is_section(text: str) -> bool:
    """A section heading on a row of its own: "一、…", "第一部分…", a short text in a style of
    numbering sections take (not "1." — that numbers tasks)."""
    label = read_label(text)
    flat = join_wrapped(text)
    return bool(label and label.style in ("chinese", "part") and len(flat) <= 60 and not _SENTENCE_END.search(flat))


def is_group(text: str) -> bool:
    """A group heading ("（一）加强预期引导"): bracketed Chinese numbering over a short title."""
    label = read_label(text)
    flat = join_wrapped(text)
    return bool(label and label.style == "bracketed_chinese" and len(flat) <= 40 and not _SENTENCE_END.search(flat))


def fit(text: str, role: str | None) -> int:
    """How well ``text`` (one line or cell) fits a column of ``role`` (0-3)."""
    flat = join_wrapped(text)
    if not flat:
        return 0
    name = clean_name(flat)
    if role == "number":
        return 3 if task_number(flat) else 0
    if role == "deadline":
        if len(flat) > 30:  # a deadline is a phrase, not a sentence (and parsing a long text costs)
            return 0
        if parse_deadline(flat, 2000).due or (len(flat) <= 20 and find_schedule(flat, 2000)):
            return 3
        return 1 if len(flat) <= 12 and re.search(r"(前|底|季度|年内|月|完成|长期|全年|持续)", flat) else 0
    if role in ("lead", "owners", "supervisors"):
        if _PERSON.match(name) and not _BODY.search(name):
            return 3
        return 1 if len(name) <= 12 and not _SENTENCE_END.search(flat) and not _BODY.search(name) else 0
    if role in ("units", "lead_units", "cooperating"):
        if task_number(flat) or len(flat) > 160:
            return 0
        entries = [e for e in re.split(r"[、，,；;]", re.sub(r"[（(][^）)]*[）)]", "", flat)) if e.strip("。. ")]
        if _LEADS.search(flat) and len(flat) <= 80:
            return 3
        bodies = sum(1 for e in entries if _BODY.search(e.strip("。. ")))
        if entries and all(len(e) <= 16 for e in entries) and bodies >= max(1, len(entries) / 2):
            return 3
        if entries and all(len(e) <= 16 for e in entries) and not _SENTENCE_END.search(flat.rstrip("。")):
            return 1
        return 0
    if role == "category":
        if is_group(flat):
            return 3
        return 1 if len(flat) <= 20 and not _SENTENCE_END.search(flat) and not task_number(flat) else 0
    if role == "content":
        if task_number(flat) or (len(flat) <= 30 and parse_deadline(flat, 2000).due):
            return 0
        entries = re.split(r"[、，,；;]", flat)
        if len(entries) >= 3 and all(len(e) <= 10 for e in entries) and "。" not in flat.rstrip("。"):
            return 1  # a list of names, not a task
        if len(flat) >= 8 or _SENTENCE_END.search(flat):
            return 3
        return 2 if len(flat) >= 5 else 1
    if role in ("progress", "remarks"):
        return 2 if len(flat) >= 8 else 1
    return 0
