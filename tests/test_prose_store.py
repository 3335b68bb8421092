"""A prose plan in the store: questions work on its tasks (issue 14 "Must show": after plan 09,
"市发改委负责什么" lists exactly the tasks naming its lead unit); a file that is no plan changes
nothing (issue 14 "Bad input")."""

from __future__ import annotations

from datetime import date

import pytest

from bot.plan import PlanError
from tests.conftest import make_bot, refs
from tests.prose_bad_input_texts import novel
from tests.prose_plans import PLANS


@pytest.fixture
def guangzhou(tmp_path):
    """A bot whose plan is 09 (穗府办〔2006〕19号), imported from its text copy, on 2006-05-02."""
    bot = make_bot(tmp_path, on=date(2006, 5, 2), plan=PLANS / "09_guangzhou_2006_sfb19" / "source.txt")
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


def test_a_novel_imported_over_a_plan_changes_nothing(tmp_path, bot):
    before = [t.to_json() for t in bot.store.tasks(bot.store.active_plan().id)]
    path = tmp_path / "小说.txt"
    path.write_text(novel(12, 40), encoding="utf-8")
    with pytest.raises(PlanError, match="编号只是章节标题"):
        bot.import_plan(path, 2020)
    assert [t.to_json() for t in bot.store.tasks(bot.store.active_plan().id)] == before and len(before) == 35
