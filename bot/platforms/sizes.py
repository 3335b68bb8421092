"""How much text one message may carry on each platform, and the one way an answer is cut to
fit it (issue 13 "long answers": a 100 KB stream reply went out uncapped).

Limits are UTF-8 bytes of the content field:

- WeCom self-built app text, passive reply and ``message/send``: 2048 (PROTOCOLS §1.4, §1.5).
- WeCom 智能机器人 ``stream`` content (passive reply and long connection) and its ``response_url``
  markdown: 20480 ("最长不超过20480个字节，必须是utf8编码", developer.work.weixin.qq.com
  document 101031 / 101138). A stream frame replaces the content shown, it does not add to it,
  so a later frame cannot carry the rest: the answer is cut.
- WeCom group robot: text 2048, markdown 4096 (PROTOCOLS §2.1).
- DingTalk sessionWebhook and custom robot text/markdown: no official figure found; 20000
  bytes is the figure third-party DingTalk clients use, so answers are cut there.

:func:`fit` cuts between lines and ends with a tail (the caller renders it from a template,
``bot/templates/truncated.j2``) saying how many lines were left out; :func:`split` cuts a long
text into several messages where a platform lets us send more than one.
"""

from __future__ import annotations

from collections.abc import Callable

WECOM_APP_TEXT = 2048
WECOM_AIBOT_STREAM = 20480
WECOM_ROBOT_TEXT = 2048
WECOM_ROBOT_MARKDOWN = 4096
DINGTALK_TEXT = 20000

Tail = Callable[[int], str]  # number of lines left out → the line that says so


def size(text: str) -> int:
    """``text``'s length in UTF-8 bytes (what every limit above counts)."""
    return len(text.encode())


def _head(line: str, limit: int) -> str:
    """The longest start of ``line`` within ``limit`` bytes, never cutting a character in two."""
    return line.encode()[:max(limit, 0)].decode(errors="ignore")


def _units(text: str) -> tuple[list[str], str]:
    """The items of an answer and what joins them: its blank-line separated blocks (one task's
    details each) when it has any, else its lines (one task each in a list)."""
    blocks = [block.strip("\n") for block in text.split("\n\n") if block.strip()]
    return (blocks, "\n\n") if len(blocks) > 1 else ([line for line in text.split("\n")], "\n")


def fit(text: str, limit: int, tail: Tail) -> str:
    """``text`` whole when it takes at most ``limit`` UTF-8 bytes; else its first items that fit
    (blocks of lines when it has blank-line separated blocks, else lines: never half a task)
    with ``tail(n)`` after them, ``n`` the non-blank items not shown whole; the result takes at
    most ``limit`` bytes. A first item longer than the room is cut between its lines (a line
    longer than that at a character). Raises ValueError when even the tail does not fit."""
    if size(text) <= limit:
        return text
    units, joiner = _units(text)
    counted = [bool(unit.strip()) for unit in units]
    kept: list[str] = []
    used = 0
    left = 0
    for index, unit in enumerate(units):
        left = sum(counted[index:])
        room = limit - size(tail(left)) - 1  # the tail's own line
        if room < 0:
            raise ValueError(f"the tail does not fit in {limit} bytes")
        cost = size(unit) + (size(joiner) if kept else 0)
        if used + cost > room:
            if not kept:  # the first item alone is too long: what fits of it, by lines
                lines = []
                for line in unit.split("\n"):
                    if size("\n".join([*lines, line])) > room:
                        lines = lines or [_head(line, room)]
                        break
                    lines.append(line)
                kept.append("\n".join(lines))
            break
        kept.append(unit)
        used += cost
    shown = joiner.join(kept).rstrip()
    result = f"{shown}\n{tail(left)}" if shown else tail(left)
    return result if size(result) <= limit else _head(result, limit)


def split(text: str, limit: int, *, parts: int, tail: Tail) -> list[str]:
    """``text`` as at most ``parts`` messages of at most ``limit`` UTF-8 bytes each, cut between
    lines (a line longer than ``limit`` is cut at a character); when even ``parts`` messages
    cannot hold it all, the last one is :func:`fit` with ``tail``. ``[text]`` when it fits."""
    if size(text) <= limit:
        return [text]
    chunks: list[str] = []
    current: list[str] = []
    used = 0
    for line in text.split("\n"):
        while size(line) > limit:  # a line longer than a whole message
            if current:
                chunks.append("\n".join(current))
                current, used = [], 0
            head = _head(line, limit)
            chunks.append(head)
            line = line[len(head):]
        cost = size(line) + (1 if current else 0)
        if current and used + cost > limit:
            chunks.append("\n".join(current))
            current, used, cost = [], 0, size(line)
        current.append(line)
        used += cost
    if current:
        chunks.append("\n".join(current))
    chunks = [chunk.strip("\n") for chunk in chunks if chunk.strip()]
    if len(chunks) <= parts:
        return chunks
    return [*chunks[:parts - 1], fit("\n".join(chunks[parts - 1:]), limit, tail)]


def tail(render: Callable[..., str], more: int) -> str:
    """The line ending a cut answer, from ``bot/templates/truncated.j2`` (``render`` is
    :meth:`bot.runtime.Bot.render`); ``more`` items were left out."""
    return render("truncated.j2", more=more)
