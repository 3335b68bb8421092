"""Two active plans numbered differently (DESIGN §5): the annual plan 1, 2, 3 … and a 专项督办
list by part, 1.1, 1.2, 2.1. A ref only the list has goes to the list, asked or closed, as the
list's own reminder tells its owners to reply ("完成 1.2"); counts and progress answer for
each active plan under its title; a ref neither has is explained in the default plan's way
of numbering."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import make_bot

ANNUAL = "测试市科协2026年重点工作计划"
SPECIAL = "2026年岁末年初安全生产专项督办清单"
ANNUAL_TEXT = f"""{ANNUAL}
2026年1月10日
1. 开展科普进校园活动，责任人：张伟，12月20日前完成。
2. 举办青少年机器人竞赛，责任人：李红，12月31日前完成。
3. 编写年度科普报告，责任人：张伟，11月30日前完成。
"""
SPECIAL_TEXT = f"""{SPECIAL}
2026年11月20日
一、消防安全
1. 整改科技馆消防隐患，责任人：张伟，12月10日前完成。
2. 开展消防演练，责任人：王芳，11月25日前完成。
二、节日安全
1. 开展冬季安全检查，责任人：孙浩，2027年1月15日前完成。
"""


@pytest.fixture
def office(tmp_path):
    (tmp_path / "annual.txt").write_text(ANNUAL_TEXT, encoding="utf-8")
    (tmp_path / "special.txt").write_text(SPECIAL_TEXT, encoding="utf-8")
    bot = make_bot(tmp_path, on=date(2026, 12, 3), plan=tmp_path / "annual.txt")
    bot.import_plan(tmp_path / "special.txt")
    assert [(p.title, [t.ref for t in bot.store.tasks(p.id)]) for p in bot.store.plans()] == [
        (ANNUAL, ["1", "2", "3"]), (SPECIAL, ["1.1", "1.2", "2.1"])]
    yield bot
    bot.close()


def test_a_ref_only_the_other_plan_has_is_answered_from_it(office):
    assert office.say("1.2").text.splitlines()[:2] == [
        f"（按《{SPECIAL}》回答）", "【1.2】开展消防演练，11月25日前完成。"]


def test_a_completion_of_a_ref_only_the_other_plan_has_closes_it_there(office):
    assert office.say("完成 1.1", as_="张伟").text.splitlines() == [
        f"（按《{SPECIAL}》回答）", "1.1 已全部完成，办结。", "整改科技馆消防隐患，12月10日前完成。"]
    assert [(p.title, t.ref) for p in office.store.plans() for t in office.store.tasks(p.id) if t.done] == [
        (SPECIAL, "1.1")]


def test_a_ref_neither_plan_has_is_explained_as_the_default_plan_numbers(office):
    assert office.say("1.9").text == "没有编号为 1.9 的任务。任务编号按计划里的序号写；发“所有任务”可看全部编号。"


def test_counts_and_progress_answer_for_each_active_plan(office):
    assert office.say("逾期几项").text.splitlines() == [
        f"《{ANNUAL}》", "逾期未完成的任务一共1项：",
        "3 编写年度科普报告，11月30日前完成｜11月30日前·11月30日｜已逾期3天", "",
        f"《{SPECIAL}》", "逾期未完成的任务一共1项：",
        "1.2 开展消防演练，11月25日前完成｜11月25日前·11月25日｜已逾期8天"]
    assert [line for line in office.say("进度").text.splitlines() if "进度" in line] == [
        f"{ANNUAL}进度：已完成0/3项，逾期未完成1项。", f"{SPECIAL}进度：已完成0/3项，逾期未完成1项。"]


def test_a_bare_completion_shows_refs_that_work_as_they_are(office):
    assert office.say("完成", as_="张伟").text.splitlines() == [
        "请带上任务编号，如“完成 1”。你未完成的任务：", f"《{ANNUAL}》", "1 开展科普进校园活动，12月20日前完成。",
        "3 编写年度科普报告，11月30日前完成。", f"《{SPECIAL}》", "1.1 整改科技馆消防隐患，12月10日前完成。"]


def test_a_slip_in_a_name_is_said_once_for_all_plans(office):
    text = office.say("张维负责什么").text
    assert text.count("按 张伟 回答（你写的是“张维”）。") == 1
    assert text.splitlines()[:2] == [f"《{ANNUAL}》", "按 张伟 回答（你写的是“张维”）。"]


@pytest.mark.parametrize("question", ["安全生产专项的任务", "岁末年初专项督办的任务", "专项督办安全生产有哪些"])
def test_a_plan_named_by_several_runs_of_its_title_words_lists_all_its_tasks(office, question):
    assert office.say(question).text.splitlines()[:3] == [
        f"（按《{SPECIAL}》回答）", "任务（3项）：",
        "1.1 整改科技馆消防隐患，12月10日前完成｜12月10日前·12月10日｜还有7天"]


def test_undoing_the_close_of_a_task_with_no_owner_names_no_empty_progress(tmp_path):
    from tests.plans import tab_plan

    plan = tab_plan(tmp_path / "p.txt", [
        {"工作内容": "迎接省级复审", "完成时间": "11月底前", "牵头领导": "王建国"},
        {"工作内容": "开展消费维权宣传", "完成时间": "10月底前", "牵头领导": "王建国", "相关部室、单位": "消保股"}],
        title="某县市场监管局2026年度工作要点")
    bot = make_bot(tmp_path, on=date(2026, 9, 1), plan=plan)
    try:
        assert bot.say("完成 1.2", as_="王建国").text.splitlines()[0] == "1.2 已全部完成，办结。"
        assert bot.say("撤销", as_="王建国").text == "已撤销：1.2 重新打开，进度 0/1，待：消保股。"
        assert bot.say("完成 1.1", as_="王建国").text.splitlines()[0] == "1.1 已全部完成，办结。"
        assert bot.say("撤销", as_="王建国").text == "已撤销：1.1 重新打开。"  # nobody to wait for: no "0/0"
    finally:
        bot.close()
