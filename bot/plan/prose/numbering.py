"""Item numbers written at the start of a paragraph, or inside a one-line excerpt (DESIGN §3.1 "Prose").

The forms Chinese plans number their items with: 一、 （一） 1. 1、 （1） 1） ① 第一条
(also 第一章 / 第一节 / 第一部分), Chinese or Arabic numerals, full- or half-width brackets
and digits. A form is a *style*; which style nests in which is not fixed here: the outline
(:mod:`bot.plan.prose.outline`) learns it from the order the plan uses them in.

"1." and "1、" are one style (offices mix them: the seed writes "6、" among "1."s); "5.30"
or "2.3%" at the start of a paragraph is no number (a digit follows the dot); "一是" is an
enumeration inside a sentence, not a number.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import cn2an

_CN = "〇零一二三四五六七八九十百两"
# Circled numbers ①-⑳, ㉑-㉟, ㊱-㊿ (Unicode keeps them in three runs).
_CIRCLED = {chr(0x2460 + i): i + 1 for i in range(20)}
_CIRCLED.update({chr(0x3251 + i): i + 21 for i in range(15)})
_CIRCLED.update({chr(0x32B1 + i): i + 36 for i in range(15)})

_BLANK = r"[\s\u3000]*"
# (style, pattern over the paragraph's start); the first match wins. Group "n" is the number.
_STARTS: list[tuple[str, re.Pattern[str]]] = [
    ("article", re.compile(rf"^第(?P<n>[{_CN}\d]{{1,4}})(?P<kind>条|章|节|部分|篇)(?:{_BLANK}[、.．:：])?{_BLANK}")),
    ("cn_paren", re.compile(rf"^[（(]{_BLANK}(?P<n>[{_CN}]{{1,3}}){_BLANK}[）)]{_BLANK}[、.．]?")),
    ("ar_paren", re.compile(rf"^[（(]{_BLANK}(?P<n>[0-9０-９]{{1,3}}){_BLANK}[）)]{_BLANK}[、.．]?")),
    ("ar_half", re.compile(r"^(?P<n>[0-9０-９]{1,3})[）)]")),
    ("cn", re.compile(rf"^(?P<n>[{_CN}]{{1,3}}){_BLANK}[、.．]")),
    # A digit after the dot makes a decimal ("2.3%", "5.30"), unless it starts a month ("1.2月底前…").
    ("ar", re.compile(r"^(?P<n>[0-9０-９]{1,3})[\s\u3000]*[.．、](?![0-9０-９]++(?!月))")),
    ("circled", re.compile(f"^(?P<n>[{''.join(_CIRCLED)}])[、.．]?")),
]


@dataclass(frozen=True)
class Label:
    """An item number as written: ``style`` ("cn" 一、, "cn_paren" （一）, "ar" 1., "ar_paren" （1）,
    "ar_half" 1）, "circled" ①, "article" 第一条 — with ``kind`` 条/章/节/部分), ``number`` its
    value (1-based), ``text`` the label exactly as written ("（一）", "1. ")."""

    style: str
    number: int
    text: str

    @property
    def numeral(self) -> str:
        """The numeral as written, without brackets or punctuation ("一", "3", "①")."""
        return re.sub(r"[\s\u3000（()）、.．:：第条章节部分篇]", "", self.text)


def number_value(numeral: str) -> int | None:
    """The value of a written number ("十一" → 11, "３" → 3, "⑤" → 5, "二○" → None)."""
    numeral = unicodedata.normalize("NFKC", numeral) if not numeral or numeral[0] not in _CIRCLED else numeral
    if numeral in _CIRCLED:
        return _CIRCLED[numeral]
    if numeral.isdigit():
        return int(numeral)
    try:
        value = cn2an.cn2an(numeral.replace("〇", "零"), "strict")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return int(value) if value and float(value).is_integer() else None


def read_label(text: str) -> tuple[Label, str] | None:
    """The label at the start of ``text`` (leading blanks skipped) and the text after it, or None.

    ``"（一）加快建设…"`` → ``(Label("cn_paren", 1, "（一）"), "加快建设…")``; ``"5.30全国…"`` → None.
    """
    body = text.lstrip(" \t\u3000\u00a0")
    for style, pattern in _STARTS:
        match = pattern.match(body)
        if not match:
            continue
        number = number_value(match["n"])
        if number is None or number == 0:
            continue
        if style == "article":
            style = f"article_{match['kind']}"
        return Label(style, number, match[0]), body[match.end():].lstrip(" \t\u3000\u00a0")
    return None


# Where an item may start inside a paragraph of a one-line excerpt: after a sentence's or an
# annotation's end, an Arabic "N." (plan 10: "…工作,(责任单位:…)7.强化…").
_INLINE = re.compile(r"(?<=[。；;)）!！?？])[\s\u3000]*(?P<n>[0-9０-９]{1,3})[.．、](?![0-9０-９%％])")
# A heading run straight into its first item: "一、建立健全科普工作体系1.完善…" (no punctuation before it).
_HEADING_RUN = re.compile(r"^[^，,。；;：:（()）\d]{2,40}?(?P<n>[0-9０-９]{1,3})[.．](?![0-9０-９%％])")


def inline_items(text: str, label: Label | None) -> list[int]:
    """Offsets in ``text`` (the paragraph's text after its own label) where further items start.

    Only Arabic "N." numbers count, each larger than the one before (an excerpt may skip
    numbers, never go back): after 。；) or, for the paragraph's first item only, straight
    after a heading that has no punctuation. Numbers are offsets of the label's first character.
    """
    starts: list[int] = []
    last = label.number if label is not None and label.style == "ar" else 0
    if label is not None and label.style != "ar":
        run = _HEADING_RUN.match(text)
        if run:
            starts.append(run.start("n"))
            last = number_value(run["n"]) or 0
    for match in _INLINE.finditer(text):
        number = number_value(match["n"]) or 0
        if match.start("n") in starts or number <= last:
            continue
        starts.append(match.start("n"))
        last = number
    return starts
