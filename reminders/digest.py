"""One digest per chat per tick, rendered from ``reminders/templates/digest.j2`` (DESIGN §5).

Sections 今日到期 / 即将到期 / 节点提醒 / 已逾期 / 本月持续推进 (grouped by owner), each task
line starting with its ref. A digest over the platform's size limit is cut between lines
into numbered parts ("（1/3）"), never inside a character (cases/bug19). Mentions are the
owners still to finish who are people, and the configured members of such roles and units. A
task whose plan names no 责任人 (a plan of units only) names its units instead and @s their
configured members (config ``[units]``), else nobody.

Every line names its plan: a digest of one plan names it in its title line; with several
plans active (next year's imported in December, a 专项督办 list), each plan's lines stand in
a block under the plan's title (:func:`heading`), and each outbox part records the plan of
every ref it names (``plan_refs``), so a 完成 withdraws the right line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.config import Config
from bot.model import PlanInfo, TaskView
from bot.render import environment
from bot.store.outbox import OutboxPart
from reminders.policy import Reminder

TEMPLATES = Path(__file__).resolve().parent / "templates"
WEEKDAYS = "一二三四五六日"
LOCAL_CHAT = "本地群"
# How a ref looks where a line lists several ("严众能：2.8、3.1", "区教育局：68、69", "1.1.1").
REF_ITEM = re.compile(r"[0-9]+(?:\.[0-9]+)*")
_env = environment(TEMPLATES)


@dataclass(frozen=True)
class ChatTarget:
    """A chat reminders go to: its config ``name``, ``platform`` and the ``plans`` it follows
    (config ``[[chats]] plans``: titles, short names or years; empty: every active plan)."""

    name: str
    platform: str
    plans: tuple[str, ...] = ()


def chats(config: Config) -> list[ChatTarget]:
    """The configured chats; with none, the one local chat "本地群" (DESIGN §8)."""
    return [ChatTarget(c.name, c.platform, tuple(c.plans)) for c in config.chats] or [ChatTarget(LOCAL_CHAT, "local")]


@dataclass(frozen=True)
class PlanDay:
    """One active plan's reminders on a day: the ``plan``, its tasks by ref, the ``found`` reminders."""

    plan: PlanInfo
    tasks: dict[str, TaskView]
    found: list[Reminder]


Chosen = list[tuple[PlanDay, list[Reminder]]]  # each plan with the reminders a message carries of it


def heading(plan: PlanInfo) -> str:
    """The line that heads a plan's block in a message naming several plans: 《title》."""
    return f"《{plan.title}》"


def plan_refs(texts: list[str], chosen: Chosen) -> list[list[tuple[int, str]]]:
    """For each of ``texts`` (the parts of one message, in order), the (plan id, ref) of every
    task it names: a line names the refs of the plan whose block it stands in (the first
    plan's before any heading, as in a one-plan message), also across a cut between parts."""
    headings = {heading(plan_day.plan): plan_day for plan_day, _ in chosen}
    current = chosen[0][0]
    named: list[list[tuple[int, str]]] = []
    for text in texts:
        found: list[tuple[int, str]] = []
        for line in text.split("\n"):
            if line in headings:
                current = headings[line]
                continue
            for ref in line_refs(line, current.tasks):
                if (current.plan.id, ref) not in found:
                    found.append((current.plan.id, ref))
        named.append(found)
    return named


def pending(task: TaskView) -> list[str]:
    """The owners of ``task`` whose share is not done yet (all of them before anyone reports)."""
    return [share.owner for share in task.shares if not share.done]


def unnamed_units(task: TaskView) -> list[str]:
    """The units a line names for ``task`` when its plan names no 责任人 (else none)."""
    return [] if task.owners else list(task.units)


def mentions(tasks: list[TaskView], config: Config, people: set[str]) -> list[str]:
    """Person names to @ for ``tasks``: owners still to finish who are people, and members of
    such owner roles and units (a unit's share). Someone who has done their share is not nagged."""
    names: list[str] = []
    for task in tasks:
        for owner in pending(task):
            for name in ([owner] if owner in people else config.members(owner)):
                if name not in names:
                    names.append(name)
    return names


def task_lines(reminders: list[Reminder], tasks: dict[str, TaskView], kind: str) -> list[dict]:
    """The data of the task lines of one ``kind`` (templates/lines.j2), most pressing first:
    ``ref``, ``content``, ``days``, ``target``, ``milestone``, ``owners`` still to finish,
    ``units`` (a plan without 责任人), shares ``done`` of ``total``, ``deadline`` as written."""
    chosen = [r for r in reminders if r.kind == kind]
    chosen.sort(key=lambda r: (r.days if kind != "overdue" else -r.days, r.ref))
    return [{"ref": r.ref, "content": tasks[r.ref].content.rstrip("。；; "), "days": r.days,
             "target": r.target, "milestone": r.milestone, "owners": pending(tasks[r.ref]),
             "units": unnamed_units(tasks[r.ref]), "deadline": tasks[r.ref].deadline_text,
             "done": tasks[r.ref].shares_done, "total": len(tasks[r.ref].shares)} for r in chosen]


def _checkins(reminders: list[Reminder], tasks: dict[str, TaskView], *,
              ongoing: bool = True) -> list[tuple[list[str], list[str]]]:
    """The month's check-ins grouped by owner: of the 全年开展 tasks (``ongoing``), or of the
    tasks whose deadline the import could not read (no due date, not ongoing)."""
    checkins: dict[str, list[str]] = {}
    for reminder in reminders:
        if reminder.kind == "checkin" and tasks[reminder.ref].ongoing == ongoing:
            task = tasks[reminder.ref]
            for owner in pending(task) or unnamed_units(task) or [""]:
                checkins.setdefault(owner, []).append(reminder.ref)
    # Owners (or units) with the same ongoing tasks share a line (the six county chairs of 3.7).
    grouped: dict[tuple[str, ...], list[str]] = {}
    for owner, refs in checkins.items():
        grouped.setdefault(tuple(refs), []).append(owner)
    return [(owners, list(refs)) for refs, owners in grouped.items()]


def blocks(chosen: Chosen, *, grouped_checkins: bool = True) -> list[dict]:
    """The template data of each plan's lines: ``title``, ``heading``, and the lines of each
    kind (:func:`task_lines`); check-ins grouped by owner for a group, as lines for a person."""
    result = []
    for plan_day, reminders in chosen:
        tasks = plan_day.tasks
        result.append({
            "title": plan_day.plan.title, "heading": heading(plan_day.plan),
            "due_today": task_lines(reminders, tasks, "due_today"),
            "due_soon": task_lines(reminders, tasks, "due_soon"),
            "milestones": task_lines(reminders, tasks, "milestone"),
            "overdue": task_lines(reminders, tasks, "overdue"),
            "checkins": _checkins(reminders, tasks) if grouped_checkins else task_lines(reminders, tasks, "checkin"),
            "undated": _checkins(reminders, tasks, ongoing=False) if grouped_checkins else [],
        })
    return result


def example_ref(data: list[dict]) -> str:
    """A ref for the closing hint "完成 …", taken from the digest's own lines (``data`` is
    :func:`blocks`'): the first dated line's, else the first check-in's, so the hint is numbered
    as the plan numbers its tasks ("3", "3.3", "1.1.1"); "" when there are no lines."""
    for block in data:
        for kind in ("due_today", "due_soon", "milestones", "overdue"):
            if block[kind]:
                return block[kind][0]["ref"]
    for block in data:
        for checkin in [*block["checkins"], *block["undated"]]:
            refs = checkin[1] if isinstance(checkin, tuple) else [checkin["ref"]]
            if refs:
                return refs[0]
    return ""


def render(day: date, chosen: Chosen, *, notices: list[dict], max_bytes: int | None,
           bot_name: str = "督办助手") -> str | list[str]:
    """The digest text, or its parts when it is over ``max_bytes`` (UTF-8). ``bot_name`` is the
    name to @ in the closing hint: in a WeCom or DingTalk group the bot hears only @-messages."""
    data = blocks(chosen)
    text = _env.get_template("digest.j2").render(
        day=day, weekday=WEEKDAYS[day.weekday()], blocks=data, notices=notices, bot_name=bot_name,
        example=example_ref(data),
    ).strip()
    if max_bytes is None or len(text.encode()) <= max_bytes:
        return text
    return split(text, max_bytes)


def split(text: str, max_bytes: int) -> list[str]:
    """Cut ``text`` between lines into parts of at most ``max_bytes`` UTF-8 bytes, each
    headed "（i/n）"; a single over-long line is cut at a character boundary."""
    budget = max_bytes - len("（99/99）\n".encode())
    pieces: list[str] = []
    for line in text.split("\n"):
        while len(line.encode()) > budget:
            cut = len(line.encode()[:budget].decode("utf-8", errors="ignore"))
            pieces.append(line[:cut])
            line = line[cut:]
        pieces.append(line)
    parts: list[list[str]] = [[]]
    size = 0
    for piece in pieces:
        cost = len(piece.encode()) + 1
        if parts[-1] and size + cost > budget:
            parts.append([])
            size = 0
        parts[-1].append(piece)
        size += cost
    chunks = ["\n".join(p).strip("\n") for p in parts]
    chunks = [c for c in chunks if c]
    return [f"（{i}/{len(chunks)}）\n{chunk}" for i, chunk in enumerate(chunks, 1)]


def line_refs(line: str, tasks: dict[str, TaskView]) -> list[str]:
    """The refs one line of a push names: its first word (lines.j2 starts every task line with its
    ref) and the items of a check-in line ("严众能：2.8、3.1"). Refs are the plan's own strings
    ("3.3", "68", "1.1.1"), so they are read by position, never by their shape alone."""
    _, sep, items = line.partition("：")
    words = [line.partition(" ")[0]]
    if sep and all(REF_ITEM.fullmatch(item) for item in items.split("、")):
        words += items.split("、")
    return [word for word in words if word in tasks]


def named_refs(text: str, tasks: dict[str, TaskView]) -> list[str]:
    """The refs a push of one plan names, in order (:func:`line_refs` of each line)."""
    named: list[str] = []
    for line in text.split("\n"):
        named += [ref for ref in line_refs(line, tasks) if ref not in named]
    return named


def parts(day: date, chosen: Chosen, config: Config, people: set[str], *, notices: list[dict],
          max_bytes: int | None, markdown: bool) -> list[OutboxPart]:
    """The outbox parts of one chat's digest: text, the refs each part names (with their plans),
    whom it @s; the last part carries the ``notices`` (they close the digest)."""
    rendered = render(day, chosen, notices=notices, max_bytes=max_bytes, bot_name=config.bot.name)
    texts = [rendered] if isinstance(rendered, str) else rendered
    tasks = {plan_day.plan.id: plan_day.tasks for plan_day, _ in chosen}
    title = _env.get_template("title.j2").render(day=day)
    result = []
    for number, (text, named) in enumerate(zip(texts, plan_refs(texts, chosen), strict=True), 1):
        result.append(OutboxPart(
            text, list(dict.fromkeys(ref for _, ref in named)),
            mentions([tasks[plan_id][ref] for plan_id, ref in named], config, people), markdown=markdown,
            title=title, plan_refs=named, notices=[n["id"] for n in notices] if number == len(texts) else []))
    return result
