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
        except TimeoutError:
            return None
        finally:
            self._waiting[key] -= 1
        if reply is None:
            return None
        won = await self.bot.offload(self.bot.store.answer_inbound, self.platform, key, reply.text, "passive")
        return reply if won else None

    def _claim_and_answer(self, key: str, build: Callable[[], Message]) -> tuple[bool, Reply | None]:
        """(claimed here, reply): the answer to a message first seen now; for one claimed before
        (another process, or before a restart), its stored answer if it never went out, else None."""
        message = build()
        store = self.bot.store
        if store.claim_inbound(self.platform, key, message.sender_id, message.chat_id,
                               message.received_at.isoformat()):
            return True, self.bot.answer(message)
        row = store.inbound(self.platform, key)
        if row is None or row["delivered_via"] or row["reply"] is None:
            return False, None
        return False, Reply(row["reply"])

    async def _work(self, key: str, build: Callable[[], Message], push: Push) -> None:
        try:
            claimed, reply = await self.bot.offload(self._claim_and_answer, key, build)
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


async def answer_by_push(bot: Bot, platform: str, message: Message, send: Push, via: str) -> Reply | None:
    """Claim ``message``'s msg_id, answer it and ``send`` the answer (True when the platform took
    it); the stored record says ``via`` or "failed". A redelivery waits for a first delivery
    still in progress here (a reconnect can bring one mid-answer); if the answer then stands
    "failed", the redelivery sends the stored answer; any other redelivery does nothing.
    Returns the reply sent, or None when nothing was sent."""
    store, key = bot.store, message.msg_id
    flight = (id(bot), platform, key)
    claimed = await bot.offload(store.claim_inbound, platform, key, message.sender_id, message.chat_id,
                                message.received_at.isoformat())
    if not claimed:
        if flight in _IN_FLIGHT:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(_IN_FLIGHT[flight]), IN_FLIGHT_WAIT_S)
        row = await bot.offload(store.inbound, platform, key)
        if not row or row["reply"] is None or row["delivered_via"] != "failed":
            log.info("%s msgid %s delivered again; already handled", platform, key)
            return None
        reply = Reply(row["reply"])
        if await send(reply):
            await bot.offload(store.redeliver_inbound, platform, key, via)
        return reply
    done = _IN_FLIGHT[flight] = asyncio.get_running_loop().create_future()
    try:
        try:
            reply = await bot.offload(bot.answer, message)
        except Exception:
            log.exception("%s msgid %s: answering failed", platform, key)
            return None
        sent = await send(reply)
        await bot.offload(store.answer_inbound, platform, key, reply.text, via if sent else "failed")
        return reply
    finally:
        del _IN_FLIGHT[flight]
        done.set_result(None)
