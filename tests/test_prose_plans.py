"""Every prose or label-block plan in ../shared/plans reads exactly as its hand-checked
expected.json says (issue 14 "Must show"): one whole-table assertion per plan."""

from __future__ import annotations

import pytest

from bot.plan.prose import interpret
from tests.prose_plans import PLANS, PROSE_PLANS, YEARS, expected, expected_reading, reading, text_document


def _cut_off(folder: str) -> set[str]:
    tail = expected(folder)["truncated_tail"]
    return {tail["ref"]} if tail else set()


@pytest.mark.parametrize("folder", PROSE_PLANS)
def test_source_text_reads_as_expected(folder):
    plan = interpret(text_document(PLANS / folder / "source.txt"), YEARS.get(folder))
    tasks = [row for row in reading(plan) if row["ref"] not in _cut_off(folder)]
    assert tasks == expected_reading(folder)
    assert plan.year == expected(folder)["plan_year"] or folder in YEARS
    if expected(folder)["title"]:
        assert plan.title == expected(folder)["title"]
