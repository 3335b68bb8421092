"""The plan's title, year and issue date, and where its body begins (DESIGN §3 "The plan year").

A prose plan often comes inside a covering notice: "关于印发…的通知", the addressees, a few
paragraphs (some numbered: 一、二、三、 with report dates for every unit), a signature and a
date, then the plan's own title and body. The body begins after the plan's title: the first
title-like paragraph that is not the notice's own and has numbered items after it. A title
split over two lines ("2019年第四季度科技宣传及科技信息" / "工作要点") is joined. With no title
of its own the notice's 《…》 names the plan; with neither, a short line with a year before the
first item does ("2024年全市科普工作思路"); with none at all the plan is untitled.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import date

import cn2an

from bot.plan.prose.numbering import read_label

_PLAN_WORDS = re.compile(r"要点|方案|分解|事项|计划|任务|重点工作|安排|清单|台账|分工|工作报告|规划|实施意见")
_NOTICE = re.compile(r"关于.*(通知|通报|意见|函|决定)$|的(通知|通报|函)$")
_YEAR = re.compile(r"(\d{4})年")
_CN_DIGIT = "〇○零一二三四五六七八九"
_DATE_LINE = re.compile(rf"^(?:[^\d{_CN_DIGIT}]{{2,30}}[\s\u3000]+)?(?P<y>\d{{4}}|[{_CN_DIGIT}]{{4}})年"
                        r"(?P<m>\d{1,2}|[一二三四五六七八九十]{1,3})月(?P<d>\d{1,2}|[一二三四五六七八九十]{1,3})日(印发)?$")
_QUOTED = re.compile(r"《(.+)》")
_SENTENCE_END = "。；;：:，,！？!?"


@dataclass
class Front:
    """What the paragraphs before the body say: ``title`` (None when the file has none),
    ``title_year`` the year written in it, ``issued`` the issue date, ``body`` the index of the
    first paragraph of the plan's body, ``title_at`` the indexes of the title's paragraphs."""

    title: str | None
    title_year: int | None
    issued: date | None
    body: int
    title_at: tuple[int, ...] = ()


def _number(numeral: str) -> int | None:
    """"12" → 12, "十二" → 12; None for what is no number."""
    if numeral.isdigit():
        return int(numeral)
    try:
        return int(cn2an.cn2an(numeral, "strict"))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


def _squeeze(text: str) -> str:
    return re.sub(r"[\s\u3000]+", "", text)


def issue_date(text: str) -> date | None:
    """The date a whole line states ("2020年3月16日", "二○○六年四月二十八日", "XX局   2020年3月16日印发")."""
    match = _DATE_LINE.match(text.strip(" \t\u3000\u00a0"))
    if not match:
        return None
    year = match["y"]
    if not year.isdigit():
        year = "".join(str(_CN_DIGIT.index(ch) - 2 if _CN_DIGIT.index(ch) > 2 else 0) for ch in year)
    month, day = _number(match["m"]), _number(match["d"])
    with contextlib.suppress(ValueError, TypeError):
        return date(int(year), month, day)
    return None


def _title_like(text: str) -> bool:
    body = _squeeze(text)
    return (4 <= len(body) <= 80 and body[-1] not in _SENTENCE_END and not body.startswith("附")
            and read_label(text) is None and issue_date(text) is None
            and bool(_PLAN_WORDS.search(body) or _NOTICE.search(body)))


def read_front(texts: list[str]) -> Front:
    """Read the front of a plan from its paragraphs' texts (in order, blank ones included)."""
    numbered = [read_label(t) is not None for t in texts]
    later_items = [False] * (len(texts) + 1)
    for index in range(len(texts) - 1, -1, -1):
        later_items[index] = later_items[index + 1] or numbered[index]
    candidates = [i for i, t in enumerate(texts) if t.strip() and _title_like(t) and later_items[i + 1]]
    own = [i for i in candidates if not _NOTICE.search(_squeeze(texts[i]))]
    title_at: tuple[int, ...] = ()
    title = None
    body = 0
    if own:
        first = own[0]
        title_at, title, body = (first,), _squeeze(texts[first]), first + 1
        before = _previous(texts, first)
        if (before is not None and not _YEAR.search(title) and len(title) <= 12
                and _YEAR.search(texts[before]) and _bare(texts[before])):
            title_at, title = (before, first), _squeeze(texts[before]) + title
    elif candidates:
        notice = _squeeze(texts[candidates[0]])
        quoted = _QUOTED.search(notice)
        title = quoted[1] if quoted else re.sub(r"^.*?关于(印发)?|的(通知|通报|函)$", "", notice) or notice
        title_at, body = (candidates[0],), candidates[0] + 1
    else:  # no plan word anywhere: a short line with a year before the first item ("2024年全市科普工作思路")
        first_item = numbered.index(True) if True in numbered else len(texts)
        dated = next((i for i in range(first_item) if _YEAR.search(texts[i]) and _bare(texts[i])), None)
        if dated is not None:
            title_at, title, body = (dated,), _squeeze(texts[dated]), dated + 1
    title_year = int(_YEAR.search(title)[1]) if title and _YEAR.search(title) else None
    issued = next((d for d in (issue_date(t) for t in texts[:body]) if d), None)
    if issued is None:
        issued = next((d for d in (issue_date(t) for t in texts[body:]) if d), None)
    return Front(title, title_year, issued, body, title_at)


def _previous(texts: list[str], index: int) -> int | None:
    for before in range(index - 1, -1, -1):
        if texts[before].strip():
            return before
    return None


def _bare(text: str) -> bool:
    """A short line with no sentence punctuation, number, date or notice words: half a title."""
    body = _squeeze(text)
    return (2 <= len(body) <= 40 and body[-1] not in _SENTENCE_END and read_label(text) is None
            and issue_date(text) is None and not _NOTICE.search(body))
