"""Which plan a message is about, read before the rest of the parse (DESIGN §5, issue 13).

A question names another plan than the default (bot/plan_choice.py) by a year word ("明年的任务",
"去年的计划", "明年1月到期的"), a year ("2021年计划", "2027年的任务") or the plan's short name: the
words of its title that no other plan's title has, without its year and document words
("专项督办" for 《…2026年专项督办任务清单》 beside 《…2026年度工作要点》). With no plan of that year,
a year word before a calendar word ("明年1月") is the date's, read by the windows stage. The
name is taken out of the text the handlers read, and the answer says which plan it is from; a
name alone means all its tasks. A message naming no plan goes to the chat's default plan,
unless it names a ref that two active plans have: then it is asked which (naming the plans),
never guessed — for a 完成 least of all.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from bot import plan_choice
from bot.messages import Message
from bot.model import PlanInfo
from bot.store import Store
from bot.text import canon
from handlers.understanding.normalise import normalise
from handlers.understanding.refs import Places, find_places
from handlers.understanding.windows import RELATIVE_YEAR, RELATIVE_YEARS

_RELATIVE = RELATIVE_YEARS  # one table: a year word names a plan here, a date's year in windows
_DOC_WORDS = "计划|工作要点|要点|分解表|任务清单|清单|台账|方案"
_RELATIVE_NAME = re.compile(rf"({'|'.join(sorted(_RELATIVE, key=len, reverse=True))})\s*(的)?\s*({_DOC_WORDS})?")
_YEAR_NAME = re.compile(rf"((?:19|20|21)\d\d)\s*年\s*(度)?\s*(的)?\s*(?=({_DOC_WORDS}|任务))({_DOC_WORDS})?")
_AFTER_NAME = re.compile(rf"^\s*(里的|中的|的|里|中)?\s*({_DOC_WORDS})?\s*(里的|中的|里|中)?")
# A title's year and its document-type words are not what tells one plan from another.
_TITLE_YEAR = re.compile(r"(?:19|20|21)\d\d\s*(?:[-—至到~]\s*(?:19|20|21)\d\d)?\s*年\s*度?")
_TITLE_TAIL = re.compile(
    rf"(?:重点工作任务分解表|工作任务分解表|任务分解表|重点任务|工作任务|{_DOC_WORDS}|事项|任务|工作|的)+$")
_ALL_OF_IT = re.compile(r"^(?:的|有)?(?:哪些|什么)?(?:任务|工作|事项)?(?:有哪些|有什么|是什么)?[?？吗呢]*$")
ALL_TASKS = "所有任务"  # what a plan's name alone asks for (handlers' words for the whole list)


@dataclass(frozen=True)
class PlanScope:
    """What :func:`choose` found: ``plan`` to answer from (None: the store has none), ``text`` to
    parse (the plan's name taken out), ``named`` when the message chose the plan itself, and
    what to say instead of answering: ``asked`` plans when a ref is in several active plans
    (the ``ref``), ``missing`` the year asked for when no plan is of that year."""

    plan: PlanInfo | None
    text: str
    named: bool = False
    asked: list[PlanInfo] = field(default_factory=list)
    ref: str = ""
    missing: int | None = None
    said: str = ""


def short_name(plan: PlanInfo, others: list[PlanInfo]) -> str:
    """The words that name ``plan`` among ``others``: its title without year and document words,
    less the words every other title starts with too (the office's name); "" when nothing is
    left of two characters or more."""
    own = _stem(plan.title)
    stems = [_stem(other.title) for other in others if other.id != plan.id]
    if stems:
        common = 0
        while common < len(own) and all(len(stem) > common and stem[common] == own[common] for stem in stems):
            common += 1
        own = own[common:]
    if len(own) < 2 or any(own in stem for stem in stems):
        return ""
    return own


def _stem(title: str) -> str:
    return _TITLE_TAIL.sub("", _TITLE_YEAR.sub("", canon(title)))


def choose(store: Store, message: Message, *, today: date, chats: tuple = (), bot_name: str = "",
           names: list[str] = ()) -> PlanScope:
    """The plan ``message`` is about on ``today`` and the text left to parse. ``chats`` is config's
    [[chats]] (a chat may follow some plans); ``names`` the directory's names (a plan's short
    name never takes a person's, a role's or a unit's name apart)."""
    plans = store.plans()
    scope = plan_choice.in_scope(plans, chats, message.platform, message.chat_id)
    default = plan_choice.default_plan(scope, today)
    text = unicodedata.normalize("NFKC", message.text)
    if bot_name:
        text = re.sub(rf"@\s*{re.escape(bot_name)}", " ", text)
    if default is None or message.kind != "text":
        return PlanScope(default, message.text)
    found = _by_name(text, plans, names, today) or _by_year(text, today, plans)
    if found is not None:
        wanted, left, year = found
        if not wanted and RELATIVE_YEAR.search(text):
            # "明年1月到期的" with no plan of that year: the date, read by the windows stage.
            found = None
        elif not wanted:
            return PlanScope(default, message.text, missing=year)
    if found is not None:
        plan, rest = plan_choice.default_plan(wanted, today), _rest(left)
        # A year two active plans share ("2026年计划 3") does not tell them apart.
        shared = _shared_ref(_places(store, rest, plan_choice.active(wanted, today)))
        if shared is not None:
            return PlanScope(plan, rest, asked=shared[1], ref=shared[0], said=rest)
        if plan != default:
            return PlanScope(plan, rest, named=True)
        # Naming the plan it goes to anyway changes nothing, unless the name is all it says (its list).
        return PlanScope(default, rest if rest == ALL_TASKS else message.text)
    live = plan_choice.active(scope, today)
    places = _places(store, text, live)
    shared = _shared_ref(places)
    if shared is not None:
        return PlanScope(default, message.text, asked=shared[1], ref=shared[0])
    elsewhere = _only_elsewhere(places, default)
    if elsewhere is not None:
        return PlanScope(elsewhere, message.text, named=True)
    return PlanScope(default, message.text)


def _places(store: Store, text: str, live: list[PlanInfo]) -> list[tuple[PlanInfo, Places]]:
    """The refs ``text`` names read against each of the ``live`` plans' own refs, as the
    understanding reads them ("3", "任务3", "三.3"; not "3月", "5项"); [] for fewer than two plans."""
    if len(live) < 2:
        return []
    normal = normalise(text)
    return [(plan, find_places(normal, {t.ref: t.position for t in store.tasks(plan.id)}, {}, "")) for plan in live]


def _shared_ref(places: list[tuple[PlanInfo, Places]]) -> tuple[str, list[PlanInfo]] | None:
    """The first ref named that several plans of ``places`` have, with those plans; None when none."""
    named: dict[str, list[PlanInfo]] = {}
    for plan, found in places:
        for ref in found.refs:
            named.setdefault(ref, []).append(plan)
    return next(((ref, having) for ref, having in named.items() if len(having) > 1), None)


def _only_elsewhere(places: list[tuple[PlanInfo, Places]], default: PlanInfo) -> PlanInfo | None:
    """The one other plan that has every ref named when ``default`` has none of them ("完成 3.3"
    where only the 专项 list has a 3.3): its own reminder told the owner to send it so. None when
    the default plan has one of them, or no or several others have all."""
    having = []
    for plan, found in places:
        if plan.id == default.id:
            if found.refs or not found.unknown:
                return None
        elif found.refs and not found.unknown:
            having.append(plan)
    return having[0] if len(having) == 1 else None


def _by_year(text: str, today: date, plans: list[PlanInfo]) -> tuple[list[PlanInfo], str, int] | None:
    """(plans of the year named, the text without it, the year) or None."""
    match = _RELATIVE_NAME.search(text)
    if match and (_RELATIVE[match[1]] or match[3] or _follows_task(text, match.end())):
        year = today.year + _RELATIVE[match[1]]
        return [p for p in plans if p.year == year], text[:match.start()] + " " + text[match.end():], year
    match = _YEAR_NAME.search(text)
    if match:
        year = int(match[1])
        return [p for p in plans if p.year == year], text[:match.start()] + " " + text[match.end():], year
    return None


def _follows_task(text: str, end: int) -> bool:
    return text[end:].lstrip().startswith("任务")


def _by_name(text: str, plans: list[PlanInfo], names: list[str],
             today: date) -> tuple[list[PlanInfo], str, None] | None:
    """The plan a run of the text's characters names: two or more characters of its title (less
    its year, document and generic words) that no other plan's title has ("专项督办", "岁末年初",
    the whole title), among the plans active on ``today`` else among all; the longest such run
    wins. Returns ([plan], the text without the title's words, None) or None. A person's,
    role's or unit's name in the text is never read as a plan's name."""
    if len(plans) < 2:
        return None
    masked = text[:_NAME_SPAN]
    for name in sorted((n for n in names if len(n) >= 2), key=len, reverse=True):
        masked = masked.replace(name, "\0" * len(name))
    live = plan_choice.active(plans, today)
    best: tuple[int, PlanInfo, int, int] | None = None
    naming_runs: dict[int, list[tuple[int, int]]] = {}
    for plan in plans:
        title, stem = canon(plan.title), _stem(plan.title)
        others = [canon(other.title) for other in (live if plan in live else plans) if other.id != plan.id]
        for start, end in _runs(masked, title):
            run = canon(masked[start:end])
            length = len(run) * 2 if run == title else _distinct(run, stem, others)  # the whole title names it
            if length >= 2:
                naming_runs.setdefault(plan.id, []).append((start, end))
            if length >= 2 and (best is None or length > best[0]):
                best = (length, plan, start, end)
    if best is None:
        return None
    _, plan, start, end = best
    # Every run of the named plan's own words goes with it: "专项整治" for 《…整治专项行动方案》.
    spans = sorted(naming_runs[plan.id], reverse=True)
    for run_start, run_end in spans:
        after = _AFTER_NAME.match(text[run_end:]) if run_end == max(e for _, e in spans) else None
        text = text[:run_start] + " " + text[run_end + (after.end() if after else 0):]
    return [plan], text, None


_NAME_SPAN = 200  # characters of a message searched for a plan's title words
_GENERIC = re.compile(r"(?:重点|工作|任务|事项|计划|方案|要点|清单|年度|全年|有关|相关|[的和及与之])+")


def _runs(text: str, title: str) -> list[tuple[int, int]]:
    """The longest runs ``text[start:end]`` of two or more characters that are in ``title``
    (compared in canonical form), left to right, not overlapping."""
    runs, start = [], 0
    while start < len(text):
        end = start
        while end < len(text) and canon(text[start:end + 1]) and canon(text[start:end + 1]) in title:
            end += 1
        if end - start >= 2 and "\0" not in text[start:end]:
            runs.append((start, end))
            start = end
        else:
            start += 1
    return runs


def _distinct(run: str, stem: str, others: list[str]) -> int:
    """The length of the longest piece of ``run`` in ``stem`` that no title in ``others`` has and
    that is not only generic words; 0 when there is none."""
    for size in range(len(run), 1, -1):
        for start in range(len(run) - size + 1):
            piece = run[start:start + size]
            if piece in stem and not _GENERIC.fullmatch(piece) and not any(piece in other for other in others):
                return size
    return 0


def _rest(text: str) -> str:
    """What is left of a message once its plan's name is out: a name alone (or with 的任务, 有哪些)
    asks for all the plan's tasks."""
    core = re.sub(r"[\s,，。、:：!！]+", "", text)
    return ALL_TASKS if _ALL_OF_IT.match(core) else text.strip()


def naming(plan: PlanInfo, plans: list[PlanInfo]) -> str:
    """How a person names ``plan`` in a question: "2027年计划" when no other plan has its year,
    else its short name, else its title."""
    if sum(1 for p in plans if p.year == plan.year) == 1:
        return f"{plan.year}年计划"
    return short_name(plan, plans) or plan.title


def framed(render, reply, scope: PlanScope):
    """``reply`` as the message gets it: headed by the plan it is from when the message named
    one (``render(template, **data)`` is the handler context's)."""
    if not scope.named:
        return reply
    head = render("plan_named.j2", code="named").text
    return type(reply)(f"{head}\n{reply.text}", reply.refs, reply.closed, reply.read, reply.plan_id)


def instead(render, scope: PlanScope, message_text: str, all_plans: list[PlanInfo], bot_name: str = ""):
    """The reply that asks which plan (a ref in several), or says there is no such plan; None
    when the message is to be answered."""
    if scope.asked:
        said = scope.said or message_text
        said = re.sub(rf"@\s*{re.escape(bot_name)}", "", said).strip() if bot_name else said.strip()
        examples = [f"{naming(plan, all_plans)} {said}" for plan in scope.asked]
        return render("plan_named.j2", code="ask", ref=scope.ref, plans=scope.asked, examples=examples)
    if scope.missing is not None:
        return render("plan_named.j2", code="missing", year=scope.missing, plans=all_plans)
    return None
