"""Text forms shared by plan import and message parsing.

Two forms, one rule each:

* :func:`clean_name` is the form a name is *stored* in: every kind of white space
  and invisible format character removed ("林  丽" → "林丽", U+3000, NBSP, U+200B),
  ASCII brackets turned full-width ("县(市、区)" → "县（市、区）"). DESIGN §3.
* :func:`canon` is the form two texts are *compared* in: NFKC (full-width digits and
  letters become ASCII), then :func:`clean_name`, then lower case. A name found in a
  message is looked up by its canonical form, never by a regex guess. DESIGN §4.
"""

from __future__ import annotations

import re
import unicodedata

# Brackets written ASCII in one cell and full-width in the next are the same name.
_TO_FULL_WIDTH = str.maketrans({"(": "（", ")": "）"})
_BRACKETS = {"（": "）", "(": ")", "《": "》", "“": "”", "[": "]", "【": "】"}
# Entry separators inside 责任人 and 单位 cells (outside brackets). DESIGN §3.
LIST_SEPARATORS = "、，,；;"


def is_blank_char(ch: str) -> bool:
    """True for white space and invisible format characters (Zs, Cc, Cf: U+200B, U+FEFF…)."""
    return ch.isspace() or unicodedata.category(ch) in ("Zs", "Cc", "Cf")


def strip_blank(text: str) -> str:
    """Remove every white-space and invisible format character from ``text``."""
    if text.isprintable() and " " not in text:  # no Zs/Cc/Cf/line break at all: the common case, at C speed
        return text
    return "".join(ch for ch in text if not is_blank_char(ch))


def clean_name(text: str) -> str:
    """The stored form of a name, role or unit: no blanks, full-width brackets."""
    return strip_blank(text).translate(_TO_FULL_WIDTH)


def canon(text: str) -> str:
    """The comparison form of any text: NFKC, no blanks, full-width brackets, lower case."""
    return clean_name(unicodedata.normalize("NFKC", text)).lower()


def brackets_balanced(text: str) -> bool:
    """True when every opening bracket in ``text`` is closed in order."""
    depth: list[str] = []
    for ch in text:
        if ch in _BRACKETS:
            depth.append(_BRACKETS[ch])
        elif ch in _BRACKETS.values() and (not depth or depth.pop() != ch):
            return False
    return not depth


def split_entries(text: str, brackets: bool = True) -> list[str]:
    """Split a 责任人/单位 paragraph on 、，,；; outside brackets; entries are :func:`clean_name`-d.

    ``"钟晓鹏、县（市、区）科协主席"`` → ``["钟晓鹏", "县（市、区）科协主席"]``; empty entries
    (a dangling 、 before a wrap) are dropped. ``brackets=False`` splits inside brackets too
    (for a cell whose brackets do not balance, where "outside" means nothing).
    """
    entries: list[str] = []
    depth: list[str] = []
    current: list[str] = []
    for ch in text:
        if ch in _BRACKETS:
            depth.append(_BRACKETS[ch])
        elif depth and ch == depth[-1]:
            depth.pop()
        if ch in LIST_SEPARATORS and (not depth or not brackets):
            entries.append("".join(current))
            current = []
        else:
            current.append(ch)
    entries.append("".join(current))
    return [name for name in (clean_name(e) for e in entries) if name]


def paragraphs(cell: str) -> list[str]:
    """Split a cell on blank lines; inside a paragraph a single line break is a soft wrap.

    ``"林永禄\\n\\n童聪良"`` → ``["林永禄", "童聪良"]``; ``"县\\n（市、区）\\n科协主席"`` → one paragraph.
    """
    blocks = re.split(r"\n[ \t\u3000]*\n", cell.strip("\n"))
    return ["".join(line.strip() for line in block.split("\n")) for block in blocks if block.strip()]


def join_wrapped(cell: str) -> str:
    """Join every line of a cell with no separator (soft wraps in Chinese text), trimmed."""
    return "".join(line.strip() for line in cell.split("\n")).strip()


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters with a trailing … when it was longer."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def clean_message(text: str) -> str:
    """Chat text made safe to store, answer and echo: control characters other than line
    breaks and tabs removed (a typed U+0002 must not break anything: cases/bug04), and lone
    surrogates (which no UTF-8 encoder accepts) removed."""
    if text.isprintable():  # no Cc (no line break either) and no surrogate (Cs): the common case, at C speed
        return text
    return "".join(
        ch for ch in text
        if ch in "\n\t" or not (unicodedata.category(ch) == "Cc" or 0xD800 <= ord(ch) <= 0xDFFF)
    )


MAX_ID = 128  # characters of a platform id kept: userids, chat ids and msg ids are far shorter


def clean_id(value: object) -> str:
    """A platform id (sender, chat, msg id) as it may be stored and compared: a string or a
    whole number as text (anything else, a list or an object in a hostile body, is no id: ""),
    without surrogates, control or blank characters, at most ``MAX_ID`` characters."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return ""
    try:
        text = str(value)
    except ValueError:  # an int past Python's digit limit
        return ""
    if text.isprintable() and " " not in text:  # no blank, control or surrogate character (as strip_blank)
        return text[:MAX_ID]
    return "".join(ch for ch in text[:4 * MAX_ID] if not (is_blank_char(ch) or 0xD800 <= ord(ch) <= 0xDFFF))[:MAX_ID]


# A vertical tab or form feed is Word's line break pasted as text.
_AS_LINE_BREAK = str.maketrans({"\x0b": "\n", "\x0c": "\n"})
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """``text`` with a vertical tab or form feed turned into a line break and every other
    character XML 1.0 cannot carry removed; TAB, LF and CR stay (the text format needs TAB)."""
    return _NOT_XML.sub("", text.translate(_AS_LINE_BREAK))
