"""Word's automatic numbering, rendered as the reader sees it ("一、", "（二）", "3.") — DESIGN §3.1.

A paragraph numbered by Word (a list, or a heading style with numbering) holds only its text;
the label is drawn from ``numbering.xml``: the paragraph's ``w:numPr`` (or its style's) names a
numbering instance and a level, the instance an abstract definition whose level gives the
start value, the format (decimal, chineseCounting, decimalEnclosedCircle…) and the text
("%1、", "（%2）"). Counters run per abstract definition, as Word counts them, and a level
restarts when a level above it advances.
"""

from __future__ import annotations

import cn2an

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def _val(element, path: str) -> str | None:
    found = element.find(path) if element is not None else None
    return found.get(f"{_W}val") if found is not None else None


def _format(number: int, kind: str) -> str:
    if kind.startswith(("chinese", "ideograph", "japaneseCounting", "taiwaneseCounting")):
        return cn2an.an2cn(number)
    if kind == "decimalEnclosedCircle" or kind == "decimalEnclosedCircleChinese":
        return _CIRCLED[number - 1] if 0 < number <= len(_CIRCLED) else str(number)
    if kind in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (number - 1) % 26)
        return letter if kind == "upperLetter" else letter.lower()
    if kind in ("upperRoman", "lowerRoman"):
        roman, rest = "", number
        for value, digits in _ROMAN:
            while rest >= value:
                roman, rest = roman + digits, rest - value
        return roman.upper() if kind == "upperRoman" else roman
    if kind == "decimalFullWidth":
        return "".join(chr(ord(d) + 0xFEE0) for d in str(number))
    if kind in ("none", "bullet"):
        return ""
    return str(number)


class Numbering:
    """The numbering of one document, counted paragraph by paragraph in reading order."""

    def __init__(self, document):
        self.instances: dict[str, str] = {}  # numId → abstractNumId
        self.levels: dict[tuple[str, int], tuple[int, str, str]] = {}  # (abstract, ilvl) → (start, format, text)
        self.counts: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):  # a document with no numbering part
            root = None
        self.styles = document.styles
        if root is None:
            return
        for abstract in root.iter(f"{_W}abstractNum"):
            name = abstract.get(f"{_W}abstractNumId")
            for level in abstract.iter(f"{_W}lvl"):
                ilvl = int(level.get(f"{_W}ilvl", "0"))
                start = _val(level, f"{_W}start")
                self.levels[name, ilvl] = (int(start) if start and start.isdigit() else 1,
                                           _val(level, f"{_W}numFmt") or "decimal", _val(level, f"{_W}lvlText") or "")
        for instance in root.iter(f"{_W}num"):
            abstract = _val(instance, f"{_W}abstractNumId")
            if abstract is not None:
                self.instances[instance.get(f"{_W}numId")] = abstract

    def _num_pr(self, paragraph) -> tuple[str, int] | None:
        pr = paragraph._p.find(f"{_W}pPr/{_W}numPr")
        style = paragraph.style
        while pr is None and style is not None:
            pr = style.element.find(f"{_W}pPr/{_W}numPr")
            style = style.base_style
        if pr is None:
            return None
        num_id = _val(pr, f"{_W}numId")
        level = _val(pr, f"{_W}ilvl")
        if not num_id or num_id == "0":
            return None
        return num_id, int(level) if level and level.isdigit() else 0

    def label(self, paragraph) -> str | None:
        """The label Word draws before ``paragraph`` ("一、"), counting it; None when unnumbered."""
        found = self._num_pr(paragraph)
        if found is None or found[0] not in self.instances:
            return None
        abstract, level = self.instances[found[0]], found[1]
        if (abstract, level) not in self.levels:
            return None
        counts = self.counts.setdefault(abstract, {})
        start = self.levels[abstract, level][0]
        counts[level] = counts[level] + 1 if level in counts else start
        for deeper in [k for k in counts if k > level]:
            del counts[deeper]  # a level restarts when one above it advances
        text = self.levels[abstract, level][2]
        for k in range(level + 1):
            start_k, kind, _ = self.levels.get((abstract, k), (1, "decimal", ""))
            text = text.replace(f"%{k + 1}", _format(counts.get(k, start_k), kind))
        return text.strip() or None
