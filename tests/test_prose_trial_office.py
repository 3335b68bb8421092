"""A new office's own prose plan (issues 14 and 11), as its tester wrote it: tests/data/qingshan_safety_prose.txt
(a covering notice, 一、 sections, （一） tasks, a （一） group over "1." tasks, owners in comma clauses
anywhere in the sentence) and a variant with the owners in brackets before the deadline
(tests/data/qingshan_safety_prose_variant.txt). Both are made up by our tester, so they are copied here.

What was wrong and is pinned here: owner clauses not at a sentence's very end were lost
("X负责，责任人A、B，6月底前完成"), a group's unannotated "1./2." became one task, a single run of
"1." under one heading got refs "1","2" beside "1.1", a bracket and a 责任人 clause made two tasks,
a date named with its day ("11月9日<某日>前完成") was no deadline, a task naming no one gave no
warning, the preview counted the skipped paragraphs without naming them, and table cells naming a
range or several dates were unread.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from bot.plan import read_plan
from bot.plan.preview import preview
from bot.plan.rules.deadlines import parse_deadline
from bot.plan.rules.milestones import Milestone
from bot.plan.rules.text_deadlines import find_dates
from tests.prose_plans import word_copy

DATA = Path(__file__).resolve().parent / "data"
PLAN = DATA / "qingshan_safety_prose.txt"
VARIANT = DATA / "qingshan_safety_prose_variant.txt"

QUARTERS = [Milestone(date(2026, 3, 31), "第一季度末"), Milestone(date(2026, 6, 30), "第二季度末"),
            Milestone(date(2026, 9, 30), "第三季度末"), Milestone(date(2026, 12, 31), "第四季度末")]

# ref, content, deadline text, due, ongoing, lead units, units, cooperating, owners, milestones
EXPECTED = [
    ("1.1", "召开2026年教育系统安全工作会议，层层签订安全责任书。3月15日前完成。", "3月15日前",
     date(2026, 3, 15), False, ["安全保卫科"], [], ["办公室"], ["马骏"], []),
    ("1.2", "修订完善《校园安全工作责任清单》，明确校长为第一责任人。6月底前完成。", "6月底前",
     date(2026, 6, 30), False, [], ["政策法规科"], [], ["罗平", "马骏"], []),
    ("1.3", "落实学校安全工作季度例会制度，每季度末前召开。", "每季度末前召开", date(2026, 12, 31), True,
     ["安全保卫科"], [], ["各学校"], ["马骏"], QUARTERS),
    ("2.1.1", "对全区校舍开展一次全面安全鉴定，建立危房台账。2026年5月31日前完成。", "2026年5月31日前",
     date(2026, 5, 31), False, ["计划财务科"], [], [], ["郑磊"], []),
    ("2.1.2", "汛期前完成学校排水设施和围墙隐患整改，汛期前（5月20日前）完成。", "5月20日前", date(2026, 5, 20), False,
     [], ["安全保卫科", "计划财务科"], [], ["马骏", "郑磊"], []),
    ("2.2.1", "开展校车安全专项检查，每学期开学后两周内完成一次。", "", None, False, [], [], [], ["何勇"], []),
    ("2.2.2", "联合市场监管部门开展学校食堂食品安全检查，10月底前完成第二轮检查。", "10月底前",
     date(2026, 10, 31), False, ["体卫艺科"], [], [], ["何勇", "高静"], []),
    ("3.1", "每学期组织不少于2次应急疏散演练，11月9日全国消防日前完成秋季学期演练。", "11月9日全国消防日前",
     date(2026, 11, 9), False, ["安全保卫科"], [], ["各学校"], ["马骏"], []),
    ("3.2", "举办全区校园安全管理人员培训班。9月中旬完成。", "9月中旬", date(2026, 9, 20), False,
     [], ["教师发展中心"], [], ["高静"], []),
    ("3.3", "年底前完成校园视频监控与公安系统联网。", "年底前", date(2026, 12, 31), False, [], [], [], ["周涛"], []),
]


def _reading(plan) -> list[tuple]:
    return [(t.ref, t.content, t.deadline.text, t.deadline.due, t.deadline.ongoing, t.lead_units, t.units,
             t.cooperating, t.owners, t.milestones) for t in plan.tasks]


def test_the_office_prose_plan_reads_exactly_from_its_text_and_from_word(tmp_path):
    for path in (PLAN, word_copy(PLAN, tmp_path / "plan.docx")):
        plan = read_plan(path)
        assert (plan.title, plan.year, plan.issued) == (
            "青山区教育局2026年教育系统安全工作要点", 2026, date(2026, 2, 20))
        assert [s.heading for s in plan.sections] == [
            "一、压实安全工作责任", "二、强化重点领域整治", "三、提升应急处置能力"]
        assert _reading(plan) == EXPECTED
        assert [t.lead for t in plan.tasks] == [[]] * 10
        assert plan.problems == []


def test_the_variant_with_owners_in_brackets_gives_one_numbering():
    plan = read_plan(VARIANT)
    assert [(t.ref, t.content, t.deadline.due, t.lead_units, t.units, t.cooperating, t.owners) for t in plan.tasks] == [
        ("1.1", "召开2026年教育系统安全工作会议，层层签订安全责任书。3月15日前完成。", date(2026, 3, 15),
         ["安全保卫科"], [], ["办公室"], ["马骏"]),
        ("1.2", "修订完善《校园安全工作责任清单》。6月底前完成。", date(2026, 6, 30), [], ["政策法规科"], [],
         ["罗平", "马骏"]),
        ("2.1.1", "对全区校舍开展一次全面安全鉴定，建立危房台账。2026年5月31日前完成。", date(2026, 5, 31),
         ["计划财务科"], [], [], ["郑磊"]),
        ("2.1.2", "完成学校排水设施和围墙隐患整改。5月20日前完成。", date(2026, 5, 20), [], [], [], ["马骏", "郑磊"]),
    ]
    assert plan.problems == []


def _write(tmp_path: Path, lines: list[str]) -> Path:
    path = tmp_path / "plan.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_owner_clauses_are_read_in_any_order_among_the_comma_clauses(tmp_path):
    plan = read_plan(_write(tmp_path, [
        "某市统计局2025年工作要点", "一、夯实统计基础",
        "（一）开展经济普查入户登记，4月10日前完成，由普查中心牵头，各科室配合，责任人：赵一。",
        "（二）修订统计调查制度。法规科负责，责任人钱二、孙三，8月底前完成。",
        "（三）编印统计年鉴，责任人李四，综合科负责，11月底前印发。",
        "（四）培训基层统计员，全年开展。办公室、人事科负责。",
    ]))
    assert [(t.ref, t.content, t.deadline.due, t.lead_units, t.units, t.cooperating, t.owners) for t in plan.tasks] == [
        ("1.1", "开展经济普查入户登记，4月10日前完成。", date(2025, 4, 10), ["普查中心"], [], ["各科室"], ["赵一"]),
        ("1.2", "修订统计调查制度。8月底前完成。", date(2025, 8, 31), [], ["法规科"], [], ["钱二", "孙三"]),
        ("1.3", "编印统计年鉴，11月底前印发。", date(2025, 11, 30), [], ["综合科"], [], ["李四"]),
        ("1.4", "培训基层统计员，全年开展。", date(2025, 12, 31), [], ["办公室", "人事科"], [], []),
    ]
    assert plan.problems == []


def test_lead_and_helpers_joined_by_a_comma_of_enumeration_and_a_holiday_deadline_in_the_sentence(tmp_path):
    plan = read_plan(_write(tmp_path, [
        "某县市场监管局2026年专项整治方案", "一、质量抽检",
        "（一）开展产品质量抽检。抽检股牵头、县检测中心配合，完成抽检50批次，责任人：刘芳，9月30日前完成。",
        "（二）开展安全消费提示。消保股负责，责任人钱敏，国庆节前发布消费提示。",
    ]))
    assert [(t.ref, t.deadline.text, t.deadline.due, t.lead_units, t.cooperating, t.owners) for t in plan.tasks] == [
        ("1.1", "9月30日前", date(2026, 9, 30), ["抽检股"], ["县检测中心"], ["刘芳"]),
        ("1.2", "国庆节前", date(2026, 9, 30), [], [], ["钱敏"]),
    ]
    assert plan.tasks[1].units == ["消保股"]


def test_a_clause_that_only_looks_like_an_owner_stays_the_task_text(tmp_path):
    plan = read_plan(_write(tmp_path, [
        "某市统计局2025年工作要点", "一、夯实统计基础",
        "（一）压实责任，各地负责，专人负责，6月底前完成（责任单位：法规科）。",
        "（二）召开座谈会，积极配合，9月底前完成（责任单位：综合科）。",
    ]))
    assert [(t.ref, t.content, t.units, t.owners) for t in plan.tasks] == [
        ("1.1", "压实责任，各地负责，专人负责，6月底前完成。", ["法规科"], []),
        ("1.2", "召开座谈会，积极配合，9月底前完成。", ["综合科"], []),
    ]


def test_two_groups_naming_the_same_role_are_still_two_tasks(tmp_path):
    plan = read_plan(_write(tmp_path, [
        "某市统计局2025年工作要点", "一、夯实统计基础",
        "1.建设数据平台（责任单位：信息科），组织数据质量核查（责任单位：法规科）。",
        "2.开展专项调查（牵头单位：调查队；配合单位：综合科），每月召开，责任人：周五。",
    ]))
    assert [(t.ref, t.content, t.lead_units, t.units, t.cooperating, t.owners, t.deadline.text)
            for t in plan.tasks] == [
        ("1.1", "建设数据平台", [], ["信息科"], [], [], ""),
        ("1.2", "组织数据质量核查。", [], ["法规科"], [], [], ""),
        ("2", "开展专项调查，每月召开。", ["调查队"], [], ["综合科"], ["周五"], "每月召开"),
    ]


def test_a_group_whose_items_name_no_one_is_read_as_its_sibling_group_and_warned(tmp_path):
    plan = read_plan(_write(tmp_path, [
        "某某局2026年工作要点", "一、甲方面", "（一）开展甲检查（牵头单位：综合科），6月底前完成。",
        "二、乙方面", "（一）场地", "1. 完成场地改造。", "2. 完成设备更新。",
        "（二）人员", "1. 组织业务培训（责任单位：人事科），9月底前完成。",
        "2. 开展岗位练兵（责任单位：人事科），10月底前完成。",
    ]))
    assert [(t.ref, t.content, t.units, t.lead_units) for t in plan.tasks] == [
        ("1.1", "开展甲检查，6月底前完成。", [], ["综合科"]), ("2.1.1", "完成场地改造。", [], []),
        ("2.1.2", "完成设备更新。", [], []), ("2.2.1", "组织业务培训，9月底前完成。", ["人事科"], []),
        ("2.2.2", "开展岗位练兵，10月底前完成。", ["人事科"], [])]
    assert [(p.code, p.line, p.ref, p.value) for p in plan.problems] == [
        ("prose_nobody", 6, "2.1.1", "完成场地改造。"), ("prose_nobody", 7, "2.1.2", "完成设备更新。")]
    shown = preview(plan)
    assert ("第6行（2.1.1）：没有读到牵头单位、责任单位或责任人，导入后只有管理员能标记完成；"
            "请核对原文：完成场地改造。…") in shown
    assert "警告：2" in shown


def test_a_plan_naming_no_one_at_all_gets_one_warning(tmp_path):
    plan = read_plan(_write(tmp_path, ["某某局2026年工作要点", "一、甲方面", "（一）开展甲检查。", "（二）开展乙检查。",
                                       "二、乙方面", "（一）开展丙检查。"]))
    assert [(p.code, p.line, p.count) for p in plan.problems] == [("prose_nobody_at_all", None, 3)]
    assert "全部3项都没有写明牵头单位、责任单位或责任人，导入后只有管理员能标记完成" in preview(plan)


def test_the_preview_names_the_paragraphs_it_did_not_read_as_tasks():
    shown = preview(read_plan(PLAN))
    assert shown.split("\n未作为任务的段落：")[1].split("\n预览到此为止")[0].strip().splitlines() == [
        "2处",
        "第1行起7段“青山区教育局文件…”：计划标题之前的印发通知、文号、主送和落款，不是任务",
        "第29行“各单位要高度重视，加强组织领导，确保各项…”：最后一项之后的结束语、落款、日期、抄送，不是任务",
        "警告：无",
    ]


def test_a_date_named_with_its_day_is_the_due_date():
    assert parse_deadline("11月9日全国消防日前完成", 2026).due == date(2026, 11, 9)
    assert parse_deadline("9月10日教师节前", 2026).due == date(2026, 9, 10)
    assert parse_deadline("4月23日“世界读书日”前", 2026).due == date(2026, 4, 23)
    assert [(p.text, p.due) for p in find_dates("组织演练，6月16日安全生产月活动日前完成总结。", 2026)] == [
        ("6月16日安全生产月活动日前", date(2026, 6, 16))]
    # A name with no 前 after it is an event, not a deadline.
    assert find_dates("举办11月9日全国消防日宣传活动。", 2026) == []


def test_a_cell_naming_a_range_is_due_at_its_end():
    read = {text: parse_deadline(text, 2026) for text in (
        "5月至8月", "5至8月", "5月-8月", "3月1日至5日前", "2026年5月至2027年6月", "8月至5月")}
    assert {text: (r.due, r.schedule) for text, r in read.items()} == {
        "5月至8月": (date(2026, 8, 31), ()), "5至8月": (date(2026, 8, 31), ()), "5月-8月": (date(2026, 8, 31), ()),
        "3月1日至5日前": (date(2026, 3, 5), ()), "2026年5月至2027年6月": (date(2027, 6, 30), ()),
        "8月至5月": (None, ())}
    assert parse_deadline("2021-6-30", 2026).due == date(2021, 6, 30)


def test_a_day_written_with_about_is_that_day():
    read = {text: parse_deadline(text, 2026).due for text in ("4月26日前后", "4月26日左右", "5月中旬左右", "5月前后")}
    assert read == {"4月26日前后": date(2026, 4, 26), "4月26日左右": date(2026, 4, 26),
                    "5月中旬左右": date(2026, 5, 20), "5月前后": None}


def test_a_cell_naming_several_dates_is_due_on_the_last_with_each_a_milestone():
    two = parse_deadline("4月上旬；7月20日前", 2026)
    assert (two.due, two.ongoing, two.schedule) == (date(2026, 7, 20), False, (
        Milestone(date(2026, 4, 10), "4月上旬"), Milestone(date(2026, 7, 20), "7月20日前")))
    twice = parse_deadline("上半年1期、下半年1期", 2026)
    assert (twice.due, twice.schedule) == (date(2026, 12, 31), (
        Milestone(date(2026, 6, 30), "上半年1期"), Milestone(date(2026, 12, 31), "下半年1期")))
    # A part that is no date keeps the whole cell unread, as before.
    assert parse_deadline("6月底前完成初稿，9月底前定稿", 2026).due is None
    assert parse_deadline("全年开展、每月通报", 2026).due is None


def test_a_table_with_such_deadline_cells_imports_their_due_dates_and_milestones(tmp_path):
    path = tmp_path / "某局2026年重点工作任务分解表.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([
            ["序号", "工作任务", "责任科室", "责任人", "完成时限"],
            ["1", "开展防溺水专题教育。", "安全保卫科", "马骏", "5月至8月"],
            ["2", "组织中考备考会和质量分析会。", "教研室", "林芳", "4月上旬；7月20日前"],
            ["3", "举办校级干部培训班。", "组织人事科", "孙丽娟", "上半年1期、下半年1期"],
            ["4", "开展消防演练。", "安全保卫科", "马骏", "11月9日全国消防日前"]])
    plan = read_plan(path, 2026)
    assert [(t.ref, t.deadline.text, t.deadline.due, t.deadline.ongoing, t.milestones) for t in plan.tasks] == [
        ("1", "5月至8月", date(2026, 8, 31), False, []),
        ("2", "4月上旬；7月20日前", date(2026, 7, 20), False,
         [Milestone(date(2026, 4, 10), "4月上旬"), Milestone(date(2026, 7, 20), "7月20日前")]),
        ("3", "上半年1期、下半年1期", date(2026, 12, 31), False,
         [Milestone(date(2026, 6, 30), "上半年1期"), Milestone(date(2026, 12, 31), "下半年1期")]),
        ("4", "11月9日全国消防日前", date(2026, 11, 9), False, []),
    ]
    assert plan.problems == []


def test_a_labelled_tail_stops_before_a_deadline_clause_and_lead_phrases_read_in_the_sentence(tmp_path):
    plan = read_plan(_write(tmp_path, [
        "某某局2026年工作要点", "一、甲方面",
        "（一）开展甲检查。责任人：张三，6月底前完成。",
        "（二）开展乙检查，由综合科负责，财务科配合，9月底前完成。",
        "（三）开展丙检查，综合科、财务科分别牵头，10月底前完成。",
        "（四）开展丁检查，11月底前完成，责任人：李四、王五。",
        "（五）开展戊检查。牵头单位：综合科；配合单位：财务科、各区，县级市。",
    ]))
    assert [(t.ref, t.content, t.deadline.due, t.lead_units, t.units, t.cooperating, t.owners) for t in plan.tasks] == [
        ("1.1", "开展甲检查。6月底前完成。", date(2026, 6, 30), [], [], [], ["张三"]),
        ("1.2", "开展乙检查，9月底前完成。", date(2026, 9, 30), [], ["综合科"], ["财务科"], []),
        ("1.3", "开展丙检查，10月底前完成。", date(2026, 10, 31), ["综合科", "财务科"], [], [], []),
        ("1.4", "开展丁检查，11月底前完成。", date(2026, 11, 30), [], [], [], ["李四", "王五"]),
        ("1.5", "开展戊检查。", None, ["综合科"], [], ["财务科", "各区", "县级市"], []),
    ]
