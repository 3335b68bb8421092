"""The shared plan rules (bot/plan/rules): labels, names in lists, 牵头/配合, deadline phrases, numbers.

The texts are cells and annotations of the real plans in tests/data/plans (DESIGN §3.1).
"""

from __future__ import annotations

from datetime import date

import pytest

from bot.plan.rules.deadlines import find_dated_clauses, find_schedule, parse_deadline
from bot.plan.rules.labels import content_breadth, label_role, split_labelled
from bot.plan.rules.names import read_parties, split_names
from bot.plan.rules.numbering import read_label, task_number


@pytest.mark.parametrize(("label", "role"), [
    ("序号", "number"), ("工作内容", "content"), ("完成 时间", "deadline"), ("牵头\n\n领导", "lead"),
    ("责任人", "owners"), ("相关部室、单位", "units"), ("民生实事", "content"), ("完成时限", "deadline"),
    ("区政府分管领导", "lead"), ("牵头单位", "lead_units"), ("配合单位", "cooperating"),
    ("责任科室(单位)", "units"), ("目标\n任务", "content"), ("主要责任单位", "units"),
    ("协同配合单位", "cooperating"), ("目标及质量要求", "content"), ("区政府办\n\n协管责任人", "supervisors"),
    ("完成情况", "progress"), ("备注", "remarks"), ("时间节点", "deadline"), ("进度安排", "deadline"),
    ("督办责任人", "supervisors"), ("具体责任人", "owners"), ("协办单位", "cooperating"), ("类别", "category"),
    ("加强组织领导，主要负责人年内至少听取1次汇报。", None), ("县水务局", None), ("12月底前", None),
])
def test_labels_name_their_roles(label, role):
    assert label_role(label) == role


def test_the_broader_of_two_content_labels_is_the_category():
    labels = ("工作任务", "具体要求", "项目名称", "主要内容", "重点工作任务")
    assert [content_breadth(x) for x in labels] == [2, 1, 2, 1, 1]


def test_labelled_annotations_split_by_role():
    assert split_labelled("牵头单位:市经贸委;配合单位:市发改委、国土房管局、外经贸局、规划局") == [
        ("牵头单位", "lead_units", "市经贸委"), ("配合单位", "cooperating", "市发改委、国土房管局、外经贸局、规划局")]
    assert split_labelled("责任单位：市科技局、市科协") == [("责任单位", "units", "市科技局、市科协")]
    assert split_labelled("加强组织领导") == []


@pytest.mark.parametrize(("cell", "role", "lead_units", "units", "cooperating"), [
    ("办公室牵头,各科室、单位配合", "units", ["办公室"], [], ["各科室、单位"]),
    ("政工科牵头,办公室配合", "units", ["政工科"], [], ["办公室"]),
    ("各科室、单位", "units", [], ["各科室、单位"], []),
    ("市发改委牵头落实", "units", ["市发改委"], [], []),
    ("市金融办、人民银行潍坊市中心支行、潍坊银监分局分别牵头落实", "units",
     ["市金融办", "人民银行潍坊市中心支行", "潍坊银监分局"], [], []),
    ("办公室牵头、各科室参与", "units", ["办公室"], [], ["各科室"]),
    ("区政府有关部门,各乡镇人民政府、街道办事处。", "cooperating", [], [],
     ["区政府有关部门", "各乡镇人民政府、街道办事处"]),
    ("区投资促进中心。", "cooperating", [], [], ["区投资促进中心"]),
    ("区发改委", "lead_units", ["区发改委"], [], []),
    ("区统计局(数据统计评估牵头单位),\n\n区财政局、区商务粮食局、\n\n区工信局、区农林水务局、\n\n区房产分局、区交建局、"
     "\n\n区金融办,各乡、街道办事处", "cooperating", [], [],
     ["区统计局", "区财政局", "区商务粮食局", "区工信局", "区农林水务局", "区房产分局", "区交建局", "区金融办",
      "各乡、街道办事处"]),
])
def test_a_unit_cell_names_lead_responsible_and_cooperating_units(cell, role, lead_units, units, cooperating):
    parties = read_parties(cell, role)
    assert (parties.lead_units, parties.units, parties.cooperating) == (lead_units, units, cooperating)


@pytest.mark.parametrize(("text", "names"), [
    ("区工信局、区住建局、区卫健委,各乡镇人民政府、街道办事处,谯城经开区管委会,魏武国控集团。",
     ["区工信局", "区住建局", "区卫健委", "各乡镇人民政府、街道办事处", "谯城经开区管委会", "魏武国控集团"]),
    ("市双招双引办、市发改委,各县(市、区)政府、丽水开发区管委会",
     ["市双招双引办", "市发改委", "各县（市、区）政府", "丽水开发区管委会"]),
    ("市发改委、国土房管局、外经贸局、规划局", ["市发改委", "市国土房管局", "市外经贸局", "市规划局"]),
    ("市经贸委、国土房管局、规划局、黄埔区政府、南沙区政府",
     ["市经贸委", "市国土房管局", "市规划局", "黄埔区政府", "南沙区政府"]),
    ("市科协、市科技局等相关部门", ["市科协", "市科技局", "相关部门"]),
    ("各区、县级市", ["各区、县级市"]),
    ("县水务局\n\n县住建局\n\n县护城河指挥部", ["县水务局", "县住建局", "县护城河指挥部"]),
    ("经开区\n\n高新园(邹区镇)\n\n各街道\n\n市国有公司", ["经开区", "高新园（邹区镇）", "各街道", "市国有公司"]),
    ("机关各部室、市科技馆、市属学（协）会、县（市、区）科协",
     ["机关各部室", "市科技馆", "市属学（协）会", "县（市、区）科协"]),
    ("市发改委、市财政局(除标注“分别牵头”外,列第一位为牵头或汇总单位,下同)", ["市发改委", "市财政局"]),
])
def test_names_in_lists(text, names):
    assert split_names(text) == names


def test_people_lists_keep_no_groups_and_share_no_place():
    assert split_names("林永禄\n\n童聪良", units=False) == ["林永禄", "童聪良"]
    assert split_names("县\n（市、区）\n科协主席、钟晓鹏", units=False) == ["县（市、区）科协主席", "钟晓鹏"]
    assert split_names("徐  平", units=False) == ["徐平"]


@pytest.mark.parametrize(("phrase", "due", "text"), [
    ("11 月底前", date(2017, 11, 30), "11 月底前"),
    ("9月投入使用", date(2017, 9, 30), "9月投入使用"),
    ("5月底前动工", date(2017, 5, 31), "5月底前动工"),
    ("于2018年6月底前", date(2018, 6, 30), "于2018年6月底前"),
    ("到2019年", date(2019, 12, 31), "到2019年"),
    ("一季度", date(2017, 3, 31), "一季度"),
    ("3月起每月开展", None, "3月起每月开展"),
    ("", None, ""),
])
def test_deadline_phrases_real_tables_use(phrase, due, text):
    deadline = parse_deadline(phrase, 2017)
    assert (deadline.due, deadline.text) == (due, text)


@pytest.mark.parametrize(("phrase", "dates"), [
    ("上半年、三季度、四季度", [(6, 30), (9, 30), (12, 31)]),
    ("第一、二、三、四季度", [(3, 31), (6, 30), (9, 30), (12, 31)]),
    ("第二三季度", [(6, 30), (9, 30)]),
])
def test_a_list_of_periods_is_a_schedule_due_at_its_last(phrase, dates):
    deadline = parse_deadline(phrase, 2020)
    assert [m.date for m in deadline.schedule] == [date(2020, *d) for d in dates]
    assert deadline.due == date(2020, *dates[-1])


def test_quarterly_targets_inside_a_cell():
    cell = "第三季度:落实区、镇(街)、村(社区)宗教工作三级网络。 第四季度:持续整治农村乱建庙宇,防止反弹。"
    found = find_schedule(cell, 2020)
    assert found.text == "第三季度 / 第四季度"
    assert [(m.date, m.text) for m in found.milestones] == [
        (date(2020, 9, 30), "第三季度：落实区、镇(街)、村(社区)宗教工作三级网络"),
        (date(2020, 12, 31), "第四季度：持续整治农村乱建庙宇,防止反弹")]
    assert find_schedule("竞争性专项:上半年、三季度、四季度任务分别为80、60、60万元。", 2020).due == date(2020, 12, 31)
    assert find_schedule("每季度通报一次进展", 2020) is None


@pytest.mark.parametrize(("text", "style", "number", "rest"), [
    ("一、进一步强化政治引领", "chinese", 1, "进一步强化政治引领"),
    ("（二）加强预期引导", "bracketed_chinese", 2, "加强预期引导"),
    ("(一)加强预期引导", "bracketed_chinese", 1, "加强预期引导"),
    ("第一部分 总体要求", "part", 1, "总体要求"),
    ("6、抓好", "arabic", 6, "抓好"),
    ("３．开展", "arabic", 3, "开展"),
    ("1.1.2 内容", "dotted", (1, 1, 2), "内容"),
    ("①开展", "circled", 1, "开展"),
    ("十一、加强", "chinese", 11, "加强"),
])
def test_labels_before_sections_and_tasks(text, style, number, rest):
    label = read_label(text)
    assert (label.style, label.number, label.rest) == (style, number, rest)


def test_a_date_or_a_plain_text_is_no_label():
    assert read_label("5.30全国科技工作者日") is None
    assert read_label("12月底前") is None


def test_number_cells():
    assert [task_number(c) for c in ("3", "3.", "５", "5.1", "①", "²", "", "a")] == ["3", "3", "5", "5.1", None, None,
                                                                                     None, None]


def test_a_deadline_in_brackets_is_a_milestone_of_its_clause():
    text = "主动公开并及时更新信息公开指南。按时发布政府信息公开年度报告(3 月底前)。力争（2020年）有新进展"
    assert [(m.date, m.text) for m in find_dated_clauses(text, 2017)] == [
        (date(2017, 3, 31), "按时发布政府信息公开年度报告(3 月底前)")]


@pytest.mark.parametrize(("text", "names"), [
    ("局长 周建华、宋玉", ["周建华", "宋玉"]),  # the post written before the name is not part of it
    ("副局长\u3000李四", ["李四"]),
    ("局长", ["局长"]),  # a post alone is a role, kept
    ("办公室 主任", ["办公室主任"]),
    ("局长周建华", ["周建华"]), ("李明 副局长", ["李明"]), ("周建华（局长）", ["周建华"]),
    ("四级调研员 李明", ["李明"]),
    ("县长助理", ["县长助理"]), ("主任科员", ["主任科员"]),  # posts, not a post and a name
])
def test_a_post_written_before_a_person_is_left_out(text, names):
    assert split_names(text, units=False) == names
