"""The numbers plans write before their sections, groups and tasks (DESIGN §3 and §3.1 "Refs", "Prose").

The styles, from the broadest level a plan usually gives them to the finest:
``part`` 第一部分 / 第一章 / 第一条 / 第一项; ``chinese`` 一、; ``bracketed_chinese`` （一）;
``arabic`` 1. / 1、 / 1． / "1 " before text; ``bracketed_arabic`` （1）; ``half_bracketed_arabic``
1） / 1); ``circled`` ①;
``dotted`` 1.1 / 1.1.1 (a number with its parents). Which style is a section and which a
task is the plan's choice, found by its interpreter; this module only reads the label.

Public API: :func:`read_label` (→ :class:`Label`), :func:`task_number`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cn2an

_CN = "一二三四五六七八九十百零〇○"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# (style, pattern over the NFKC text); the first that matches wins. Group "n" is the number.
_STYLES: list[tuple[str, re.Pattern[str]]] = [
    ("part", re.compile(rf"^\s*第\s*(?P<n>[{_CN}\d]{{1,4}})\s*(?P<unit>部分|章|节|篇|条|项|板块|方面)[、.:：\s]*")),
    ("bracketed_chinese", re.compile(rf"^\s*[(（]\s*(?P<n>[{_CN}]{{1,3}})\s*[)）][、.\s]*")),
    ("chinese", re.compile(rf"^\s*(?P<n>[{_CN}]{{1,3}})\s*[、.．]\s*")),
    ("bracketed_arabic", re.compile(r"^\s*[(（]\s*(?P<n>\d{1,3})\s*[)）][、.\s]*")),
    ("half_bracketed_arabic", re.compile(r"^\s*(?P<n>\d{1,3})\s*[)）]\s*")),
    ("circled", re.compile(rf"^\s*(?P<n>[{_CIRCLED}])\s*")),
    # "1.1 " or "1.1.2": "5.30全国科技工作者日" is a date (DESIGN §3 milestones), not task 5.30.
    ("dotted", re.compile(r"^\s*(?P<n>\d{1,3}(?:[.．]\d{1,3}){2,3}|\d{1,3}[.．]\d{1,3}(?=[\s、]))[.．、\s]*")),
    # "5.30全国科技工作者日" is a date, not task 5: a number is not followed by another digit,
    # unless that digit starts a month ("1.2月底前完成…" is task 1).
    ("arabic", re.compile(r"^\s*(?P<n>\d{1,3})\s*[.．、](?!\d++(?!月))\s*")),
]


# Full-width ASCII forms (０-９, （）, ．) as ASCII; not NFKC, which also makes "①" and "²" digits.
_HALF = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


def _ascii(text: str) -> str:
    return text.translate(_HALF)


@dataclass(frozen=True)
class Label:
    """A number written before a text: ``style`` (see the module), ``number`` the value
    (``(1, 2)`` for a dotted 1.2, else one int), ``written`` the label as written ("（一）"),
    ``rest`` the text after it; ``unit`` a part's word (部分, 章, 条: a 第一章 holds 第一条s), else ""."""

    style: str
    number: int | tuple[int, ...]
    written: str
    rest: str
    unit: str = ""


def _value(digits: str) -> int:
    if digits in _CIRCLED:
        return _CIRCLED.index(digits) + 1
    if digits.isdigit():
        return int(digits)
    return int(cn2an.cn2an(digits.replace("○", "零").replace("〇", "零"), "smart"))


def read_label(text: str) -> Label | None:
    """The number ``text`` starts with, or None ("一、进一步强化政治引领" → chinese 1,
    "（二）加强预期引导" → bracketed_chinese 2, "3.落实…" → arabic 3, "第一部分 总体要求" → part 1,
    "1.1.2 …" → dotted (1, 1, 2)). Full-width digits and brackets count as ASCII."""
    flat = _ascii(text)
    for style, pattern in _STYLES:
        match = pattern.match(flat)
        if not match:
            continue
        try:
            if style == "dotted":
                number: int | tuple[int, ...] = tuple(int(p) for p in re.split(r"\s*[.．]\s*", match["n"]))
            else:
                number = _value(match["n"])
        except (ValueError, KeyError):
            continue
        unit = match.groupdict().get("unit") or ""
        return Label(style, number, text[:match.end()].strip(), text[match.end():].strip(), unit)
    return None


# A 序号 cell: a number, maybe with a dot ("3", "3.", "５", "5.1"). A plan may number its tasks
# past 9999 (a running number over years, "20210001"; a dated file number "202103150001" is 12
# digits): the first level takes up to MAX_NUMBER_DIGITS digits, beyond which it is no 序号 but
# some other figure (an account or ID number pasted in the wrong column) and is warned about;
# the levels under it (5.1, 1.1.2) up to 4, so an amount written "2.50000" is not a sub-number.
MAX_NUMBER_DIGITS = 12
_NUMBER_CELL = re.compile(rf"^\s*(\d{{1,{MAX_NUMBER_DIGITS}}}(?:[.．]\d{{1,4}})*)\s*[.．、]?\s*$")


def task_number(cell: str) -> str | None:
    """The number a 序号 cell holds, as the plan writes it ("3" → "3", "5.1" → "5.1",
    "３." → "3"), or None when it holds none ("①" and "²" are digits to Python, not here)."""
    match = _NUMBER_CELL.match(_ascii(cell))
    return re.sub(r"[.．]", ".", match[1]) if match else None
