"""A new office's own Word table (issue 11): 序号/重点工作/具体措施/牵头领导/责任科室/责任人/完成时限,
section rows merged full width, 牵头领导 and 重点工作 merged down, "X牵头，Y配合" in one cell."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.plan import read_plan
from tests.office_plans import Sheet, write_docx

HEADER = ["序号", "重点工作", "具体措施", "牵头领导", "责任科室", "责任人", "完成时限"]
TITLE = ["某县人社局2026年重点工作任务分解表"]


def office_table(path: Path, deadlines: tuple[str, str, str] = ("6月底前", "9月底前", "年底前")) -> Path:
    """The office's table: two sections, 重点工作 and 牵头领导 merged down over tasks 1–2."""
    rows = [HEADER, ["一、扩大社会保险覆盖面"] * 7,
            ["1", "工伤保险扩面", "将新业态从业人员纳入工伤保险。", "王建国", "工伤保险股牵头，各乡镇人民政府配合",
             "李明", deadlines[0]],
            ["2", "工伤保险扩面", "开展建筑项目按项目参保专项行动。", "王建国", "工伤保险股", "李明", deadlines[1]],
            ["二、提升经办服务"] * 7,
            ["3", "窗口服务", "推行社保业务“一窗通办”。", "赵敏", "社会保险服务中心牵头，各股室、二级单位配合",
             "陈红", deadlines[2]]]
    sheet = Sheet(rows, merges=[(1, 0, 1, 6), (2, 1, 3, 1), (2, 3, 3, 3), (4, 0, 4, 6)])
    return write_docx(path, TITLE, [sheet])


def test_the_broader_column_inside_sections_heads_each_task_content(tmp_path):
    draft = read_plan(office_table(tmp_path / "p.docx"))
    assert [s.heading for s in draft.sections] == ["一、扩大社会保险覆盖面", "二、提升经办服务"]
    assert [(t.ref, t.section, t.content) for t in draft.tasks] == [
        ("1", 1, "工伤保险扩面：将新业态从业人员纳入工伤保险。"),
        ("2", 1, "工伤保险扩面：开展建筑项目按项目参保专项行动。"),
        ("3", 2, "窗口服务：推行社保业务“一窗通办”。")]
    assert [(t.lead, t.owners) for t in draft.tasks] == [(["王建国"], ["李明"]), (["王建国"], ["李明"]),
                                                       (["赵敏"], ["陈红"])]
    assert [t.deadline.due for t in draft.tasks] == [date(2026, 6, 30), date(2026, 9, 30), date(2026, 12, 31)]


PROSE = """某县人社局2026年工作要点
一、扩大社会保险覆盖面
1.推进新业态从业人员参加工伤保险，由社会保险股牵头，各乡镇人民政府配合。
2.开展建筑项目参保专项行动，劳动监察大队牵头，乡镇劳动保障所配合。
3.完善乡镇社保服务网点建设，就业服务中心牵头，各乡镇农机站配合。
"""


def test_prose_units_ending_in_gu_suo_zhongxin_dadui_zhan_lead_their_items(tmp_path):
    path = tmp_path / "p.txt"
    path.write_text(PROSE, encoding="utf-8")
    draft = read_plan(path)
    assert [(t.ref, t.content, t.lead_units, t.units, t.cooperating) for t in draft.tasks] == [
        ("1", "推进新业态从业人员参加工伤保险", ["社会保险股"], [], ["各乡镇人民政府"]),
        ("2", "开展建筑项目参保专项行动", ["劳动监察大队"], [], ["乡镇劳动保障所"]),
        ("3", "完善乡镇社保服务网点建设", ["就业服务中心"], [], ["各乡镇农机站"])]


def test_one_definition_of_what_a_unit_name_ends_with():
    from bot.plan.rules.names import is_unit_name
    from bot.plan.table.fit import fit
    assert [is_unit_name(n) for n in ("社会保险股", "劳动保障所", "就业服务中心", "劳动监察大队", "农机站",
                                      "王建国", "专人")] == [True, True, True, True, True, False, False]
    # The table's column fit reads the same endings: a 股 is a body, not a person's name.
    assert (fit("财务股", "owners"), fit("财务股", "units")) == (fit("财务科", "owners"), fit("财务科", "units"))


def test_a_leading_ge_binds_a_list_of_kind_words():
    from bot.plan.rules.names import read_parties, split_names
    assert [split_names(t) for t in ("各股室、二级单位", "各站所、下属单位", "各股室、县社保中心")] == [
        ["各股室、二级单位"], ["各站所、下属单位"], ["各股室", "县社保中心"]]
    parties = read_parties("社会保险服务中心牵头，各股室、二级单位配合")
    assert (parties.lead_units, parties.units, parties.cooperating) == (["社会保险服务中心"], [], ["各股室、二级单位"])


def test_recurring_and_festival_deadlines():
    from bot.plan.rules.deadlines import parse_deadline
    quarterly = parse_deadline("每季度末", 2026)
    assert (quarterly.due, quarterly.ongoing, [(m.date, m.text) for m in quarterly.schedule]) == (
        date(2026, 12, 31), True, [(date(2026, 3, 31), "第一季度末"), (date(2026, 6, 30), "第二季度末"),
                                   (date(2026, 9, 30), "第三季度末"), (date(2026, 12, 31), "第四季度末")])
    monthly = [parse_deadline(t, 2026) for t in ("每月", "每月底", "每月10日前")]
    assert [(d.due, d.ongoing, d.schedule) for d in monthly] == [(date(2026, 12, 31), True, ())] * 3
    half = parse_deadline("每半年", 2026)
    assert [m.date for m in half.schedule] == [date(2026, 6, 30), date(2026, 12, 31)]
    # The 2026 春节 holiday began on 2026-02-15 (chinesecalendar); 国庆 always on 10-01.
    assert [parse_deadline(t, 2025).due for t in ("2026年春节前", "春节前完成", "国庆节前")] == [
        date(2026, 2, 14), date(2025, 1, 27), date(2025, 9, 30)]
    unknown = parse_deadline("2035年春节前", 2026)  # a year chinesecalendar has no holidays for
    assert (unknown.text, unknown.due, unknown.problem) == ("2035年春节前", None, "deadline_holiday_unknown")
    assert parse_deadline("每季度通报", 2026).due is None  # a frequency of something else: no reading


def test_the_office_table_reads_recurring_deadlines_and_warns_of_an_unknown_spring_festival(tmp_path):
    draft = read_plan(office_table(tmp_path / "p.docx", ("每季度末", "每月", "2035年春节前")))
    assert [(t.ref, t.deadline.text, t.deadline.due, t.deadline.ongoing, [m.date for m in t.milestones])
            for t in draft.tasks] == [
        ("1", "每季度末", date(2026, 12, 31), True,
         [date(2026, 3, 31), date(2026, 6, 30), date(2026, 9, 30), date(2026, 12, 31)]),
        ("2", "每月", date(2026, 12, 31), True, []),
        ("3", "2035年春节前", None, False, [])]
    assert [(p.code, p.ref, p.value) for p in draft.problems] == [("deadline_holiday_unknown", "3", "2035年春节前")]


def test_the_admin_preview_words_each_problem_as_the_cli_preview_does(tmp_path, serve):
    import httpx

    from tests.conftest import make_bot
    path = office_table(tmp_path / "分解表.docx", ("每季度末", "下周三前", "2035年春节前"))
    bot = make_bot(tmp_path, on=date(2026, 3, 2), server={"token": "s3cret"})
    with path.open("rb") as file:
        answer = httpx.post(f"{serve(bot)}/admin/upload?token=s3cret", files={"plan": (path.name, file)}, timeout=30)
    bot.close()
    assert answer.status_code == 200, answer.text
    assert "<li>第4行（2）：完成时间无法识别：“下周三前”，保留原文，不设到期日</li>" in answer.text
    assert ("<li>第6行（3）：完成时间“2035年春节前”是节日前，但日历数据（chinesecalendar）还没有这一年的放假安排，"
            "保留原文，暂不设到期日；请升级 chinesecalendar 后重新导入，或写明具体日期</li>") in answer.text
    assert "deadline_unparsed" not in answer.text and "deadline_holiday_unknown" not in answer.text


def _office_bot(tmp_path):
    from bot.plan.roles import mark_roles
    from bot.store import Store, apply_plan
    from tests.conftest import make_bot
    draft = read_plan(office_table(tmp_path / "分解表.docx"))
    assert draft.labels == {"number": "序号", "category": "重点工作", "content": "具体措施", "lead": "牵头领导",
                            "units": "责任科室", "owners": "责任人", "deadline": "完成时限"}
    store = Store(tmp_path / "duban.db")
    mark_roles(draft)
    apply_plan(store, draft, actor="cli", at="2026-03-02T09:00:00+08:00")
    store.close()
    return make_bot(tmp_path, on=date(2026, 3, 2))


def test_the_detail_names_units_as_the_plan_does_and_leaves_out_empty_rows(tmp_path):
    bot = _office_bot(tmp_path)
    try:
        assert bot.store.plans()[-1].labels["units"] == "责任科室"
        first = bot.say("任务1").text.splitlines()
        third = bot.say("任务3").text.splitlines()
    finally:
        bot.close()
    assert first[:6] == ["【1】工伤保险扩面：将新业态从业人员纳入工伤保险。", "所属：一、扩大社会保险覆盖面",
                         "完成时间：6月底前·6月30日", "状态：进行中", "牵头领导：王建国", "责任人：李明"]
    # No "相关部室、单位：未写明", no separate 牵头单位/配合单位 rows: the plan has one 责任科室 column.
    assert first[6:8] == ["责任科室：工伤保险股（牵头）、各乡镇人民政府（配合）", "记录："]
    assert third[4:8] == ["牵头领导：赵敏", "责任人：陈红",
                          "责任科室：社会保险服务中心（牵头）、各股室、二级单位（配合）", "记录："]


def test_the_export_has_the_plans_own_columns_and_each_unit_in_one_column(tmp_path):
    from icalendar import Calendar
    from openpyxl import load_workbook

    from bot.export import export
    bot = _office_bot(tmp_path)
    try:
        path = export(bot, tmp_path / "完成情况表.xlsx")
        calendar = Calendar.from_ical(export(bot, tmp_path / "deadlines.ics").read_bytes())
    finally:
        bot.close()
    first = next(e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]).startswith("【到期】1 "))
    assert str(first["DESCRIPTION"]).splitlines()[3:] == [
        "牵头领导：王建国", "责任人：李明", "责任科室：工伤保险股（牵头）、各乡镇人民政府（配合）"]
    sheet = load_workbook(path).worksheets[0]
    rows = [[cell.value for cell in row][:7] for row in sheet.iter_rows(min_row=3, max_row=8)]
    assert rows == [
        ["序号", "具体措施", "完成时限", "牵头领导", "责任人", "责任科室", "状态"],
        ["一、扩大社会保险覆盖面", None, None, None, None, None, None],
        ["1", "工伤保险扩面：将新业态从业人员纳入工伤保险。", "6月底前", "王建国", "李明",
         "工伤保险股（牵头）、各乡镇人民政府（配合）", "进行中"],
        ["2", "工伤保险扩面：开展建筑项目按项目参保专项行动。", "9月底前", "王建国", "李明", "工伤保险股", "进行中"],
        ["二、提升经办服务", None, None, None, None, None, None],
        ["3", "窗口服务：推行社保业务“一窗通办”。", "年底前", "赵敏", "陈红",
         "社会保险服务中心（牵头）、各股室、二级单位（配合）", "进行中"]]


def test_a_quarterly_task_is_reminded_before_each_quarter_end_and_a_question_finds_its_group(tmp_path):
    from bot.plan.roles import mark_roles
    from bot.store import Store, apply_plan
    from reminders.tick import plan_day
    from tests.conftest import make_bot
    draft = read_plan(office_table(tmp_path / "p.docx", ("每季度末", "每月", "年底前")))
    mark_roles(draft)
    store = Store(tmp_path / "duban.db")
    apply_plan(store, draft, actor="cli", at="2026-03-02T09:00:00+08:00")
    store.close()
    bot = make_bot(tmp_path, on=date(2026, 3, 2))
    try:
        # 14 days before 03-31 (a Tuesday workday): the quarter's end is a milestone of task 1 only.
        pushes = plan_day(bot, date(2026, 3, 17))
        assert [p.refs for p in pushes] == [["1"]]
        # The first workday of April: the monthly check-in of the two recurring tasks.
        assert sorted(ref for p in plan_day(bot, date(2026, 4, 1)) for ref in p.refs) == ["1", "2"]
        # The group's words find the tasks under it.
        assert bot.say("工伤保险扩面谁负责").refs == ["1", "2"]
    finally:
        bot.close()


def test_an_empty_cell_is_reported_with_the_plans_own_column_name(tmp_path):
    from bot.plan.preview import preview
    rows = [["序号", "具体措施", "责任科室", "完成时限"], ["1", "开展参保扩面宣传。", "", "6月底前"]]
    draft = read_plan(write_docx(tmp_path / "p.docx", TITLE, [Sheet(rows)]))
    assert [(p.code, p.ref) for p in draft.problems] == [("no_units", "1")]
    assert "第2行（1）：责任科室为空（只有合并的单元格才沿用上方内容）" in preview(draft)


def test_the_status_page_names_people_and_units_as_the_plan_does(tmp_path):
    import re

    from bot.render import environment
    from bot.status import ROOT, status_pages
    bot = _office_bot(tmp_path)
    try:
        blocks = status_pages(bot)
        html = environment(ROOT / "bot" / "templates").get_template("status.html").render(bot_name="督办助手",
                                                                                         blocks=blocks)
    finally:
        bot.close()
    task = html[html.index('id="task-1"'):html.index('id="task-2"')]
    assert re.findall(r"<dt>([^<]*)</dt>", task) == ["完成时限", "牵头领导", "责任人", "责任科室"]
    assert "相关部室、单位" not in html


def test_a_plan_in_parts_numbered_straight_through_is_closed_in_the_words_people_use(tmp_path):
    """The table has parts (一、二、) and 序号 1, 2, 3 straight through: 第2项 is task 2, 1号任务 is
    task 1, and 办完了 / 我这边也已经完成了 after a ref close it as 完成 does."""
    bot = _office_bot(tmp_path)
    try:
        assert bot.say("第2项").text.splitlines()[0] == "【2】工伤保险扩面：开展建筑项目按项目参保专项行动。"
        assert bot.say("二.1").text.splitlines()[0] == "【3】窗口服务：推行社保业务“一窗通办”。"  # part 2's first
        assert bot.say("完成 第2项", as_="李明").text.splitlines()[0] == "2 已全部完成，办结。"
        assert bot.say("1号任务办完了", as_="李明").text.splitlines()[0] == "1 已全部完成，办结。"
        assert bot.say("3 我这边也已经完成了", as_="陈红").text.splitlines()[0] == "3 已全部完成，办结。"
        assert [t.ref for t in bot.store.tasks(bot.store.plans()[-1].id) if t.done] == ["1", "2", "3"]
    finally:
        bot.close()


def test_a_category_column_beside_two_content_columns_keeps_all_three_and_a_stock_column(tmp_path):
    """类别 (merged down) + 重点任务 + 工作措施, and 牵头股室/协办单位: the category is the section,
    重点任务 heads each task's content, 股室 columns name units (they were dropped, unwarned)."""
    from tests.office_plans import write_xlsx

    header = ["类别", "序号", "重点任务", "工作措施", "责任领导", "牵头股室", "协办单位", "具体责任人", "完成时间"]
    rows = [header,
            ["一、食品安全监管", "1", "校园食品安全守护行动", "开展春秋两季学校食堂专项检查。", "王建国", "餐饮服务股",
             "县教育局", "赵丽、孙涛", "10月底前"],
            ["", "2", "食品安全抽检", "完成食品安全抽检2000批次。", "王建国", "食品抽检股", "县检验检测中心", "刘芳",
             "11月30日前"],
            ["二、特种设备安全", "3", "电梯安全攻坚", "完成老旧电梯安全评估。", "张卫东", "特种设备股", "", "周敏",
             "9月底前"]]
    path = write_xlsx(tmp_path / "plan.xlsx", ["某县市场监督管理局2026年重点工作任务分解表"],
                      Sheet(rows, merges=[(1, 0, 2, 0)]), numbers=True)
    draft = read_plan(path)
    assert [s.heading for s in draft.sections] == ["一、食品安全监管", "二、特种设备安全"]
    assert [(t.ref, t.content, t.lead, t.lead_units, t.cooperating, t.owners, str(t.deadline.due))
            for t in draft.tasks] == [
        ("1", "校园食品安全守护行动：开展春秋两季学校食堂专项检查。", ["王建国"], ["餐饮服务股"], ["县教育局"],
         ["赵丽", "孙涛"], "2026-10-31"),
        ("2", "食品安全抽检：完成食品安全抽检2000批次。", ["王建国"], ["食品抽检股"], ["县检验检测中心"], ["刘芳"],
         "2026-11-30"),
        ("3", "电梯安全攻坚：完成老旧电梯安全评估。", ["张卫东"], ["特种设备股"], [], ["周敏"], "2026-09-30")]
    assert draft.labels["lead_units"] == "牵头股室"


def test_a_table_whose_contents_are_only_numbers_is_no_plan(tmp_path):
    from bot.plan import PlanError

    path = tmp_path / "nums.csv"
    path.write_text("序号,重点任务\n1,2\n3,4\n", encoding="utf-8")
    try:
        read_plan(path, 2026)
    except PlanError as error:
        assert str(error).splitlines()[0] == f"{path}：找到了表头，但表头下没有任务行。"
    else:
        raise AssertionError("a table of numbers was read as a plan")
    path.write_text("序号,重点任务\n1,2\n2,开展消费维权宣传\n", encoding="utf-8")
    draft = read_plan(path, 2026)
    assert [(t.ref, t.content) for t in draft.tasks] == [("2", "开展消费维权宣传")]
    assert [(p.code, p.value) for p in draft.problems] == [("content_no_words", "2")]


def test_a_measure_that_is_only_a_number_leaves_the_task_its_group_words(tmp_path):
    from tests.office_plans import write_xlsx

    header = ["序号", "类别", "重点任务", "工作措施", "责任领导", "完成时间"]
    rows = [header, ["1", "一、食品安全", "食品安全抽检", "完成抽检2000批次。", "王建国", "11月30日前"],
            ["2", "二、质量监管", "提升产品质量", "2026", "局长周建华", "6月30日前"]]
    draft = read_plan(write_xlsx(tmp_path / "plan.xlsx", ["某县市场监督管理局2026年重点工作任务分解表"], Sheet(rows)))
    assert [(t.ref, t.content, t.lead) for t in draft.tasks] == [
        ("1", "食品安全抽检：完成抽检2000批次。", ["王建国"]), ("2", "提升产品质量", ["周建华"])]
