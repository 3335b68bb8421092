"""The seed plan imports exactly as the hand-checked reading says (DESIGN §3)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bot.plan import read_plan
from bot.plan.roles import looks_like_role
from tests.plans import EXPECTED, SEED, expected_json

EXPECTED_DATA = json.loads(EXPECTED.read_text(encoding="utf-8"))


def test_all_35_tasks_match_the_hand_checked_table(bot):
    plan = bot.store.active_plan()
    got = [t.to_json() for t in bot.store.tasks(plan.id)]
    for task in got:
        assert task.pop("status") == "open"
        assert task.pop("shares") == [{"owner": o, "done": False, "at": None} for o in task["owners"]]
    assert got == [expected_json(t, with_state=False) for t in EXPECTED_DATA["tasks"]]


def test_plan_facts_from_the_title_and_issue_date():
    draft = read_plan(SEED)
    assert (draft.title, draft.year, draft.issued) == ("龙岩市科协2020年度工作要点", 2020, date(2020, 3, 16))
    assert [(s.no, s.numeral, s.title) for s in draft.sections] == [
        (s["index"], s["number"], s["title"]) for s in EXPECTED_DATA["sections"]
    ]
    assert [sum(t.section == s.position for t in draft.tasks) for s in draft.sections] == [7, 8, 9, 7, 4]
    assert draft.problems == []


def test_deadline_phrases_are_counted_as_the_table_has_them():
    draft = read_plan(SEED)
    counts: dict[str, int] = {}
    for task in draft.tasks:
        counts[task.deadline.text] = counts.get(task.deadline.text, 0) + 1
    assert counts == EXPECTED_DATA["deadline_phrase_counts"]
    assert sum(t.deadline.ongoing for t in draft.tasks) == 25


def test_people_and_roles_are_told_apart():
    draft = read_plan(SEED)
    names = {n for t in draft.tasks for n in (*t.lead, *t.owners)}
    assert names == set(EXPECTED_DATA["people"])
    assert {n: ("role" if looks_like_role(n) else "person") for n in names} == {
        n: p["kind"] for n, p in EXPECTED_DATA["people"].items()
    }


def test_units_index_matches():
    draft = read_plan(SEED)
    index: dict[str, list[str]] = {}
    for task in draft.tasks:
        for unit in task.units:
            index.setdefault(unit, []).append(task.ref)
    assert index == EXPECTED_DATA["units_index"]


def test_the_3_3_row_of_design_section_3(bot):
    task = bot.store.task(bot.store.active_plan().id, "3.3")
    assert (task.content, task.due, task.owners, task.lead) == (
        "举办第13届市青少年科技创新大赛。", date(2020, 11, 30), ["林永禄", "童聪良"], ["徐锦清"])
    one_seven = bot.store.task(bot.store.active_plan().id, "1.7")
    assert one_seven.due == date(2020, 6, 30)
    assert [(m.date, m.text) for m in one_seven.milestones] == [(date(2020, 5, 30), "5.30")]
    assert one_seven.owners == ["钟晓鹏", "县（市、区）科协主席"]


@pytest.mark.parametrize("year", [2021, 2027])
def test_year_flag_overrides_the_title(year):
    draft = read_plan(SEED, year)
    assert draft.year == year
    task = next(t for t in draft.tasks if t.ref == "3.3")
    assert task.deadline.due == date(year, 11, 30)
    assert next(t for t in draft.tasks if t.ref == "1.7").milestones[0].date == date(year, 5, 30)
