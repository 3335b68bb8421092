"""A written year no plan can be for is a slip, not a due date: "0001年1月3日" once stopped every
daily tick (a lead day before 0001-01-01) and "9999年" the calendar export."""

from __future__ import annotations

from datetime import date

import pytest

from bot.plan.rules.deadlines import parse_deadline


@pytest.mark.parametrize("text", ["0001年1月3日", "9999年12月31日", "9999年", "1900年6月底前"])
def test_a_year_far_from_the_plan_s_is_not_read(text):
    assert parse_deadline(text, 2026).due is None


@pytest.mark.parametrize(("text", "due"), [("2025年12月底前", date(2025, 12, 31)), ("到2030年", date(2030, 12, 31)),
                                          ("2027年1月底前", date(2027, 1, 31))])
def test_a_year_near_the_plan_s_is(text, due):
    assert parse_deadline(text, 2026).due == due
