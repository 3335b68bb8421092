"""Item numbers in prose: the shared label rules, keyed for nesting, and numbers inside a line.

Which number forms exist (一、 （一） 1. （1） 1） ① 第一条, Chinese or Arabic, full- or
half-width) is :func:`bot.plan.rules.numbering.read_label`'s. Here a label gets the *style
key* the outline nests by: its style, with a part's word (第一章 holds 第一条s, so 章 and 条 are
two levels) or a dotted number's depth (1.1 holds 1.1.1); and its own number (a dotted
number's last). Which style nests in which is not fixed: :mod:`bot.plan.prose.outline`
learns it from the order the plan uses them in.

A one-line excerpt (plan 10) holds several items: :func:`inline_items` finds them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.plan.rules.numbering import read_label as read_rule_label


@dataclass(frozen=True)
class Label:
    """An item's number: ``style`` the key the outline nests by ("chinese", "bracketed_chinese",
    "arabic", "part章", "dotted3"…), ``number`` its value at its level (1-based), ``text`` the
    label as written, with the blanks after it ("（一）", "第一章 "), ``path`` every level of a
    dotted number ((1, 1, 2)), else None."""

    style: str
    number: int
    text: str
    path: tuple[int, ...] | None = None

    @property
    def numeral(self) -> str:
        """The numeral as written, without brackets or punctuation ("一", "3", "①")."""
        return re.sub(r"[\s\u3000（()）、.．:：第条章节部分篇项]", "", self.text)


def read_label(text: str) -> tuple[Label, str] | None:
    """The label at the start of ``text`` and the text after it, or None
    (``"（一）加快建设…"`` → ``(Label("bracketed_chinese", 1, "（一）"), "加快建设…")``)."""
    found = read_rule_label(text)
    if found is None:
        return None
    if isinstance(found.number, tuple):
        style, number, path = f"dotted{len(found.number)}", found.number[-1], found.number
    else:
        style, number, path = found.style + found.unit, found.number, None
    if number < 1:
        return None
    body = text.strip()
    written = body[:len(body) - len(found.rest)]  # the label with its own spacing ("第一章 ")
    return Label(style, number, written, path), found.rest


# Where an item may start inside a paragraph of a one-line excerpt: after a sentence's or an
# annotation's end, an Arabic "N." (plan 10: "…工作,(责任单位:…)7.强化…").
_INLINE = re.compile(r"(?<=[。；;)）!！?？])[\s\u3000]*(?P<n>[0-9０-９]{1,3})[.．、](?![0-9０-９%％])")
# A heading run straight into its first item: "一、建立健全科普工作体系1.完善…" (no punctuation before it).
_HEADING_RUN = re.compile(r"^[^，,。；;：:（()）\d]{2,40}?(?P<n>[0-9０-９]{1,3})[.．](?![0-9０-９%％])")


def _int(digits: str) -> int:
    return int(digits.translate({code: code - 0xFEE0 for code in range(0xFF10, 0xFF1A)}))


def inline_items(text: str, label: Label | None) -> list[int]:
    """Offsets in ``text`` (the paragraph's text after its own label) where further items start.

    Only Arabic "N." numbers count, each larger than the one before (an excerpt may skip
    numbers, never go back): after 。；) or, for the paragraph's first item only, straight
    after a heading that has no punctuation. Offsets are those of the number's first digit.
    """
    starts: list[int] = []
    last = label.number if label is not None and label.style == "arabic" else 0
    if label is not None and label.style != "arabic":
        run = _HEADING_RUN.match(text)
        if run:
            starts.append(run.start("n"))
            last = _int(run["n"])
    for match in _INLINE.finditer(text):
        number = _int(match["n"])
        if match.start("n") in starts or number <= last:
            continue
        starts.append(match.start("n"))
        last = number
    return starts
