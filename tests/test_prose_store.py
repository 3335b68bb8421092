"""A prose plan in the store: questions work on its tasks (issue 14 "Must show": after plan 09,
"市发改委负责什么" lists exactly the tasks naming its lead unit)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from bot.clock import SHANGHAI, FrozenClock
from bot.config import PROJECT_DIR, parse_config
from bot.plan.prose import interpret
from bot.plan.roles import mark_roles
from bot.runtime import Bot
from bot.store.plans import apply_plan
from tests.conftest import refs
from tests.prose_plans import PLANS, text_document


@pytest.fixture
def guangzhou(tmp_path):
    """A bot whose only plan is 09 (穗府办〔2006〕19号), read from its text, on 2006-05-02."""
    bot = Bot(parse_config({"bot": {"database": str(tmp_path / "duban.db")}}, "test", PROJECT_DIR, env={}),
              FrozenClock(datetime.combine(date(2006, 5, 2), time(10, 0), tzinfo=SHANGHAI)))
    draft = interpret(text_document(PLANS / "09_guangzhou_2006_sfb19" / "source.txt"), None)
    mark_roles(draft)
    apply_plan(bot.store, draft, actor="cli", at=bot.clock.now().isoformat())
    yield bot
    bot.close()


def test_a_lead_unit_s_tasks_are_every_task_naming_it(guangzhou):
    reply = guangzhou.say("市发改委负责什么").text
    assert refs(reply) == ["1.1", "1.2", "1.3"]  # lead of 1.2 and 1.3, cooperating in 1.1
    assert refs(guangzhou.say("市规划局负责什么").text) == ["1.1", "1.2", "1.5", "1.7"]


def test_a_task_shows_its_lead_and_cooperating_units(guangzhou):
    task = guangzhou.store.task(guangzhou.store.active_plan().id, "1.2")
    assert (task.lead, task.cooperating) == (
        ["市发改委"], ["市经贸委", "市国土房管局", "市规划局", "黄埔区政府", "南沙区政府"])
