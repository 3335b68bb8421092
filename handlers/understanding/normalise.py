"""Stage 1 of understanding a message: one normal form (DESIGN §4 "normalise once").

The @bot mention is removed wherever it stands (also "@督办 小助手", or followed by U+2005:
cases/bug07); other @mentions keep the name and lose the @. Then NFKC (full-width digits and
letters become ASCII), traditional characters become simplified (OpenCC's t2s tables), ASCII
is lower-cased, and what voice input and chat habit add without meaning is dropped: fillers
(喂, 那个, 就是, 一下, 帮我, 麻烦…), hesitations (嗯, 呃), modal particles (啊, 呀, 嘛…) and
a word said twice in a row ("喂喂", "那个那个"). White space and punctuation stay, as
separators: "3.3 3.4" is two refs, "A、B" two names.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from bot.text import is_blank_char

# Said without meaning. Longest first, so "就是说" goes before "就是". "那个"/"这个" only when
# not followed by 月/星期/季度/礼拜/周 ("这个月" is a window).
_FILLERS = re.compile(
    r"我想问一下|我想问下|想问一下|请问一下|麻烦你|麻烦|帮我|帮忙|请问|就是说|就是|"
    r"(?<=[查看问说计找讲])一下|来着|的话|到底|现在|目前|眼下|那边|这边|(?<!其)[他她]们?|"
    r"(?:那个|这个)(?!月|星期|季度|礼拜|周|部分)|哈哈+|"
    r"[喂嗯呃唉哎诶欸噢哦嘛呀啊呐咯哇啦]"
)
# Greetings said before a question ("喂你好帮我查一下…"); a message that is only a greeting
# keeps it (the help intent answers it).
_GREETING = re.compile(r"^(?:你好|您好|hi|hello)[,，!！。\s]*(?=\S)")
_TWICE = re.compile(r"(\w{1,2})\1+")
_SAID_TWICE = re.compile(r"^(?:喂|那个|这个|就是|嗯|呃)$")


@functools.cache
def _to_simplified():
    """The t2s converter, made on first use (its tables load in a few ms)."""
    from opencc import OpenCC

    return OpenCC("t2s")


def strip_mentions(text: str, bot_name: str) -> str:
    """``text`` without "@<bot_name>" (any blanks inside or after it) and without the other
    people's mentions ("@周晓岚 @督办 小助手 完成 3" → "完成 3": they are addressed, not asked
    about); an @ glued to the words that follow only loses the @. Returns the trimmed text."""
    name = [ch for ch in bot_name if not is_blank_char(ch)]
    if name:
        blank = r"[\s\u2000-\u200b\u3000]*"
        pattern = "[@＠]" + blank + blank.join(re.escape(ch) for ch in name) + blank
        text = re.sub(pattern, " ", text)
    text = re.sub(r"[@＠][^\s@＠\u2005\u3000]+(?=[\s\u2005\u3000])", " ", text)
    text = re.sub(r"[@＠]", "", text)
    return "".join(" " if is_blank_char(ch) else ch for ch in text).strip()


@functools.lru_cache(maxsize=20000)
def _simplified_already(ch: str) -> bool:
    return _to_simplified().convert(ch) == ch


def simplified(text: str) -> str:
    """``text`` with traditional characters made simplified (嚴眾能 → 严众能); ASCII and
    simplified text come back unchanged, without the phrase-level conversion (each character
    is looked up once and remembered)."""
    if text.isascii() or all(_simplified_already(ch) for ch in set(text) if not ch.isascii()):
        return text
    return _to_simplified().convert(text)


def _undouble(match: re.Match[str]) -> str:
    return match[1] if _SAID_TWICE.match(match[1]) else match[0]


def normalise(text: str) -> str:
    """The normal form of a message already stripped of mentions: NFKC, simplified, ASCII lower
    case, fillers and repeats dropped, runs of blanks made one space. Never raises."""
    text = unicodedata.normalize("NFKC", text)
    text = simplified(text).lower()
    text = _TWICE.sub(_undouble, text)
    text = _FILLERS.sub(" ", text)
    text = _GREETING.sub("", text.strip())
    return re.sub(r"\s+", " ", text).strip()
