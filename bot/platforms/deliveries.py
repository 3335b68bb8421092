"""Answering a platform message once, whatever its platform redelivers (DESIGN §6).

:class:`Deliveries`: a callback platform that retries (WeCom HTTP) — once, within the deadline,
or later by push. :func:`answer_by_push`: a platform whose answer is always a push (DingTalk's
sessionWebhook, the WeCom long connection).

DESIGN §6: the same (platform, msg_id) is applied once. The first delivery this process sees
starts the work, which claims the msg_id in the store and answers on a worker thread in one
hop (a msg_id claimed before, by another process or before a restart, is not worked again);
the delivery answers passively if the answer is ready within
``deadline_s``, else acknowledges empty and the answer goes out by push when ready. A retry
that comes while the answer is not yet out gets that same answer as its passive reply; once
an answer has gone out (passive or push), retries get an empty acknowledgement. Whatever the
timing, people see one answer, and the work (a 完成) runs once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

from bot.messages import Message, Reply
from bot.runtime import Bot

log = logging.getLogger("duban.deliveries")

Push = Callable[[Reply], Awaitable[bool]]
FORGET_AFTER_S = 600


def claim_and_answer(bot: Bot, platform: str, key: str,
                     build: Callable[[], Message]) -> tuple[bool, Reply | None, dict | None]:
    """On a worker thread, in one hop: ``build()`` the Message (it reads the store to know the
    sender), claim msg_id ``key`` and answer it. Returns (True, reply, None) when claimed here,
    else (False, None, the stored inbound row) for the caller's redelivery rule."""
    message = build()
    if bot.store.claim_inbound(platform, key, message.sender_id, message.chat_id, message.received_at.isoformat()):
        return True, bot.answer(message), None
    return False, None, bot.store.inbound(platform, key)


class Deliveries:
    """In-flight answers of one platform, by msg_id."""

    def __init__(self, bot: Bot, platform: str, deadline_s: float):
        self.bot = bot
        self.platform = platform
        self.deadline_s = deadline_s
        self._answers: dict[str, asyncio.Future] = {}
        self._waiting: dict[str, int] = {}
        self._tasks: set[asyncio.Task] = set()
        # Called with the msg_id when a redelivery starts waiting for an answer still being made.
        self.on_wait: Callable[[str], None] | None = None

    async def answer(self, key: str, build: Callable[[], Message], push: Push) -> Reply | None:
        """The reply to give passively now to message ``key``, or None for an empty
        acknowledgement. ``build()`` makes the Message; it runs on a worker thread with the
        claim and the answer (it reads the store to know the sender), one hop for all three."""
        if key not in self._answers:
            self._answers[key] = asyncio.get_running_loop().create_future()
            task = asyncio.create_task(self._work(key, build, push))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        else:
            log.info("%s msgid %s delivered again", self.platform, key)
            if self.on_wait:
                self.on_wait(key)
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            reply = await asyncio.wait_for(asyncio.shield(self._answers[key]), timeout=self.deadline_s)
        except asyncio.TimeoutError:  # not builtin TimeoutError before Python 3.11
            return None
        finally:
            self._waiting[key] -= 1
        if reply is None:
            return None
        won = await self.bot.offload(self.bot.store.answer_inbound, self.platform, key, reply.text, "passive")
        return reply if won else None

    async def _work(self, key: str, build: Callable[[], Message], push: Push) -> None:
        try:
            claimed, reply, row = await self.bot.offload(claim_and_answer, self.bot, self.platform, key, build)
            if not claimed:  # claimed before (another process, before a restart): its answer if never out
                reply = Reply(row["reply"]) if row and not row["delivered_via"] and row["reply"] is not None else None
        except Exception:
            # Logged, and the callback acknowledged empty: a bug must not become a 500 that
            # WeCom retries, nor leave a waiting request without an answer.
            log.exception("%s msgid %s: answering failed", self.platform, key)
            self._answers.pop(key).set_result(None)
            return
        self._answers[key].set_result(reply)
        # Retries come within minutes; forget the answer after that (the store keeps it).
        asyncio.get_running_loop().call_later(FORGET_AFTER_S, self._answers.pop, key, None)
        await asyncio.sleep(0)  # a request waiting for this answer delivers it passively
        if not claimed or reply is None or self._waiting.get(key):
            return
        won = await self.bot.offload(self.bot.store.answer_inbound, self.platform, key, reply.text, "push")
        if won and not await push(reply):
            log.warning("%s msgid %s: the late answer could not be pushed", self.platform, key)


# Push answers being made, by (bot, platform, msg_id): a redelivery waits for the first one.
_IN_FLIGHT: dict[tuple[int, str, str], asyncio.Future] = {}
IN_FLIGHT_WAIT_S = 30


async def answer_by_push(bot: Bot, platform: str, key: str, build: Callable[[], Message], send: Push,
                         via: str) -> Reply | None:
    """Claim msg_id ``key``, answer it (:func:`claim_and_answer`, one hop) and ``send`` the
    answer (True when the platform took it); the stored record says ``via`` or "failed". A
    redelivery waits for a first delivery still in progress here (a reconnect can bring one
    mid-answer); if the answer then stands "failed", the redelivery sends the stored answer;
    any other redelivery does nothing. Returns the reply sent, or None when nothing was sent."""
    store = bot.store
    flight = (id(bot), platform, key)
    if flight in _IN_FLIGHT:
        with contextlib.suppress(asyncio.TimeoutError):  # not builtin TimeoutError before 3.11
            await asyncio.wait_for(asyncio.shield(_IN_FLIGHT[flight]), IN_FLIGHT_WAIT_S)
    done = asyncio.get_running_loop().create_future()
    _IN_FLIGHT.setdefault(flight, done)
    try:
        try:
            claimed, reply, row = await bot.offload(claim_and_answer, bot, platform, key, build)
        except Exception:
            log.exception("%s msgid %s: answering failed", platform, key)
            return None
        if not claimed:
            if not row or row["reply"] is None or row["delivered_via"] != "failed":
                log.info("%s msgid %s delivered again; already handled", platform, key)
                return None
            reply = Reply(row["reply"])
            if await send(reply):
                await bot.offload(store.redeliver_inbound, platform, key, via)
            return reply
        sent = await send(reply)
        await bot.offload(store.answer_inbound, platform, key, reply.text, via if sent else "failed")
        return reply
    finally:
        if _IN_FLIGHT.get(flight) is done:
            del _IN_FLIGHT[flight]
        done.set_result(None)
