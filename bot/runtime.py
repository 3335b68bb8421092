"""The bot assembled: config + clock + store + handlers. CLI, web app and tests all use it.

``Bot.say`` runs a text through the same handlers as a chat message, so what the CLI's
``ask`` prints is what a group would read.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import threading
import uuid
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from bot.clock import Clock, SystemClock
from bot.config import Config, is_sample
from bot.messages import Message, Reply
from bot.plan import PlanDraft, read_plan
from bot.plan.roles import mark_roles
from bot.render import ROOT, environment
from bot.store import ImportResult, Store, apply_plan
from bot.text import clean_name
from bot.writer import Writer
from handlers import MAX_TEXT, dispatch

log = logging.getLogger("duban")


class UnknownPerson(LookupError):
    """``--as NAME`` names nobody in the plan or config; ``known`` lists who is."""

    def __init__(self, name: str, known: list[str]):
        from bot.ops.words import phrase

        super().__init__(phrase("cli.j2", "unknown_person", name=repr(name), known=known))
        self.name, self.known = name, known


@dataclass
class Imported:
    """An import done: the plan as read, what changed, and the report text."""

    draft: PlanDraft
    result: ImportResult
    report: str


ANSWER_CACHE_SIZE = 2000  # distinct questions kept per plan-data version
ANSWER_CACHE_BYTES = 8 * 1024 * 1024  # and at most this much text (questions and answers, UTF-8)
WORKER_THREADS = 2


class Bot:
    """A bot over ``config`` with ``clock``; opens (creating or migrating) the configured store."""

    def __init__(self, config: Config, clock: Clock | None = None):
        self.config = config
        self.clock = clock or SystemClock(config.tz)
        self.store = Store(Path(config.bot.database), synchronous=config.bot.synchronous)
        self._env = environment(ROOT / "bot" / "templates")
        # Made here, not on first use: two event loops (the web app's, DingTalk Stream's) offload.
        self._worker = ThreadPoolExecutor(max_workers=WORKER_THREADS, thread_name_prefix="duban-worker")
        self.writer = Writer(self.store)
        self._answers: OrderedDict[tuple, tuple[Reply, int]] = OrderedDict()
        self._answers_bytes = 0
        self._answers_version: tuple | None = None
        self._chats_seen: set[str] = set()
        self._answers_lock = threading.Lock()

    def close(self) -> None:
        self._worker.shutdown(wait=True)
        self.writer.close()
        self.store.close()

    async def offload(self, fn, *args):
        """``fn(*args)`` (store reads and writes, answering) on one of the bot's few worker
        threads, so the event loop never waits on SQLite or a handler. Few, not Starlette's 40:
        the store has one connection behind one lock, and 40 threads queueing on it (and on the
        GIL) doubled p99 under load in bench/webhook.py; more than one, so that one slow job (a
        tick, a long answer) does not hold up a retry's claim behind it."""
        return await asyncio.get_running_loop().run_in_executor(self._worker, functools.partial(fn, *args))

    async def record(self, fn, *args):
        """``fn(*args)`` on the writer thread, inside its next group commit (bot/writer.py): for
        writes that must be on disk before the caller goes on (a message's claim and answer, an
        outbox row's "sent")."""
        return await self.writer.run(fn, *args)

    def record_later(self, fn, *args) -> None:
        """``fn(*args)`` in the writer's next group commit, not waited for (a passive answer's
        "delivered" mark: a redelivery after a crash that lost it is answered again, which is
        what WeCom's retry asks for anyway); not waiting for the disk either (``Writer.later``).
        A failure is logged."""
        self.writer.later(fn, *args)

    def import_plan(self, path: Path, year: int | None = None, actor: str = "cli", name: str | None = None) -> Imported:
        """Read and write the plan at ``path`` in one transaction; raises ``PlanError`` (nothing written).
        ``name``: the file's name as the office knows it, when kept elsewhere (bot.plan.read_plan)."""
        draft = read_plan(path, year, name)
        mark_roles(draft, set(self.config.roles), set(self.config.people))
        at = self.clock.now().isoformat()
        known = {plan.id for plan in self.store.plans()}
        result = apply_plan(self.store, draft, actor=actor, at=at)
        # Only a plan new to the store takes the sample's place: re-importing the office's own
        # plan after bringing the sample back leaves it as the office chose.
        sample = [] if result.plan_id in known else self._withdraw_sample(result.plan_id, actor=actor, at=at)
        milestones = [(t.ref, m) for t in draft.tasks for m in t.milestones]
        report = self.render("import_report.j2", plan=draft, result=result, milestones=milestones, sample=sample)
        return Imported(draft, result, report)

    def _withdraw_sample(self, imported: int, *, actor: str, at: str) -> list[str]:
        """The office imported a plan of its own: the bundled sample plan (the one `make run`
        starts with) is taken out of use, so its people, tasks and reminders are no longer the
        office's — unless somebody used it (a completion, a note, a reminder sent: then it is
        that office's plan and stays); the titles withdrawn. Importing it again brings it back."""
        titles = []
        for plan in self.store.plans():
            if plan.id != imported and is_sample(plan.source) and not self.store.plan_in_use(plan.id):
                self.store.withdraw_plan(plan.id, actor=actor, at=at)
                titles.append(plan.title)
        return titles

    def render(self, template: str, **data: object) -> str:
        """Render ``bot/templates/<template>`` (reports, banners) with the bot's name."""
        return self._env.get_template(template).render(bot_name=self.config.bot.name, **data).strip()

    def ensure_plan(self) -> Imported | None:
        """Import the configured (or bundled) plan when the store has none; else do nothing."""
        imported = None
        if self.store.is_empty():
            imported = self.import_plan(Path(self.config.bot.plan))
        if self.config.roles or self.config.units:
            self.store.sync_role_members(self.config.roles, actor="config", at=self.clock.now().isoformat(),
                                         units=self.config.units)
        self._check_chat_plans()
        return imported

    def _check_chat_plans(self) -> None:
        """Log each [[chats]] ``plans`` name that names no imported plan: that group then follows
        every plan (a plan not imported yet, or a typo in config)."""
        from bot.plan_choice import chosen

        plans = self.store.plans()
        for chat in self.config.chats:
            for name in chat.plans:
                if not chosen(plans, [name]):
                    log.warning("chats %r: plans entry %r names no imported plan (known: %s); until one does, "
                                "that group follows every plan", chat.name, name, "、".join(p.title for p in plans))

    def people(self) -> list[str]:
        """Everyone a local user may speak as: the plan's people and config's people."""
        names = self.store.directory().people
        return list(dict.fromkeys([*names, *self.config.people]))

    def person(self, name: str | None) -> str | None:
        """The person ``name`` speaks as (local chat, ``--as``); None for nobody.

        Raises :class:`UnknownPerson` for a name neither the plan nor config knows."""
        if not name:
            return None

        known = self.people()
        cleaned = clean_name(name)
        if cleaned not in known:
            raise UnknownPerson(name, known)
        return cleaned

    def say(self, text: str, as_: str | None = None, *, chat_id: str = "local") -> Reply:
        """Answer ``text`` as if ``as_`` (a person's name, or None) said it in the local chat."""
        message = Message(platform="local", chat_id=chat_id, sender_id=as_ or "", person=self.person(as_),
                          text=text, msg_id=f"local-{uuid.uuid4().hex[:16]}", received_at=self.clock.now())
        return self.answer(message)

    def answer(self, message: Message) -> Reply:
        """Answer a decoded platform message from the active plan. A task it closed leaves the
        reminders already queued for today (DESIGN §6: no reminder for a closed task); the
        change, and those withdrawals, are one transaction (joining the caller's, bot/writer.py).

        A question's answer is kept in memory, by everything it depends on, until the plan
        data changes (``Store.plan_data_version``): the plan is read-mostly, and the same
        question asked again costs a dictionary lookup instead of parsing and rendering. The
        key is what the handlers read of the message (its first ``MAX_TEXT`` characters), and
        the memory is bounded by entries and by bytes, least recently used out first."""
        self._note_chat(message)
        today = self.clock.today()
        key = (message.kind, message.text[:MAX_TEXT], message.person, (message.quoted_text or "")[:MAX_TEXT],
               message.chat_id, today)
        with self._answers_lock:
            version = self.store.plan_data_version()
            if version != self._answers_version:
                self._answers.clear()
                self._answers_bytes, self._answers_version = 0, version
            if key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key][0]
        with self.store.unit():
            reply = self._dispatch(message, today)
        # Kept only if nothing changed while it was made, checked and stored under one lock: a
        # reset by another thread in between must not receive an answer made before a write.
        with self._answers_lock:
            if reply.read and self._answers_version == version == self.store.plan_data_version():
                self._remember(key, reply)
        return reply

    def _remember(self, key: tuple, reply: Reply) -> None:
        size = len(key[1].encode("utf-8", "replace")) + len(key[3].encode("utf-8", "replace")) + \
            len(reply.text.encode("utf-8", "replace")) + 200
        if key in self._answers:
            return
        self._answers[key] = (reply, size)
        self._answers_bytes += size
        while self._answers and (len(self._answers) > ANSWER_CACHE_SIZE or self._answers_bytes > ANSWER_CACHE_BYTES):
            _, (_, dropped) = self._answers.popitem(last=False)
            self._answers_bytes -= dropped

    def _note_chat(self, message: Message) -> None:
        """Log, once, a group the bot hears from that config does not list: how an admin finds
        the chat_id to write under [[chats]] (WeCom and DingTalk show it nowhere else)."""
        chat = message.chat_id
        if message.platform == "local" or chat in self._chats_seen or chat.startswith(("single:", "app:")):
            return
        self._chats_seen.add(chat)
        if not any(c.chat_id == chat for c in self.config.chats):
            log.info("%s chat_id %s is not under [[chats]] in config; add it to link that group to its "
                     "reminders (message from %s)", message.platform, chat, message.person or message.sender_id)

    def _dispatch(self, message: Message, today) -> Reply:
        from bot.store.completion import BindingRefused

        try:
            reply = dispatch(self.store, message, today=today, bot_name=self.config.bot.name,
                             admins=tuple(self.config.bot.admins), chats=tuple(self.config.chats),
                             mapped=frozenset(name for name, ids in self.config.people.items()
                                              if ids.wecom or ids.dingtalk))
        except BindingRefused as refused:  # nothing was written; the sender is told why
            return Reply(self.render("binding_refused.j2", reason=refused.reason, person=refused.person,
                                     limit=refused.limit, admins=self.config.bot.admins))
        if reply.closed:
            from reminders.withdraw import withdraw

            for ref in reply.closed:
                withdraw(self, reply.plan_id, ref)
        return reply

    def identify(self, platform: str, sender_id: str, nick: str | None = None) -> str | None:
        """The person a platform sender is: config ``[people]`` first, then a confirmed binding."""
        from bot.identity import person_for
        from bot.store.completion import bound_person

        # The plan's names only where a nick may count (they cost a store read on every message).
        known = self.people() if nick and platform == "dingtalk" and self.config.dingtalk.trust_sender_nick else None
        return person_for(self.config, platform, sender_id, nick, known) or (
            bound_person(self.store, platform, sender_id) if sender_id else None)
