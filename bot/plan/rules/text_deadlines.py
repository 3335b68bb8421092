"""Deadline phrases inside running text, and whose they are (DESIGN §3.1 "Deadlines").

For plans with no deadline column or label: prose items, and cells that name dates in their
sentence. Each phrase is read by :func:`bot.plan.rules.deadlines.parse_deadline`; the forms
only running text has (N年内, YYYY年起N年内) are computed here.

Found in an item's sentence: N月底前 / N月上旬 / N月D日前 / 年底前 / 国庆节前 / 上半年 / 第N季度 (also
"第二、三季度": the last one), 于YYYY年N月底前, 到YYYY年 (its 12-31), YYYY年起N年内 and N年内 (the
period's last day), each with its due date for the plan year (an explicit year wins). Not
deadlines: a frequency (每季度…、按月…、定期…), a plan period (未来五年, 2016-2020年), a bare year
("2020年，…"), an event date with no 前 ("5.30", "6月18日": those are milestones, see
:mod:`bot.plan.milestones`).

A phrase binds to the task only when the task's own owners are its subject: in "推动县级于9月底前
建立…" the subject is 县级 (another actor), so the date is a milestone of that part
(``actor`` "县级"), not the task's due date.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date

from bot.plan.rules.deadlines import DAY_NAME, parse_deadline
from bot.plan.rules.festivals import FESTIVALS

_N = r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})"
_Y = r"(?P<y>\d{4})年度?"
_PRE = r"(?P<pre>于|在|到|至|截至|截止到|截止)?"
_BEFORE = r"(?:前|之前|以前)"
# One pattern per phrase form; the group names say what each part is.
_PHRASES = [re.compile(p) for p in (
    rf"{_PRE}(?:{_Y})?(?P<m>{_N})月份?(?P<part>上旬|中旬|下旬|底|末){_BEFORE}?",
    rf"{_PRE}(?:{_Y})?(?P<m>{_N})月(?P<d>{_N})日(?:{DAY_NAME})?{_BEFORE}",
    rf"{_PRE}(?:{_Y}|今年|本年|当年)?(?:年底|年末){_BEFORE}?",
    rf"{_PRE}(?:{_Y})?(?:上半年|下半年)",
    rf"{_PRE}(?:{_Y})?第?(?P<q>[一二三四1-4](?:[、和及至到][一二三四1-4])*)季度(?:末|前|内|底)?",
    rf"(?P<to>到|至|截至){_Y}(?:底|末)?(?![\d一二三四五六七八九十]{{1,2}}月|起|以来|-)",
    r"(?:(?P<y>\d{4})年起)?(?P<n>[1-9]|[一二三四五六七八九十])年内",
    rf"{_PRE}(?:{_Y})?(?:{FESTIVALS})节?{_BEFORE}",  # 国庆节前发布…, 春节前完成…
)]
# Written before a phrase in its clause: it is then no deadline (a frequency, a plan period).
_NOT_DEADLINE = re.compile(r"(每|按月|按季|逐月|逐季|定期|未来|近|以来)[^，,；;。]{0,6}$")
# "推动县级于…", "指导各县（市、区）在…": another actor, set going by the task's owners.
_CAUSE = re.compile(r"(推动|指导|督促|要求|帮助|支持|引导|鼓励|动员|组织|协调|促进|确保|督导)"
                    r"(?P<actor>[^，,；;。]{1,16}?)(?:要|须|应|力争|务必)?(?:于|在)?$")
# A subject written right before the date: "各县（市、区）于…", "县级要在…".
_SUBJECT = re.compile(r"(?P<actor>各[^，,；;。]{1,12}?|县级|乡镇|街道|区县|县区|市级|省级)(?:要|须|应|力争|务必)?"
                      r"(?:于|在)?$")
_CLAUSE_END = re.compile(r"[，,；;。！？!?]")


@dataclass(frozen=True)
class DatePhrase:
    """A deadline phrase found in a text: ``text`` as written (without a leading 于/在),
    ``due`` its date (None when impossible: 2月30日前), ``actor`` the other party it binds
    when not the task's owners (else None), ``clause`` the clause it sits in, ``start``/``end``."""

    text: str
    due: date | None
    actor: str | None
    clause: str
    start: int
    end: int


def _group(match: re.Match[str], name: str) -> str | None:
    return match.groupdict().get(name)


def _due(match: re.Match[str], year: int) -> date | None:
    """The date a phrase means: parse_deadline's reading (DESIGN §3), after a preposition with
    no year after it is dropped ("到6月底" reads as "6月底"); N年内 is the period's last day."""
    written_year = _group(match, "y")
    if _group(match, "n"):
        start = int(written_year) if written_year else year
        count = int(match["n"]) if match["n"].isdigit() else "一二三四五六七八九十".index(match["n"]) + 1
        return date(start + count - 1, 12, 31)
    text = match[0]
    pre = _group(match, "pre")
    if pre and not written_year:
        text = text[len(pre):]
    return parse_deadline(re.sub(r"^(今年|本年|当年)", "", text), year).due


def _matches(text: str) -> list[re.Match[str]]:
    """Every phrase match, leftmost first; of two that overlap the longer is kept."""
    found = sorted((m for p in _PHRASES for m in p.finditer(text)), key=lambda m: (m.start(), -len(m[0])))
    kept: list[re.Match[str]] = []
    for match in found:
        if kept and match.start() < kept[-1].end():
            continue
        kept.append(match)
    return kept


def find_dates(text: str, year: int, owners: list[str] = ()) -> list[DatePhrase]:
    """The deadline phrases in ``text`` for plan ``year``, in order; ``owners`` the task's own
    units and people (a subject among them keeps the date the task's)."""
    found = []
    ends = [m.end() for m in _CLAUSE_END.finditer(text)]
    for match in _matches(text):
        clause_start = ends[bisect.bisect_right(ends, match.start()) - 1] if ends and ends[0] <= match.start() else 0
        before = text[clause_start:match.start()]
        if _NOT_DEADLINE.search(before) or text[match.end():match.end() + 2] == "以来":
            continue
        after = _CLAUSE_END.search(text, match.end())
        clause = text[clause_start:after.start() if after else len(text)]
        actor = None
        subject = _CAUSE.search(before) or _SUBJECT.search(before)
        if subject and subject["actor"].strip() and not any(
                subject["actor"] in name or name in subject["actor"] for name in owners):
            actor = subject["actor"].strip()
        written = match[0]
        pre = _group(match, "pre") if _group(match, "pre") in ("于", "在") else ""
        try:
            due = _due(match, year)
        except ValueError:  # 第13月, a period past the calendar
            due = None
        found.append(DatePhrase(written[len(pre):], due, actor, clause.strip(), match.start() + len(pre),
                                match.end()))
    return found
