"""How characters sound, for homophone slips (严中能 for 严众能, 竟赛 for 竞赛) and names typed
in pinyin (yanzhongneng).

pypinyin is loaded without its phrase dictionaries (``PYPINYIN_NO_PHRASES``: they cost about
45 MiB) and only when a message needs it, so a question typed right costs nothing here. Each
character gets its most common reading without tone; a character pypinyin does not know
(ASCII, punctuation) sounds as itself.

A text's *sound string* puts one private-use character for each syllable in place of each
character: two texts sound alike exactly when their sound strings are equal, so a homophone
search is a plain substring search.
"""

from __future__ import annotations

import functools
import os

_FIRST_CODE = 0xF0000  # Supplementary Private Use Area-A: never in a message after NFKC
_CODES: dict[str, str] = {}


@functools.cache
def _pinyin():
    os.environ.setdefault("PYPINYIN_NO_PHRASES", "true")
    os.environ.setdefault("PYPINYIN_NO_DICT_COPY", "true")
    from pypinyin import Style, lazy_pinyin

    return lambda ch: lazy_pinyin(ch, style=Style.NORMAL, errors="default")[0]


@functools.lru_cache(maxsize=20000)
def syllable(ch: str) -> str:
    """The toneless pinyin of one character ("众" → "zhong"); anything else comes back as itself."""
    if ch.isascii() or not ch.isalpha():
        return ch
    return _pinyin()(ch)


def _code(sound: str) -> str:
    code = _CODES.get(sound)
    if code is None:
        code = _CODES[sound] = chr(_FIRST_CODE + len(_CODES))
    return code


def sound_string(text: str) -> str:
    """One code character per character of ``text``, equal for characters that sound alike
    (same length as ``text``, so positions map back)."""
    return "".join(_code(syllable(ch)) for ch in text)


def spelled(text: str) -> str:
    """``text`` spelled in toneless pinyin, run together ("严众能" → "yanzhongneng")."""
    return "".join(syllable(ch) for ch in text)
