"""Answering a platform message once, whatever its platform redelivers (DESIGN §6).

:class:`Deliveries`: a callback platform that retries (WeCom HTTP) — once, within the deadline,
or later by push. :func:`answer_by_push`: a platform whose answer is always a push (DingTalk's
sessionWebhook, the WeCom long connection).

A message is the same message again only with the same :class:`~bot.messages.InboundKey`
(platform, chat, sender, msg id): two senders whose messages carry one MsgId each get their
own answer. The first delivery this process sees starts the work, which claims the key,
answers and records the answer in one transaction on the writer thread
(:func:`claim_and_answer`; a key claimed before, by another process or before a restart, is
not worked again). The delivery answers passively if the answer is ready within
``deadline_s``, else acknowledges empty and the answer goes out by push when ready. A retry
that comes while the answer is not yet out gets that same answer as its passive reply; once
an answer has gone out (passive or push), retries get an empty acknowledgement. A stored
answer that never went out (the process died first) is the passive reply to the next
delivery. Whatever the timing, people see one answer, and the work (a 完成) runs once.

Memory is bounded: an answer is forgotten ``FORGET_AFTER_S`` after it was made (the store
keeps it; swept when a new message comes), and at most ``MAX_ENTRIES`` are kept, the oldest
dropped first.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.messages import InboundKey, Message, Reply
from bot.runtime import Bot
from bot.store import inbound

log = logging.getLogger("duban.deliveries")

Push = Callable[[Reply], Awaitable[bool]]
FORGET_AFTER_S = 600
MAX_ENTRIES = 10_000


def claim_and_answer(bot: Bot, build: Callable[[], Message]) -> tuple[bool, Reply | None, dict | None]:
    """On the writer thread, inside one transaction (bot/writer.py): ``build()`` the Message (it
    reads the store to know the sender), claim its key, answer it and record the answer.
    Returns (True, reply, None) when claimed here, else (False, None, the stored inbound row)
    for the caller's redelivery rule. Raises what answering raised: then nothing of it is
    recorded, the claim included."""
    message = build()
    if not inbound.claim(bot.store, message.key, message.received_at.isoformat()):
        return False, None, inbound.stored(bot.store, message.key)
    reply = bot.answer(message)
    inbound.record_answer(bot.store, message.key, reply.text)
    return True, reply, None


def stored_answer(row: dict | None) -> Reply | None:
    """The answer a redelivery of a message claimed before should get passively: the stored one
    when it never went out (no delivery recorded, or its push failed); else None."""
    if row and row["reply"] is not None and row["delivered_via"] in (None, "failed"):
        return Reply(row["reply"])
    return None


async def _ready(answer: asyncio.Future, timeout_s: float) -> None:
    """Return when ``answer`` is done or ``timeout_s`` has passed, whichever is first; never
    cancels ``answer``. What ``wait_for(shield(answer))`` does, with less on every callback:
    one future, one timer, one callback."""
    if answer.done():
        return
    loop = asyncio.get_running_loop()
    woken = loop.create_future()

    def wake(_: object = None) -> None:
        if not woken.done():
            woken.set_result(None)

    answer.add_done_callback(wake)
    timer = loop.call_later(timeout_s, wake)
    try:
        await woken
    finally:
        timer.cancel()
        answer.remove_done_callback(wake)


@dataclass
class _Entry:
    answer: asyncio.Future
    waiting: int = 0
    delivered: bool = False  # the answer went out (passively or by push): later deliveries get nothing
    made: float = 0.0  # when the answer was ready (the loop's clock, seconds)


class Deliveries:
    """In-flight answers of one platform, by :class:`InboundKey`."""

    def __init__(self, bot: Bot, platform: str, deadline_s: float, *, max_entries: int = MAX_ENTRIES):
        self.bot = bot
        self.platform = platform
        self.deadline_s = deadline_s
        self.max_entries = max_entries
        self._entries: OrderedDict[InboundKey, _Entry] = OrderedDict()
        self._tasks: set[asyncio.Task] = set()
        # Called with the key when a redelivery starts waiting for an answer still being made.
        self.on_wait: Callable[[InboundKey], None] | None = None

    def __len__(self) -> int:
        return len(self._entries)

    async def answer(self, key: InboundKey, build: Callable[[], Message], push: Push) -> Reply | None:
        """The reply to give passively now to message ``key``, or None for an empty
        acknowledgement. ``build()`` makes the Message; it runs on the writer thread with the
        claim and the answer (it reads the store to know the sender)."""
        entry = self._entries.get(key)
        if entry is None:
            loop = asyncio.get_running_loop()
            self._sweep(loop.time())
            entry = _Entry(loop.create_future())
            self._entries[key] = entry
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
            task = asyncio.create_task(self._work(key, entry, build, push))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        else:
            log.info("%s message %s from %s delivered again", self.platform, key.msg_id, key.sender_id)
            if self.on_wait:
                self.on_wait(key)
        entry.waiting += 1
        try:
            await _ready(entry.answer, self.deadline_s)
        finally:
            entry.waiting -= 1
        # Not ready by the deadline: acknowledged empty (the answer is pushed when ready). Ready at
        # the same moment after all: this waiter was counted, so nobody pushes it; it goes here.
        reply = entry.answer.result() if entry.answer.done() else None
        if reply is None or entry.delivered:
            return None
        entry.delivered = True
        self.bot.record_later(inbound.mark_delivered, self.bot.store, key, "passive")
        return reply

    async def _work(self, key: InboundKey, entry: _Entry, build: Callable[[], Message], push: Push) -> None:
        try:
            claimed, reply, row = await self.bot.record(claim_and_answer, self.bot, build)
        except Exception:
            # Logged, and the callback acknowledged empty: a bug must not become a 500 that
            # WeCom retries. Nothing was recorded, so the next delivery is answered afresh.
            log.exception("%s message %s: answering failed", self.platform, key.msg_id)
            self._forget(key, entry)
            entry.answer.set_result(None)
            return
        if not claimed:  # claimed before (another process, before a restart): its answer if never out
            reply = stored_answer(row)
        entry.answer.set_result(reply)
        entry.made = asyncio.get_running_loop().time()  # forgotten FORGET_AFTER_S later (see _sweep)
        # A delivery still counted as waiting gives the answer passively; none: it is pushed.
        if not claimed or reply is None or entry.waiting or entry.delivered:
            return
        entry.delivered = True
        if not await self.bot.record(inbound.mark_delivered, self.bot.store, key, "push"):
            return  # delivered by someone else
        if not await push(reply):
            await self.bot.record(lambda: inbound.mark_delivered(self.bot.store, key, "failed", force=True))
            log.warning("%s message %s: the late answer could not be pushed; a redelivery gets it", self.platform,
                        key.msg_id)

    def _sweep(self, now: float) -> None:
        """Forget the answers made more than ``FORGET_AFTER_S`` before ``now`` (retries come within
        minutes; the store keeps the answer), oldest first, stopping at the first still being
        made. A sweep at each new message, not a timer per answer: under load that kept
        hundreds of thousands of timers in the event loop's heap (memory, and a costlier heap
        for every other timer)."""
        entries = self._entries
        while entries:
            key = next(iter(entries))
            entry = entries[key]
            if not entry.answer.done() or now - entry.made < FORGET_AFTER_S:
                return
            del entries[key]

    def _forget(self, key: InboundKey, entry: _Entry) -> None:
        if self._entries.get(key) is entry:
            del self._entries[key]


# Push answers being made, by (bot, key): a redelivery waits for the first one.
_IN_FLIGHT: dict[tuple[int, InboundKey], asyncio.Future] = {}
IN_FLIGHT_WAIT_S = 30


async def answer_by_push(bot: Bot, key: InboundKey, build: Callable[[], Message], send: Push,
                         via: str) -> Reply | None:
    """Claim message ``key``, answer it (:func:`claim_and_answer`, one transaction) and ``send``
    the answer (True when the platform took it); the stored record says ``via`` or "failed". A
    redelivery waits for a first delivery still in progress here (a reconnect can bring one
    mid-answer); if the answer then stands "failed" or was never sent, the redelivery sends
    the stored answer; any other redelivery does nothing. Returns the reply sent, or None
    when nothing was sent."""
    store = bot.store
    flight = (id(bot), key)
    if flight in _IN_FLIGHT:
        with contextlib.suppress(asyncio.TimeoutError):  # not builtin TimeoutError before 3.11
            await asyncio.wait_for(asyncio.shield(_IN_FLIGHT[flight]), IN_FLIGHT_WAIT_S)
    done = asyncio.get_running_loop().create_future()
    _IN_FLIGHT.setdefault(flight, done)
    try:
        try:
            claimed, reply, row = await bot.record(claim_and_answer, bot, build)
        except Exception:
            log.exception("%s message %s: answering failed", key.platform, key.msg_id)
            return None
        if not claimed:
            reply = stored_answer(row)
            if reply is None:
                log.info("%s message %s delivered again; already handled", key.platform, key.msg_id)
                return None
            if await send(reply):
                await bot.record(lambda: inbound.mark_delivered(store, key, via, force=True))
            return reply
        sent = await send(reply)
        await bot.record(inbound.mark_delivered, store, key, via if sent else "failed")
        return reply
    finally:
        if _IN_FLIGHT.get(flight) is done:
            del _IN_FLIGHT[flight]
        done.set_result(None)
