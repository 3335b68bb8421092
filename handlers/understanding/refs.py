"""Stage 3a: task refs and sections named in a message (DESIGN §3.1 "Refs", §4).

Refs are read as the plan numbers its tasks: "3.3", "68", "5.1", "1.1.1", typed with digits or
Chinese numerals and any of . ． 。 · 点 between the parts (三.3, 三点八, ３．３). A number is a
ref only when the plan has that ref and no measure word follows it ("30天", "12月", "5项").
A ref-shaped number the plan lacks is kept apart: a date the contents name ("5.30") is left for
the topic words, anything else is an unknown ref ("9.9") the reply can name.

Sections by number (第三部分, 第五大项, 第一大块), a task by its place in one (第二部分第一条 → the
fourth task of section three, in plan order), and sections by the words of their title
("<heading words>那部分", "<heading words>相关的任务").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import cn2an

from handlers.understanding.names import GAP

_NUMERAL = "零〇一二两三四五六七八九十百"
_PART = rf"(?:\d+|[{_NUMERAL}]+)"
_DOT = r"\s*(?:[.．。·]|点)\s*"
_REF = re.compile(rf"(?<![\d.{_NUMERAL}])({_PART}(?:{_DOT}{_PART})*)(?![\d{_NUMERAL}]|\.\d)")
# A number followed by one of these counts or dates something; it is not a ref.
_MEASURE = re.compile(
    r"^\s*(?:项|个|条|件|天|日|号|月|年|周|%|届|家|人|万|亿|元|名|次|所|座|户|岁|小时|分|点|期|批|类|大|季)")
_SECTION_WORD = r"(?:部分|大项|大块|大类|板块|方面|章|块|篇)"
_ITEM_WORD = r"(?:条|项|小项|点|个|款|小点|小条)"
_SECTION = re.compile(rf"第({_PART}){_SECTION_WORD}(?:的)?(?:第({_PART}){_ITEM_WORD})?")
_ITEM = re.compile(rf"第({_PART}){_ITEM_WORD}")
# "24号任务" names task 24 (a 号 before 任务 is its number, not a day of the month).
_NUMBERED_TASK = re.compile(r"(\d+)\s*号(?=\s*(?:任务|工作|事项))")
_CUE = re.compile(rf"^(?:{GAP})*(?:那|这|的)?(?:部分|块|板块|方面|大项|一块|一部分|下面|里面|相关|类)")
_GENERIC_TITLE = re.compile(r"^(?:进一步|持续|全面|大力|加快|着力|切实|深入)")


def number(text: str) -> int | None:
    """"三" → 3, "十二" → 12, "12" → 12; None for what is not a number."""
    if text.isdigit():
        return int(text)
    try:
        return int(cn2an.cn2an(text, "normal"))
    except (ValueError, KeyError, TypeError):
        return None


@dataclass
class Places:
    """What a message names by number or title: ``refs`` the plan has, ``unknown`` ref-shaped
    numbers it lacks (not dates in the contents), ``sections`` section numbers, ``rest`` the
    text with them taken out."""

    refs: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    sections: list[int] = field(default_factory=list)
    rest: str = ""


def _as_ref(written: str) -> str | None:
    parts = [number(p) for p in re.split(_DOT, written)]
    if any(p is None for p in parts):
        return None
    return ".".join(str(p) for p in parts)


def _in_contents(number_text: str, corpus: str) -> bool:
    """"5.30" stands alone in the contents (a date they name); "6.1" inside "6.18" does not."""
    start = corpus.find(number_text)
    while start >= 0:
        end = start + len(number_text)
        if (start == 0 or not re.match(r"[\d.]", corpus[start - 1])) and not corpus[end:end + 1].isdigit():
            return True
        start = corpus.find(number_text, start + 1)
    return False


def find_places(text: str, refs: dict[str, int], sections: dict[int, list[str]], corpus: str) -> Places:
    """Refs and numbered sections in ``text``. ``refs``: the plan's refs → position;
    ``sections``: section number → its refs in plan order; ``corpus``: the contents, for
    telling a date ("5.30") from an unknown ref."""
    places = Places()

    def section(match: re.Match[str]) -> str:
        no = number(match[1])
        if no is None:
            return match[0]
        if match[2]:
            item = number(match[2])
            tasks = sections.get(no, [])
            if item and 0 < item <= len(tasks):
                places.refs.append(tasks[item - 1])
                return f" {GAP} "
        places.sections.append(no)
        return f" {GAP} "

    text = _SECTION.sub(section, text)
    text = _NUMBERED_TASK.sub(r"\1", text)
    if not sections or not any("." in r for r in refs):
        # No sections, or refs that are plain numbers: 第5项 is the task numbered 5, or the fifth task
        ordered = sorted(refs, key=refs.get)

        def item(match: re.Match[str]) -> str:
            n = number(match[1])
            under = [ref for ref in ordered if ref.startswith(f"{n}.")]
            if n is not None and str(n) in refs:
                places.refs.append(str(n))
            elif under:  # 第5项 of a plan with sub-rows 5.1 and 5.2
                places.refs.extend(under)
            elif n is not None and 0 < n <= len(ordered):
                places.refs.append(ordered[n - 1])
            else:
                return match[0]
            return f" {GAP} "

        text = _ITEM.sub(item, text)

    def ref(match: re.Match[str]) -> str:
        written = match[1]
        if _MEASURE.match(text[match.end():]) or not re.search(r"\d|[.．。·点]", written):
            return written
        found = _as_ref(written)
        if found is None:
            return written
        if found in refs:
            places.refs.append(found)
            return f" {GAP} "
        by_place = _by_place(found, refs, sections)
        if by_place:  # "三.4" where the plan numbers 1, 2, 3 … straight through its parts
            places.refs.append(by_place)
            return f" {GAP} "
        if "." in found and _DATE_AFTER.match(text[match.end():]) and _month_day(found):
            return written  # "5.30前", "12.24到期的": a date the windows stage reads
        if "." in found and not _in_contents(written.replace(" ", ""), corpus) and re.fullmatch(
                r"\d{1,2}(\.\d{1,2})+", found):
            places.unknown.append(found)
            return f" {GAP} "
        return written

    places.rest = _REF.sub(ref, text)
    places.refs = list(dict.fromkeys(places.refs))
    return places


_DATE_AFTER = re.compile(r"^\s*(?:号|日)?(?:前|之前|以前|到期|截止)")


def _month_day(found: str) -> bool:
    month, _, day = found.partition(".")
    return month.isdigit() and day.isdigit() and 1 <= int(month) <= 12 and 1 <= int(day) <= 31


def _by_place(found: str, refs: dict[str, int], sections: dict[int, list[str]]) -> str | None:
    """The ref "S.N" means in a plan whose refs are plain numbers: the Nth task of part S."""
    parts = found.split(".")
    if len(parts) != 2 or any("." in ref for ref in refs):
        return None
    tasks = sections.get(int(parts[0]), [])
    return tasks[int(parts[1]) - 1] if 0 < int(parts[1]) <= len(tasks) else None


def find_section_words(text: str, titles: dict[int, str], corpus: str) -> tuple[list[int], str]:
    """Sections named by the words of their title in ``text`` ("科普品牌那部分"): a run of four
    characters or more found in one title only and not in any task's content, or of two or
    more followed by a section word (那部分, 这块, 相关). Returns the section numbers and the
    text with those words taken out."""
    if not titles:
        return [], text
    found: list[int] = []
    out: list[str] = []
    index = 0
    while index < len(text):
        best = None
        # Longer runs are found only inside shorter ones, so the scan stops at the first miss.
        for end in range(index + 2, min(len(text), index + 40) + 1):
            words = text[index:end]
            owners = [no for no, title in titles.items() if words in title]
            if not owners:
                break
            meaning = _GENERIC_TITLE.sub("", words)  # "进一步" alone names no section
            long_enough = len(meaning) >= 4 or (len(meaning) >= 2 and _CUE.match(text[end:]))
            if len(owners) == 1 and long_enough and words not in corpus:
                best = (end, owners[0])
        if best:
            found.append(best[1])
            while out and re.fullmatch(r"[一二三四五六七八九十\d、.．\s]", out[-1]):
                out.pop()  # the heading's own number: "三、进一步塑造科普品牌"
            out.append(f" {GAP} ")
            index = best[0]
        else:
            out.append(text[index])
            index += 1
    return list(dict.fromkeys(found)), "".join(out)
