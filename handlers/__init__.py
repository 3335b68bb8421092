"""Message → reply. One registry of intents, ordered by priority; the first handler that
returns a reply wins; help is last, so nothing goes unanswered (DESIGN §4, STYLE).

Handlers never see a platform payload and never import a platform: they get a
:class:`Context` (store, plan, today, sender) and a parsed :class:`~handlers.parse.Query`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import jinja2

from bot import plan_choice
from bot.messages import Message, Reply
from bot.model import PlanInfo, TaskView
from bot.render import environment
from bot.store import Store
from bot.text import clean_message
from handlers.understanding import PlanIndex, Query, plan_index, understand

TEMPLATES = Path(__file__).resolve().parent / "templates"
MAX_TEXT = 2000  # characters read of one message: a question is short, a paste is not a question
Handler = Callable[["Context", Query], Reply | None]


@dataclass(order=True)
class Intent:
    """A registered handler: lower ``priority`` runs first."""

    priority: int
    name: str = field(compare=False)
    handler: Handler = field(compare=False)
    writes: bool = field(compare=False, default=False)


REGISTRY: list[Intent] = []


def intent(name: str, priority: int, *, writes: bool = False) -> Callable[[Handler], Handler]:
    """Register ``handler`` as intent ``name``; it returns a Reply, or None for "not mine".
    ``writes``: it may change the store, or its answer depends on more than the message, the
    sender and the plan data (the chat's last reminder, the quote), so it is never cached."""

    def register(handler: Handler) -> Handler:
        REGISTRY.append(Intent(priority, name, handler, writes))
        REGISTRY.sort()
        return handler

    return register


@dataclass
class Context:
    """What a handler may use: the store, the plan questions are about, today (Asia/Shanghai),
    the sender's person (None when unmapped) and the template environment."""

    store: Store
    plan: PlanInfo
    today: date
    person: str | None
    bot_name: str
    env: jinja2.Environment
    message: Message | None = None
    admins: tuple[str, ...] = ()
    chats: tuple = ()
    mapped: frozenset[str] = frozenset()
    index: PlanIndex | None = None
    memo: dict = field(default_factory=dict)
    _tasks: list[TaskView] | None = None

    @property
    def tasks(self) -> list[TaskView]:
        """The plan's tasks, loaded once per message."""
        if self._tasks is None:
            self._tasks = self.store.tasks(self.plan.id)
        return self._tasks

    @property
    def archived(self) -> bool:
        """The plan is archived today: it answers questions but is no longer current."""
        return self.plan.archived_on(self.today)

    def task(self, ref: str) -> TaskView | None:
        return next((t for t in self.tasks if t.ref == ref), None)

    def unknown_task(self, ref: str, **data: object) -> Reply:
        """The answer to a ref the plan lacks, with how this plan writes its refs ("部分.序号"
        where they are dotted, else its plain 序号); ``data`` goes to unknown_task.j2
        (``unchanged``: a write that changed nothing, ``not_a_ref``: 0 or a negative number)."""
        sections = sorted({t.section_no for t in self.tasks if t.section_no is not None})
        dotted = any("." in t.ref for t in self.tasks)
        return self.render("unknown_task.j2", ref=ref, sections=sections if dotted else [], **data)

    def render(self, template: str, refs: list[str] | None = None, **data: object) -> Reply:
        """Render ``handlers/templates/<template>`` into a Reply naming ``refs``."""
        text = self.env.get_template(template).render(
            plan=self.plan, today=self.today, bot_name=self.bot_name,
            archived=self.archived, **data)
        return Reply(text.strip(), list(refs or []))


_ENV: jinja2.Environment | None = None


def template_env() -> jinja2.Environment:
    """The chat-text environment over ``handlers/templates`` (autoescape off: cases/bug21)."""
    global _ENV
    if _ENV is None:
        _ENV = environment(TEMPLATES)
    return _ENV


def dispatch(store: Store, message: Message, *, today: date, bot_name: str, admins: tuple[str, ...] = (),
             chats: tuple = (), mapped: frozenset[str] = frozenset()) -> Reply:
    """Answer ``message`` from the plan it is about (handlers/plan_named.py: the one it names, else
    its chat's default, DESIGN §5); ``admins`` (names) may close any task and
    confirm bindings; ``chats`` (config) link a chat id to the reminders it received; ``mapped``
    names the people whose platform ids config gives (nobody may bind as them).
    Raises ``LookupError`` when the store has no plan."""
    directory = store.directory()
    scope = plan_named.choose(store, message, today=today, chats=tuple(chats), bot_name=bot_name,
                              names=[*directory.people, *directory.roles, *directory.units])
    if scope.asked and message.kind == "text":
        scope = _completion_decides(store, message, scope, today=today, bot_name=bot_name, directory=directory)
    plan = scope.plan
    if plan is None:
        raise LookupError("the store has no plan: run `duban import FILE`")
    ctx = Context(store, plan, today, message.person, bot_name, template_env(), message, tuple(admins), tuple(chats),
                  frozenset(mapped))
    if message.kind != "text":
        return ctx.render("unsupported.j2", kind=message.kind)
    if (instead := plan_named.instead(ctx.render, scope, message.text, store.plans(), bot_name)) is not None:
        return replace(instead, plan_id=plan.id)
    ctx.index = plan_index(plan.id, ctx.tasks, directory)
    parsed = understand(clean_message(scope.text)[:MAX_TEXT], bot_name=bot_name, index=ctx.index, today=today,
                        plan_year=plan.year)
    for entry in REGISTRY:
        reply = entry.handler(ctx, parsed)
        if reply is not None:
            if entry.name in _EACH_PLAN and not scope.named and _across_plans(parsed, entry.name):
                reply = _each_plan(ctx, reply, scope, message, directory, entry)
            return plan_named.framed(ctx.render, replace(reply, read=not entry.writes, plan_id=plan.id), scope)
    raise AssertionError("the help intent answers everything")  # pragma: no cover


# The answers that every active plan gives its part of (DESIGN §5: a newer plan does not end
# another's answers): lists and counts by person, date or state, and the progress of each.
_EACH_PLAN = ("lists", "count", "progress")


def _across_plans(parsed: Query, intent: str) -> bool:
    """A list or count by person, date or state ("我的任务", "张伟负责什么", "本月到期", "逾期几项"),
    with no topic words, refs or sections (those are one plan's words), or the plan's progress
    or total: with several active plans each plan answers under its title."""
    if parsed.terms or parsed.refs or parsed.sections or parsed.unknown_refs:
        return False
    if intent == "progress" or (intent == "count" and not parsed.filtered):
        return True
    return bool(parsed.names or parsed.mine or parsed.window or parsed.asked.status)


def _each_plan(ctx: Context, reply: Reply, scope, message: Message, directory, entry) -> Reply:
    """``reply`` (the default plan's answer) followed by the ``entry`` intent's answer to the same question
    from every other plan active in the chat's scope that has tasks for it, each under its
    title; ``reply`` as it is when no other plan has any. A name taken from a slip is said once,
    in the first plan's answer."""
    plans = plan_choice.in_scope(ctx.store.plans(), ctx.chats, message.platform, message.chat_id)
    blocks = []
    for other in plan_choice.active(plans, ctx.today):
        if other.id == ctx.plan.id:
            continue
        other_ctx = replace(ctx, plan=other, memo={}, _tasks=None)
        other_ctx.index = plan_index(other.id, other_ctx.tasks, directory)
        parsed = understand(clean_message(scope.text)[:MAX_TEXT], bot_name=ctx.bot_name, index=other_ctx.index,
                            today=ctx.today, plan_year=other.year)
        parsed = replace(parsed, names=[replace(n, how="exact") if n.guessed else n for n in parsed.names])
        found = entry.handler(other_ctx, parsed) if _across_plans(parsed, entry.name) else None
        if found is not None and (found.refs or not parsed.filtered):
            blocks.append((other, found))
    if not blocks:
        return reply
    text = ctx.render("plan_named.j2", code="each", blocks=[(ctx.plan, reply), *blocks]).text
    return Reply(text, [*reply.refs, *(ref for _, found in blocks for ref in found.refs)])


def _completion_decides(store: Store, message: Message, scope, *, today: date, bot_name: str, directory):
    """A 完成 of a ref several active plans have goes to the one plan where the sender owns or
    leads it (also an admin: never a guess); with none or several such plans it is asked about
    (DESIGN §5, §6). ``scope`` is plan_named's; returns it, or it chosen."""
    fits = complete.plans_to_complete(store, message.person, scope.ref, scope.asked)
    if len(fits) != 1:
        return scope
    plan = fits[0]
    text = clean_message(scope.said or message.text)[:MAX_TEXT]
    parsed = understand(text, bot_name=bot_name, index=plan_index(plan.id, store.tasks(plan.id), directory),
                        today=today, plan_year=plan.year)
    if not complete.is_completion(parsed) or scope.ref not in parsed.refs:
        return scope
    return replace(scope, plan=plan, asked=[], text=scope.said or message.text, named=True)


# The intent modules register themselves on import; they need the names above.
from handlers import asked, complete, confirm_account, help, notes, plan_named, query  # noqa: E402, F401
