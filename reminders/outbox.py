"""Delivering the outbox: every queued push until its platform confirms it (DESIGN §5 "Never lost").

A row is marked sent only after the platform answered errcode 0, recorded the moment that
answer is read (one writer job, shielded from cancellation): a push is delivered twice only
if the process dies between the platform's errcode 0 and that commit, since the robots take
no idempotency key (README "Exactly once?"). Network errors, 5xx and rate limits (45009,
130101) are retried with backoff (30 s doubling to 30 min, or the platform's own "not
before") until 24 hours after the row was queued; a refusal that waiting cannot cure (93000
bad key, 310000 sign or keyword, a refused credential) is tried at most ``MAX_REFUSALS``
times with backoff. Either way the row is then failed and the admins are told once by
another channel (reminders/notices.py). Each chat's robot is paced to 20 messages in any
60 s (PROTOCOLS §2.1, §3.4). Time comes from the bot's clock, so tests step through it.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from bot.ops.outage import OutageLog
from bot.platforms import Outgoing, SendResult
from bot.runtime import Bot
from bot.store import outbox
from reminders.notices import notify_failed
from reminders.private import is_private

log = logging.getLogger("duban.outbox")

PER_MINUTE = 20
GIVE_UP_AFTER = timedelta(hours=24)
MAX_REFUSALS = 3
LEASE = timedelta(minutes=2)  # a row being sent is not taken by another loop for this long
FIRST_BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(minutes=30)

Send = Callable[[Outgoing], Awaitable[SendResult]]


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed try: 30 s, 1 min, 2 min … at most 30 min."""
    return min(FIRST_BACKOFF * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


class Sender:
    """Sends due outbox rows through ``platforms`` (name → async send)."""

    def __init__(self, bot: Bot, platforms: dict[str, Send]):
        self.bot = bot
        self.platforms = platforms
        self.outages = OutageLog(log)  # a network outage is logged once, and its end once

    async def deliver_due(self) -> int:
        """Try every row due now; returns how many were confirmed. The store's reads and writes
        run on the bot's worker threads (``Bot.offload``), the sends on the event loop."""
        now = self.bot.clock.now()
        confirmed = 0
        for row in await self.bot.offload(outbox.due_rows, self.bot.store, now.isoformat()):
            confirmed += await self._deliver(row, now)
        return confirmed

    async def _deliver(self, row: outbox.OutboxRow, now: datetime) -> int:
        send = await self.bot.offload(self._ready, row, now)
        if send is None:
            return 0
        try:
            result = await send(Outgoing(row.chat, row.text, row.refs, row.mentions, row.markdown, row.title))
        except Exception as error:  # one broken robot must not stop the others
            log.exception("outbox %d to %s: sending raised", row.id, row.chat)
            result = SendResult(False, -1, f"{type(error).__name__}: {error}"[:200], retryable=True)
        # Recorded at once by the writer (no other wait in between), and committed even if this
        # delivery is cancelled: the window for a second delivery is this commit alone.
        return await self.bot.record(self._record, row, result, now)

    def _ready(self, row: outbox.OutboxRow, now: datetime) -> Send | None:
        """The send for ``row`` with the row leased to us; None (and the row rescheduled or
        given up) when it is not to be sent now."""
        store = self.bot.store
        if now - datetime.fromisoformat(row.created_at) > GIVE_UP_AFTER:
            with store.unit():
                outbox.mark_failed(store, row.id, row.last_error or "undelivered for 24 hours")
                notify_failed(self.bot, row, row.last_error or "", now.isoformat(), refused=False)
            return None
        recent = outbox.sent_times(store, row.chat, (now - timedelta(seconds=60)).isoformat())
        if len(recent) >= PER_MINUTE:
            free_at = datetime.fromisoformat(recent[-PER_MINUTE]) + timedelta(seconds=60)
            outbox.mark_retry(store, row.id, free_at.isoformat(), "paced: 20 a minute", attempted=False)
            return None
        send = self.platforms.get(row.platform)
        if send is None:
            outbox.mark_retry(store, row.id, (now + MAX_BACKOFF).isoformat(), f"platform {row.platform} is off")
            return None
        if not outbox.lease(store, row.id, now.isoformat(), (now + LEASE).isoformat()):
            return None  # another delivery loop is sending it
        return send

    def _record(self, row: outbox.OutboxRow, result: SendResult, now: datetime) -> int:
        """Mark ``row`` sent (1) or schedule its next try, or fail it (0), by what the platform said."""
        store = self.bot.store
        if result.ok:
            outbox.mark_sent(store, row.id, self.bot.clock.now().isoformat())
            self.outages.up(row.platform)
            return 1
        error = f"{result.code} {result.detail}".strip()
        if result.retryable:
            next_at = result.retry_at or now + backoff(row.attempts + 1)
            outbox.mark_retry(store, row.id, next_at.isoformat(), error)
            if result.code == -1:  # no answer at all: the network, not this push
                self.outages.down(row.platform, result.detail)
            else:
                log.warning("outbox %d to %s: %s; next try %s", row.id, row.chat, error, next_at.isoformat())
            return 0
        check = "the app and this person's id" if is_private(row.platform) else "this chat's robot"
        if row.refusals + 1 >= MAX_REFUSALS:
            outbox.mark_failed(store, row.id, error, refused=True)
            log.error("outbox %d to %s refused %d times: %s (check %s in config); not tried again", row.id,
                      row.chat, MAX_REFUSALS, error, check)
            notify_failed(self.bot, row, error, now.isoformat(), refused=True)
            return 0
        next_at = now + backoff(row.refusals + 1)
        outbox.mark_refused(store, row.id, next_at.isoformat(), error)
        log.error("outbox %d to %s refused: %s (check %s in config); try %d of %d at %s", row.id, row.chat, error,
                  check, row.refusals + 2, MAX_REFUSALS, next_at.isoformat())
        return 0
