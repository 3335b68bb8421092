"""The prose rules on a plan made for them (tests/data/prose_county_2025.txt: a covering notice
with its own numbered points and report date, 指导思想 and 保障措施 sections, three levels of
numbering, every way of writing owners and deadlines issue 14 lists), and each rule alone."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.plan.prose import interpret
from bot.plan.prose.labels import Segment, find_annotations, label_line
from bot.plan.prose.numbering import read_label
from bot.plan.prose.owners import ListRule, Parties, read_segment
from tests.prose_plans import text_document

COUNTY = Path(__file__).resolve().parent / "data" / "prose_county_2025.txt"


def _row(t) -> tuple:
    return (t.ref, t.section, t.content, t.deadline.text, t.deadline.due, t.lead, t.lead_units, t.units,
            t.cooperating, [(m.date, m.text) for m in t.milestones])


def test_a_county_plan_reads_every_way_of_writing_owners_and_deadlines():
    plan = interpret(text_document(COUNTY), None)
    assert (plan.title, plan.year, plan.issued) == ("测试县2025年重点工作任务分解方案", 2025, date(2025, 1, 6))
    assert [s.heading for s in plan.sections] == ["二、重点任务"]
    assert [_row(t) for t in plan.tasks] == [
        # bracketed labels; a prefix written once (财政局、人社局 → 县…); a date its owners keep
        ("2.1.1", 1, "推进政务服务“一网通办”，6月底前实现县级事项全部网上可办。", "6月底前", date(2025, 6, 30),
         [], ["县政务服务中心"], [], ["县发改局", "县财政局", "县人社局"], []),
        # "X牵头，Y配合" ending the sentence
        ("2.1.2", 1, "开展涉企收费专项清理", "", None, [], ["县市场监管局"], [], ["县财政局"], []),
        # 于YYYY年N月底前 and a quarter: the latest is due, the other a milestone; a rule for this item only
        ("2.1.3", 1, "落实减税降费政策，于2025年10月底前完成政策兑现，第二季度开展督查。", "2025年10月底前",
         date(2025, 10, 31), [], ["县税务局"], ["县财政局"], [], [(date(2025, 6, 30), "第二季度开展督查")]),
        # one owner line after sub-items: all of them; a date whose subject is another actor (乡镇)
        ("2.2.1", 1, "实施青年人才培养计划。", "", None, [], [], ["县人社局", "县科协"], [], []),
        ("2.2.2", 1, "举办专家服务基层活动，推动乡镇于9月底前建立专家工作站。", "", None, [], [],
         ["县人社局", "县科协"], [], [(date(2025, 9, 30), "乡镇于9月底前建立专家工作站")]),
        # a group's 牵头领导 line for every task under it; a 下同 rule: the first-listed leads from here on
        ("2.3.1", 1, "加快产业园二期建设，到2027年建成投产。", "到2027年", date(2027, 12, 31), ["王建国"],
         ["县发改局"], ["县工信局"], [], []),
        # N年内 from the plan year; a frequency (按月公开) is no deadline
        ("2.3.2", 1, "实施老旧小区改造，3年内完成全部改造任务，按月公开进度。", "3年内", date(2027, 12, 31),
         ["王建国"], ["县住建局"], ["各乡镇人民政府"], [], []),
        # 分别牵头 overrides the rule; ①② inside an item stay its content
        ("2.3.3", 1, "推进乡村道路提档升级①完成主干道路面改造；②完成村组道路硬化。", "", None, ["王建国"],
         ["县交通运输局", "县财政局"], [], [], []),
    ]
    # The notice's points (and its report date), 指导思想 and 保障措施 are context, listed with their place.
    assert [(p.code, p.line, p.value, p.count) for p in plan.context] == [
        ("skipped_front", 1, "测试县人民政府办公室关于印发测试县202", 7),
        ("skipped_preamble", 13, "为抓好全年重点工作落实，制定本方案。", 1),
        ("skipped_context_section", 15, "一、指导思想", 1),
        ("skipped_text", 16, "坚持稳中求进工作总基调，全面推进各项工作", 1),
        ("skipped_context_section", 36, "三、保障措施", 3),
        ("skipped_closing", 40, "抄送：县委办公室。", 3),  # its 联系人 line is no item's owner
    ]


def test_a_safeguards_section_whose_items_name_owners_is_read():
    text = COUNTY.read_text(encoding="utf-8").replace("（一）加强组织领导。各单位主要负责人要亲自抓。",
                                                     "（一）加强组织领导。（责任单位：县政府办公室）")
    plan = interpret(text_document(COUNTY, text), None)
    # 三's first item names its unit, so the section is work: both items are tasks (the 下同 rule
    # written at 2.3.1 still holds: its one unit leads).
    assert [(t.ref, t.section, t.content, t.lead_units, t.units) for t in plan.tasks[-2:]] == [
        ("3.1", 2, "加强组织领导。", ["县政府办公室"], []),
        ("3.2", 2, "强化督查考核。县政府督查室每季度通报一次。", [], [])]


@pytest.mark.parametrize("text, label, rest", [
    ("一、总体要求", ("chinese", 1, "一、", None), "总体要求"),
    ("  （十二）加快建设", ("bracketed_chinese", 12, "（十二）", None), "加快建设"),
    ("(3)开展调研", ("bracketed_arabic", 3, "(3)", None), "开展调研"),
    ("4）组织培训", ("half_bracketed_arabic", 4, "4）", None), "组织培训"),
    ("１．修订办法", ("arabic", 1, "１．", None), "修订办法"),
    ("1.2月底前完成", ("arabic", 1, "1.", None), "2月底前完成"),
    ("⑫完善制度", ("circled", 12, "⑫", None), "完善制度"),
    ("第三条　实施范围", ("part条", 3, "第三条\u3000", None), "实施范围"),
    ("第二章 重点任务", ("part章", 2, "第二章 ", None), "重点任务"),
    ("2.1.3 建设平台", ("dotted3", 3, "2.1.3 ", (2, 1, 3)), "建设平台"),
])
def test_item_numbers_keyed_for_nesting(text, label, rest):
    """A part's word and a dotted number's depth are levels of their own: 第一章 holds 第一条s."""
    found, after = read_label(text)
    assert ((found.style, found.number, found.text, found.path), after) == (label, rest)


def test_chapters_hold_articles_that_number_on():
    text = "\n".join(["测试局2025年重点工作安排", "第一章 总则", "第一条 本安排适用于全局。（责任单位：办公室）",
                     "第二条 各科室按职责分工落实。（责任单位：各科室）", "第二章 任务",
                     "第三条 6月底前修订制度。（责任单位：法规科）"])
    plan = interpret(text_document(COUNTY, text), None)
    assert [(t.ref, t.section, t.content, t.units, str(t.deadline.due)) for t in plan.tasks] == [
        ("1", 1, "本安排适用于全局。", ["办公室"], "None"), ("2", 1, "各科室按职责分工落实。", ["各科室"], "None"),
        ("3", 2, "6月底前修订制度。", ["法规科"], "2025-06-30")]
    assert [s.heading for s in plan.sections] == ["第一章 总则", "第二章 任务"]


def test_dotted_numbers_are_their_own_refs():
    text = "\n".join(["测试局2025年重点工作安排", "1 总体安排", "1.1 编制年度计划。（责任单位：计划科）",
                     "1.2 组织年度考核。（责任单位：人事科）", "2 专项工作", "2.1 推进数字化改造",
                     "2.1.1 建设数据平台。（责任单位：信息科）"])
    plan = interpret(text_document(COUNTY, text), None)
    assert [(t.ref, t.content, t.units) for t in plan.tasks] == [
        ("1.1", "编制年度计划。", ["计划科"]), ("1.2", "组织年度考核。", ["人事科"]),
        ("2.1.1", "建设数据平台。", ["信息科"])]


@pytest.mark.parametrize("text", ["5.30全国科技工作者日", "2.3%的增长", "一是加强领导", "2020年3月16日",
                                  "第二季度完成"])
def test_what_is_no_item_number(text):
    assert read_label(text) is None


def test_annotations_in_brackets_on_lines_and_after_the_sentence():
    groups = find_annotations("完善制度。(牵头单位:市发改委;配合单位:市财政局、统计局)建设科技公园(综合科技馆)。")
    assert [(g.start, g.end, [(s.role, s.label, s.value) for s in g.segments]) for g in groups] == [
        (5, 30, [("lead_units", "牵头单位", "市发改委"), ("cooperating", "配合单位", "市财政局、统计局")])]
    tail = find_annotations("开展调研。牵头单位：市科协；完成时限：6月底前")
    assert [[(s.role, s.value) for s in g.segments] for g in tail] == [
        [("lead_units", "市科协"), ("deadline", "6月底前")]]
    line = label_line("责任单位：市教育局、市科协  完成时间：11月底前")
    assert [(s.role, s.value) for s in line.segments] == [("units", "市教育局、市科协"), ("deadline", "11月底前")]
    assert label_line("责任到人，确保落实。") is None


@pytest.mark.parametrize("segment, rule, parties", [
    (("units", "市发改委、国土房管局、黄埔区政府"), None,
     {"units": ["市发改委", "市国土房管局", "黄埔区政府"]}),
    (("units", "市科协、市科技局等相关部门"), None, {"units": ["市科协", "市科技局", "相关部门"]}),
    (("units", "区教育局、区财政局"), ListRule(True, True, "列第一位为牵头单位，下同"),
     {"lead_units": ["区教育局"], "units": ["区财政局"]}),
    (("units", "区教育局、区财政局分别牵头"), ListRule(True, True, "列第一位为牵头单位，下同"),
     {"lead_units": ["区教育局", "区财政局"]}),
    (("lead_phrase", "市发改委牵头，市财政局、统计局配合"), None,
     {"lead_units": ["市发改委"], "cooperating": ["市财政局", "市统计局"]}),
    (("owners", "林  丽、县(市、区)科协主席"), None, {"owners": ["林丽", "县（市、区）科协主席"]}),
])
def test_an_annotation_s_names_by_role(segment, rule, parties):
    found = Parties()
    read_segment(Segment(segment[0], "", segment[1]), found, rule)
    assert {role: getattr(found, role) for role in found.roles()} == parties


def test_text_around_a_table_is_listed_as_context_when_it_reads_as_a_plan():
    from bot.plan.document import Cell, Document, Paragraph, Place, Row, Table
    from bot.plan.prose import beside_table

    table = Table([Row([Cell("序号"), Cell("工作内容")])], Place(table=1))
    prose = Document("plan.docx", [
        Paragraph("测试局2025年工作要点", Place(paragraph=1)), Paragraph("", Place(paragraph=2)),
        Paragraph("一、强化政治引领", Place(paragraph=3)), Paragraph("（一）压实责任。", Place(paragraph=4)),
        Paragraph("（二）抓好党建。", Place(paragraph=5)), table, Paragraph("抄送：市委办。", Place(paragraph=6))])
    assert [(p.code, p.place, p.value, p.count) for p in beside_table(prose)] == [
        ("skipped_beside_table", Place(paragraph=1), "测试局2025年工作要点", 4),
        ("skipped_beside_table", Place(paragraph=6), "抄送：市委办。", 1),
    ]
    # A title and a signature around a table are no plan: nothing to say.
    plain = Document("plan.docx", [Paragraph("测试局2025年工作要点", Place(paragraph=1)), table,
                                   Paragraph("抄送：市委办。", Place(paragraph=2))])
    assert beside_table(plain) == []


def test_owners_on_sub_items_and_label_lines_with_two_labels(tmp_path):
    text = "\n".join([
        "2024年测试科协工作要点",
        "一、加强党的建设",
        "（一）深化理论学习。全年开展专题学习12次。", "责任单位：办公室", "完成时限：12月底前",
        "（二）推进清廉机关建设。（牵头单位：机关党委；责任单位：各部室）。",
        "二、服务科技工作者",
        "（一）开展走访慰问。",
        "1、春节前走访慰问老科技工作者。",
        "（1）制定走访方案，1月10日前完成。（责任人：张三）",
        "（2）组织走访活动。（责任人：李四、王五）",
        "2、开展“最美科技工作者”学习宣传。", "责任单位：科普部",
        "（二）举办学术年会，11月中旬召开。", "牵头单位：学会部  配合单位：办公室、各学会"])
    plan = interpret(text_document(tmp_path / "plan.txt", text), None)
    # Owners at three depths: every task carries every level of its number (2.1.1.1, 2.1.2), as
    # the shorter numbers would meet section 一's; a line after (二) is (二)'s, not its group's.
    assert [(t.ref, t.content, t.deadline.text, t.deadline.due, t.lead_units, t.units, t.cooperating, t.owners,
             t.milestones) for t in plan.tasks] == [
        ("1.1", "深化理论学习。全年开展专题学习12次。", "12月底前", date(2024, 12, 31), [], ["办公室"], [], [], []),
        ("1.2", "推进清廉机关建设。", "", None, ["机关党委"], ["各部室"], [], [], []),
        ("2.1.1.1", "制定走访方案，1月10日前完成。", "1月10日前", date(2024, 1, 10), [], [], [], ["张三"], []),
        ("2.1.1.2", "组织走访活动。", "", None, [], [], [], ["李四", "王五"], []),
        ("2.1.2", "开展“最美科技工作者”学习宣传。", "", None, [], ["科普部"], [], [], []),
        ("2.2", "举办学术年会，11月中旬召开。", "11月中旬", date(2024, 11, 20), ["学会部"], [], ["办公室", "各学会"],
         [], []),
    ]
    assert [(p.code, p.line, p.value) for p in plan.problems] == []


def test_a_title_with_no_plan_word_is_the_dated_line_before_the_items(tmp_path):
    text = "2024年全市科普工作思路\n一、开展科普日活动。\n二、建设科普基地。"
    plan = interpret(text_document(tmp_path / "p.txt", text), None)
    assert (plan.title, plan.year, [(t.ref, t.section, t.content) for t in plan.tasks]) == (
        "2024年全市科普工作思路", 2024, [("1", None, "开展科普日活动。"), ("2", None, "建设科普基地。")])


def test_paragraphs_going_on_with_an_item_are_its_text(tmp_path):
    text = "\n".join(["测试科协2024年工作要点", "一、塑造科普品牌", "（一）全力抓好科普场馆建设。",
                      "一是推进市科技馆项目建设，力争年底前有新形象。", "二是各县级馆加强运营管理。",
                      "（二）工作安排如下：", "组织开展全国科普日系列活动，9月底前完成。", "（三）助力乡村振兴。",
                      "以上工作由科普部统筹。"])
    plan = interpret(text_document(tmp_path / "p.txt", text), None)
    assert [(t.ref, t.content, t.deadline.text) for t in plan.tasks] == [
        ("1.1", "全力抓好科普场馆建设。一是推进市科技馆项目建设，力争年底前有新形象。二是各县级馆加强运营管理。",
         "年底前"),
        ("1.2", "工作安排如下：组织开展全国科普日系列活动，9月底前完成。", "9月底前"),
        ("1.3", "助力乡村振兴。", "")]
    assert [(p.code, p.line, p.value) for p in plan.context] == [("skipped_closing", 9, "以上工作由科普部统筹。")]


def test_owners_inside_the_sentence_and_a_last_clause_naming_who(tmp_path):
    text = "\n".join([
        "某县人社局2026年工作要点",
        "一、就业服务",
        "（一）稳岗扩就业",
        "1. 组织春风行动专场招聘会，6月底前完成，张晓明负责。",
        "2. 开展高校毕业生就业见习，全年开展。（牵头单位：就业科；配合单位：办公室）",
        "3. 落实失业保险稳岗返还政策，确保专人负责。",
        "（二）技能培训",
        "1. 完成职业技能培训3000人次，责任人：李红，10月底前。",
        "2. 建设技能大师工作室2个，由职业能力建设科负责。",
        "3. 办好全县技能大赛，9月底前完成，分管副局长负责。",
        "二、社会保障",
        "（一）推进全民参保计划，年底前完成。责任单位：社保股。",
        "（二）持续推进社保卡一卡通应用，11月底前完成。"])
    plan = interpret(text_document(tmp_path / "p.txt", text), None)
    # "，X负责。" names a person, a unit or a role, but not "专人"; "，责任人：李红，" leaves the
    # clause after it as the task's text; "，全年开展。" is the deadline, "持续推进…" the verb.
    assert [(t.ref, t.content, t.deadline.text, t.deadline.due, t.deadline.ongoing, t.owners, t.lead_units, t.units)
            for t in plan.tasks] == [
        ("1.1.1", "组织春风行动专场招聘会，6月底前完成", "6月底前", date(2026, 6, 30), False, ["张晓明"], [], []),
        ("1.1.2", "开展高校毕业生就业见习，全年开展。", "全年开展", date(2026, 12, 31), True, [], ["就业科"], []),
        ("1.1.3", "落实失业保险稳岗返还政策，确保专人负责。", "", None, False, [], [], []),
        ("1.2.1", "完成职业技能培训3000人次，10月底前。", "10月底前", date(2026, 10, 31), False, ["李红"], [], []),
        ("1.2.2", "建设技能大师工作室2个", "", None, False, [], [], ["职业能力建设科"]),
        ("1.2.3", "办好全县技能大赛，9月底前完成", "9月底前", date(2026, 9, 30), False, ["分管副局长"], [], []),
        ("2.1", "推进全民参保计划，年底前完成。", "年底前", date(2026, 12, 31), False, [], [], ["社保股"]),
        ("2.2", "持续推进社保卡一卡通应用，11月底前完成。", "11月底前", date(2026, 11, 30), False, [], [], []),
    ]
