"""The plan body's numbered items as a tree, with their annotations (DESIGN §3.1 "Prose").

Each paragraph of the body is an item (it starts with a number; a one-line excerpt may hold
several: :func:`~bot.plan.prose.numbering.inline_items`), a label line ("责任单位:…", attached
to the items before it), blank, a paragraph going on with the item before it ("一是…" after
"（三）全力抓好科普场馆建设。", or after an item ending in "："), or an unnumbered paragraph
(context, kept with its place).

Nesting is learnt from the plan, not fixed: a style not seen yet nests under the item before
it; a style seen before closes every deeper item and continues its own level. So 一、 → （一）
→ 1. nests as the plan writes it, and 08's "10." under 二、（一） is the same level as "1." under
一、 (both the tasks).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from bot.plan.document import Paragraph, Place
from bot.plan.prose.labels import Annotation, find_annotations, label_line
from bot.plan.prose.numbering import Label, inline_items, read_label


@dataclass(eq=False)
class Item:
    """One numbered item: its ``label``, ``text`` after the label (annotations still in it),
    ``place`` (its paragraph's), ``groups`` its inline annotations, ``lines`` the label lines
    that apply to it, ``more`` the places of unnumbered paragraphs that go on with its text
    ("一是…", "二是…"), ``parent``/``children`` in the tree, ``index`` its order in the body."""

    label: Label
    text: str
    place: Place
    index: int
    groups: list[Annotation] = field(default_factory=list)
    lines: list[tuple[Annotation, Place]] = field(default_factory=list)
    more: list[Place] = field(default_factory=list)
    parent: Item | None = None
    children: list[Item] = field(default_factory=list)

    @property
    def style(self) -> str:
        return self.label.style

    @property
    def annotated(self) -> bool:
        """True when an annotation (owners or a deadline) is the item's own."""
        return bool(self.groups or self.lines)

    @property
    def owned(self) -> bool:
        """True when the item's own annotations name anyone."""
        return any(g.owners for g in self.groups) or any(a.owners for a, _ in self.lines)

    def ancestors(self) -> list[Item]:
        found, node = [], self.parent
        while node is not None:
            found.append(node)
            node = node.parent
        return found

    def descendants(self) -> list[Item]:
        found = []
        for child in self.children:
            found.append(child)
            found.extend(child.descendants())
        return found

    @property
    def heading(self) -> str:
        """The item as written: its label and text ("一、努力构建现代产业体系,…")."""
        return self.label.text + self.text


@dataclass(frozen=True)
class Loose:
    """A body paragraph that is no item and no label line: ``after`` the index of the item
    before it (-1: before any item); ``text`` and ``place`` as written."""

    text: str
    place: Place
    after: int


@dataclass
class Outline:
    """The body read: ``items`` in order (the roots are those without a parent), ``loose``
    unnumbered paragraphs, ``orphan_lines`` label lines with no item before them."""

    items: list[Item] = field(default_factory=list)
    loose: list[Loose] = field(default_factory=list)
    orphan_lines: list[tuple[Annotation, Place]] = field(default_factory=list)
    # (label line, its place, the index of the item before it): attached by ``attach_lines``.
    pending: list[tuple[Annotation, Place, int]] = field(default_factory=list)

    @property
    def roots(self) -> list[Item]:
        return [item for item in self.items if item.parent is None]


def paragraph_text(paragraph: Paragraph) -> str:
    """The text of a paragraph with its soft wraps joined (Chinese text wraps without a space)."""
    return "".join(line.strip("\r") for line in paragraph.text.split("\n"))


def _items_of(paragraph: Paragraph, text: str, start: int) -> list[Item]:
    label_rest = None
    if paragraph.numbering:
        numbered = read_label(paragraph.numbering)
        if numbered:
            label_rest = (numbered[0], text.strip(" \t\u3000\u00a0"))
    if label_rest is None:
        label_rest = read_label(text)
    if label_rest is None:
        return []
    label, rest = label_rest
    cuts = inline_items(rest, label)
    pieces: list[tuple[Label, str]] = []
    bounds = [0, *cuts, len(rest)]
    for position, (begin, end) in enumerate(itertools.pairwise(bounds)):
        if position == 0:
            pieces.append((label, rest[begin:end]))
            continue
        inner = read_label(rest[begin:end])
        if inner is None:  # cannot happen: inline_items only cuts at a number
            pieces[-1] = (pieces[-1][0], pieces[-1][1] + rest[begin:end])
            continue
        pieces.append(inner)
    return [Item(lab, body.rstrip(" \t\u3000"), paragraph.place, start + k, find_annotations(body))
            for k, (lab, body) in enumerate(pieces)]


def read_outline(paragraphs: list[Paragraph]) -> Outline:
    """The items, label lines and loose paragraphs of ``paragraphs`` (the body), nested."""
    outline = Outline()
    after_item = False  # the paragraph before was an item or one of its label lines
    in_item = False  # the paragraph before was an item's own text
    for paragraph in paragraphs:
        text = paragraph_text(paragraph)
        if not text.strip():
            continue
        items = _items_of(paragraph, text, len(outline.items))
        if items:
            outline.items.extend(items)
            after_item = in_item = True
            continue
        line = label_line(text)
        if line is None and in_item and _continues(outline.items[-1], text):
            item = outline.items[-1]
            item.text += text.strip(" \t\u3000\u00a0")
            item.groups = find_annotations(item.text)
            item.more.append(paragraph.place)
            continue
        in_item = False
        if line is not None and not outline.items:
            outline.orphan_lines.append((line, paragraph.place))
            continue
        # A label line after unnumbered text ("联系人：…" under a signature) is no item's.
        if line is not None and after_item:
            outline.pending.append((line, paragraph.place, len(outline.items) - 1))
            continue
        after_item = False
        outline.loose.append(Loose(text.strip(" \t\u3000\u00a0"), paragraph.place, len(outline.items) - 1))
    _nest(outline.items)
    _attach_lines(outline)
    return outline


# A paragraph that goes on with the item before it: its enumeration ("一是…", "二是…"), or what
# the item announced with a colon ("……如下：").
_ENUMERATION = re.compile(r"^[\s\u3000]*[一二三四五六七八九十]{1,2}是")


def _continues(item: Item, text: str) -> bool:
    return bool(_ENUMERATION.match(text)) or item.text.rstrip(" \t\u3000").endswith(("：", ":"))


def _nest(items: list[Item]) -> None:
    stack: list[Item] = []
    for item in items:
        styles = [open_item.style for open_item in stack]
        if item.style in styles:
            del stack[styles.index(item.style):]
        if stack:
            item.parent = stack[-1]
            stack[-1].children.append(item)
        stack.append(item)


def _attach_lines(outline: Outline) -> None:
    """A label line belongs to the item before it; at the end of a group of sub-items none of
    which has annotations of its own, it belongs to all of them ("1.…2.…责任单位:A")."""
    items = outline.items
    families: dict[tuple[int, str], list[Item]] = {}
    position: dict[int, int] = {}
    for item in items:
        family = families.setdefault((id(item.parent), item.style), [])
        position[id(item)] = len(family)
        family.append(item)
    for line, place, at in outline.pending:
        item = items[at]
        following = items[at + 1] if at + 1 < len(items) else None
        family = families[(id(item.parent), item.style)]
        # A line before the item's own sub-items is the item's; one after its group ends may be the group's.
        ends_group = following is None or (following.parent is not item and (
            following.parent, following.style) != (item.parent, item.style))
        targets = [item]
        if ends_group and not item.annotated:
            earlier = family[:position[id(item)]]
            # Only a run of plain sub-items shares it: a sibling with sub-items of its own is a group.
            if earlier and not any(s.annotated or s.children for s in earlier) and not item.children:
                targets = [*earlier, item]
        for target in targets:
            target.lines.append((line, place))
