"""Rules the prose interpreter added to bot/plan/rules (issue 14): deadline phrases inside a
sentence and whose they are, number forms prose uses, labels ended by blanks."""

from __future__ import annotations

from datetime import date

import pytest

from bot.plan.rules.labels import split_labelled
from bot.plan.rules.numbering import read_label
from bot.plan.rules.text_deadlines import find_dates


@pytest.mark.parametrize("text, found", [
    ("于2012年10月底前完成验收", [("2012年10月底前", date(2012, 10, 31), None)]),
    ("到2020年，全市建成示范站30个", [("到2020年", date(2020, 12, 31), None)]),
    ("2021年起5年内全部完成", [("2021年起5年内", date(2025, 12, 31), None)]),
    ("三年内完成", [("三年内", date(2027, 12, 31), None)]),
    ("九月上旬启动，12月20日前验收", [("九月上旬", date(2025, 9, 10), None), ("12月20日前", date(2025, 12, 20), None)]),
    ("上半年完成试点，年底前全面推开", [("上半年", date(2025, 6, 30), None), ("年底前", date(2025, 12, 31), None)]),
    ("第二、三季度开展巡展", [("第二、三季度", date(2025, 9, 30), None)]),
    ("到6月底基本建成", [("到6月底", date(2025, 6, 30), None)]),
    ("指导各县（市、区）于6月底前完成摸底", [("6月底前", date(2025, 6, 30), "各县（市、区）")]),
    ("推动县级于9月底前建立联席会议制度", [("9月底前", date(2025, 9, 30), "县级")]),
    ("市科协于6月底前完成摸底", [("6月底前", date(2025, 6, 30), None)]),
    ("2月30日前完成", [("2月30日前", None, None)]),
    ("每季度最后一个月的30日前报送，按月公开", []),
    ("带动未来五年投资1000亿元，每年招引项目100个", []),
    ("深入实施纲要（2016-2020年），力争2020年有新形象，近三年来成效明显", []),
])
def test_deadline_phrases_inside_a_sentence(text, found):
    assert [(d.text, d.due, d.actor) for d in find_dates(text, 2025, ["市科协"])] == found


def test_a_phrase_keeps_its_clause():
    assert [(d.clause, d.start, d.end) for d in find_dates("落实政策，第二季度开展督查。", 2025)] == [
        ("第二季度开展督查", 5, 9)]


@pytest.mark.parametrize("text, style, number, unit, rest", [
    ("1）组织培训", "half_bracketed_arabic", 1, "", "组织培训"),
    ("2)编印年鉴", "half_bracketed_arabic", 2, "", "编印年鉴"),
    ("1.2月底前完成修订", "arabic", 1, "", "2月底前完成修订"),
    ("第三条 实施范围", "part", 3, "条", "实施范围"),
    ("第二章　任务", "part", 2, "章", "任务"),
])
def test_number_forms_prose_uses(text, style, number, unit, rest):
    label = read_label(text)
    assert (label.style, label.number, label.unit, label.rest) == (style, number, unit, rest)


def test_a_decimal_is_still_no_number():
    assert [read_label(t) for t in ("1.5万元", "2.3%", "5.30全国科技工作者日")] == [None, None, None]


def test_blanks_end_a_value_before_the_next_label():
    assert split_labelled("责任单位：市教育局、市科协  完成时间：11月底前") == [
        ("责任单位", "units", "市教育局、市科协"), ("完成时间", "deadline", "11月底前")]
    assert split_labelled("牵头领导：王建国；相关部室、单位：办公室、学会部") == [
        ("牵头领导", "lead", "王建国"), ("相关部室、单位", "units", "办公室、学会部")]
