"""Other offices' real tables import to exactly their hand-checked readings (issue 11 "Must show").

tests/data/plans holds 13 real plans (copies of ../shared/plans); the 7 tables come as the
web copy (source.txt) and as rebuilt Word and Excel files. One whole-table assertion per plan
and file: ref, section, content, deadline_text, due, lead, owners, units, cooperating.
"""

from __future__ import annotations

import pytest

from bot.plan import read_plan
from tests.plan_readings import cut_off, expected, plan_file, plan_json, reading

TABLES = ["01_dazhu_2016_minsheng", "02_zhonglou_2021_minsheng", "03_weihai_swj_2017_zwgk", "04_weifang_2017_zwgk",
          "05_qiaocheng_jyj_2025", "06_yangling_tzb_2020_fenji", "07_yueyanglou_2018_q1_taizhang"]
# The web copies with cells a reader can tell apart (02's and 03's run every cell together).
TEXT_COPIES = ["01_dazhu_2016_minsheng", "04_weifang_2017_zwgk", "05_qiaocheng_jyj_2025",
               "06_yangling_tzb_2020_fenji", "07_yueyanglou_2018_q1_taizhang"]
CASES = [(folder, name) for folder in TABLES for name in ("plan.docx", "plan.xlsx")]
CASES += [(folder, "source.txt") for folder in TEXT_COPIES]


@pytest.mark.parametrize(("folder", "name"), CASES, ids=[f"{f[:2]}-{n}" for f, n in CASES])
def test_a_real_table_reads_exactly_as_checked_by_hand(folder, name):
    draft = read_plan(plan_file(folder, name))
    assert draft.year == plan_json(folder)["plan_year"]
    assert reading(draft, leave_out=cut_off(folder)) == expected(folder)


def test_the_ledger_keeps_its_supervisors_and_progress_apart_from_the_owners():
    draft = read_plan(plan_file("07_yueyanglou_2018_q1_taizhang", "plan.docx"))
    assert [(t.ref, t.supervisors, t.progress[:10]) for t in draft.tasks] == [
        ("1", ["陈曦"], "完成地区生产总值12"), ("2", ["陈曦"], "完成一般公共预算收入"),
        ("3", ["陈曦"], "固定资产投资预计完成"), ("4", ["陈曦"], "城镇居民人均可支配收"),
        ("5", ["陈曦"], "成立了领导小组,联合"), ("6", ["王勇"], "已实现农村居民人均可")]
    assert draft.problems == []


def test_quarterly_targets_in_a_cell_are_milestones():
    draft = read_plan(plan_file("06_yangling_tzb_2020_fenji", "plan.xlsx"))
    assert [[m.date.isoformat() for m in t.milestones] for t in draft.tasks] == [
        [], ["2020-06-30", "2020-09-30", "2020-12-31"], ["2020-03-31", "2020-06-30", "2020-09-30", "2020-12-31"],
        ["2020-06-30", "2020-09-30"], ["2020-09-30", "2020-12-31"]]


def test_a_deadline_in_brackets_inside_the_text_is_a_milestone():
    draft = read_plan(plan_file("03_weihai_swj_2017_zwgk", "plan.xlsx"))
    assert [(t.ref, [(m.date.isoformat(), m.text) for m in t.milestones]) for t in draft.tasks if t.milestones] == [
        ("2.5", [("2017-03-31", "按时发布政府信息公开年度报告(3 月底前)")])]


def test_the_flattened_copies_import_with_a_warning_for_each_row():
    # 02's copy has no cell or paragraph separators at all; 03's puts spaces between some cells and
    # its merged group labels mid-group. The rows are found by their running 序号; their cells cannot
    # be told apart, so each row is one task holding all its text, and the report says so.
    zhonglou = read_plan(plan_file("02_zhonglou_2021_minsheng", "source.txt"))
    assert [(t.ref, t.content[:12]) for t in zhonglou.tasks] == [
        ("1", "增加教育资源供给实施新建"), ("2", "促进就业稳定增长落实就业"), ("3", "老城厢复兴发展完成瞿秋白"),
        ("4", "优化养老服务为全区230"), ("5", "文体惠民行动新建2家“秋")]
    assert [(p.code, p.ref) for p in zhonglou.problems] == [("cells_glued", r) for r in "12345"]
    weihai = read_plan(plan_file("03_weihai_swj_2017_zwgk", "source.txt"))
    assert [(t.ref, t.content[:8]) for t in weihai.tasks] == [
        ("1", "基础建设全面落实"), ("2", "平台建设建立例行"), ("3", "决策公开(1)落")]
    assert [(p.code, p.ref, p.value[:10]) for p in weihai.problems] == [
        ("cells_glued", "1", "基础建设全面落实“五"), ("cells_glued", "2", "平台建设建立例行新闻"),
        ("cells_glued", "3", "决策公开(1)落实重"), ("glued_before", None, "加强组织领导,主要负")]
