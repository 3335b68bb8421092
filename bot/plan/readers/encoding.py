"""The text of a text file (.txt, .csv, .html): its encoding found, not guessed at random.

UTF-8 with or without a BOM, UTF-16 with a BOM where the format allows it (Excel's "Unicode
text" CSV), else GB18030 (a Chinese Windows saves "ANSI" text in GBK, which GB18030 holds).
GB18030 decodes most byte strings, so what fails it is binary; text with NUL bytes is too.
"""

from __future__ import annotations

from pathlib import Path

from bot.plan.errors import PlanError


def decode(data: bytes, path: Path, *, utf16: bool = True) -> str:
    """The text of ``data`` (the bytes of ``path``), newlines as "\\n".

    Raises :class:`PlanError` ("not_text") when it is none of the encodings above or holds
    NUL bytes (a binary file renamed).
    """
    if utf16 and data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    elif data.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    else:
        encodings = ["utf-8", "gb18030"]
    text = None
    for encoding in encodings:
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError as error:
            failure = error
    if text is None:
        raise PlanError("not_text", path, reason=failure.reason, at=failure.start)
    if "\0" in text:
        raise PlanError("binary", path)
    return text


def lines(text: str) -> list[str]:
    """``text`` cut into lines at any newline convention (CRLF, CR, LF); the newline that ends
    the last line starts no line of its own."""
    cut = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return cut[:-1] if len(cut) > 1 and cut[-1] == "" else cut
