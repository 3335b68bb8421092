"""The scheduler inside ``duban serve``: APScheduler 3 ``AsyncIOScheduler`` with one daily
tick at ``reminders.time`` and an outbox delivery every few seconds (DESIGN §5).

The tick's trigger is built with an explicit ``timezone`` (Asia/Shanghai by default), never
from a crontab string, which APScheduler reads in the host's zone (cases/bug14: a 09:00
reminder at 17:00 Beijing time on a UTC host). At start-up, if today's tick time has passed
and today's tick has not run, it runs now; earlier missed days are not replayed one by one
(cases/bug16). Jobs live in memory and are added with fixed ids and ``replace_existing``,
so a restart never meets a ConflictingIdError; claims in the store, not the scheduler,
keep a second process from sending anything twice (cases/bug13).
"""

from __future__ import annotations

import logging
from datetime import datetime, time

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger

from bot.runtime import Bot
from bot.store import outbox
from reminders.outbox import Send, Sender
from reminders.tick import run_tick

log = logging.getLogger("duban.reminders")

DELIVERY_EVERY_S = 5


def tick_trigger(bot: Bot) -> CronTrigger:
    """The daily trigger at ``reminders.time`` in ``bot.timezone`` (explicitly: cases/bug14)."""
    hour, minute = (int(part) for part in bot.config.reminders.time.split(":"))
    return CronTrigger(hour=hour, minute=minute, timezone=bot.config.tz)


class ReminderService:
    """Ticks and delivery for one bot; ``start()`` inside a running event loop, ``shutdown()`` at exit."""

    def __init__(self, bot: Bot, platforms: dict[str, Send], *, catch_up_any_time: bool = False):
        self.bot = bot
        # ``duban serve --today D`` (a demo of day D) runs that day's tick at start-up, whatever the hour.
        self.catch_up_any_time = catch_up_any_time
        self.sender = Sender(bot, platforms)
        self.scheduler = AsyncIOScheduler(timezone=bot.config.tz)

    def tick_time(self, day) -> datetime:
        hour, minute = (int(part) for part in self.bot.config.reminders.time.split(":"))
        return datetime.combine(day, time(hour, minute), tzinfo=self.bot.config.tz)

    def due_at_start(self) -> bool:
        """Today's tick time has passed and today's tick has not run."""
        now = self.bot.clock.now()
        passed = self.catch_up_any_time or now >= self.tick_time(now.date())
        return passed and not outbox.tick_ran(self.bot.store, now.date().isoformat())

    async def tick(self) -> list[int]:
        """Run today's tick (claims make a second run that day queue nothing), then deliver."""
        ids = await self.bot.offload(run_tick, self.bot, self.bot.clock.today())
        if ids:
            log.info("tick %s queued %d push(es)", self.bot.clock.today(), len(ids))
        await self.deliver()
        return ids

    async def deliver(self) -> int:
        return await self.sender.deliver_due()

    async def start(self) -> None:
        self.scheduler.add_job(self.tick, tick_trigger(self.bot), id="daily-tick", replace_existing=True,
                               coalesce=True, max_instances=1, misfire_grace_time=3600)
        self.scheduler.add_job(self.deliver, "interval", seconds=DELIVERY_EVERY_S, id="outbox-delivery",
                               replace_existing=True, coalesce=True, max_instances=1)
        self.scheduler.start()
        if self.due_at_start():
            await self.tick()

    def shutdown(self) -> None:
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
