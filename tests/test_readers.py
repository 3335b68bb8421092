"""Word, Excel and CSV plans go through the same rules as the text plan (issue 7 "Readers",
DESIGN §3): the seed built as a merged Word table, a merged sheet and a CSV imports to the
same 35 tasks; a plan with its columns in another order and no 责任人 reads by header."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from bot.plan import read_plan
from bot.plan.rules.labels import label_role
from tests.conftest import make_bot
from tests.office_plans import (
    SEED_TITLE_LINES,
    Sheet,
    seed_preamble,
    seed_sheet,
    write_csv,
    write_docx,
    write_xlsx,
)
from tests.plans import EXPECTED_TASKS, SEED, expected_json

ROOT = Path(__file__).resolve().parent.parent


def duban(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=60, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})


SEED_FILES = {
    "docx": lambda d: write_docx(d / "plan.docx", seed_preamble(), [seed_sheet()], after=["抄送：市委办。"]),
    "xlsx": lambda d: write_xlsx(d / "plan.xlsx", SEED_TITLE_LINES, seed_sheet()),
    "csv-utf8": lambda d: write_csv(d / "plan.csv", SEED_TITLE_LINES, seed_sheet()),
    "csv-utf8-bom": lambda d: write_csv(d / "plan.csv", SEED_TITLE_LINES, seed_sheet(), encoding="utf-8-sig"),
    "csv-gb18030": lambda d: write_csv(d / "plan.csv", SEED_TITLE_LINES, seed_sheet(), encoding="gb18030"),
}


@pytest.mark.parametrize("kind", SEED_FILES)
def test_the_seed_as_an_office_file_imports_the_same_35_tasks(tmp_path, kind):
    path = SEED_FILES[kind](tmp_path)
    draft = read_plan(path)
    assert (draft.title, draft.year, draft.issued) == ("龙岩市科协2020年度工作要点", 2020, date(2020, 3, 16))
    assert [s.heading for s in draft.sections] == [s.heading for s in read_plan(SEED).sections]
    assert draft.problems == []
    bot = make_bot(tmp_path, plan=path)
    try:
        got = [t.to_json() for t in bot.store.tasks(bot.store.active_plan().id)]
    finally:
        bot.close()
    assert got == [expected_json(t) for t in EXPECTED_TASKS]


def test_the_word_seed_really_has_vertical_merges(tmp_path):
    path = SEED_FILES["docx"](tmp_path)
    import zipfile

    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    assert xml.count('<w:vMerge w:val="restart"/>') == 21 and xml.count("<w:vMerge/>") == 64
    assert xml.count('<w:gridSpan w:val="2"/>') == 5  # the five header rows, 工作内容 over two columns


def test_a_header_repeated_in_a_later_table_is_skipped(tmp_path):
    sheet = seed_sheet()
    # The table broken before 三 (row 17 is its header): the second table repeats the header;
    # a letterhead table above the plan is no part of it but its title counts.
    split = next(r for r, row in enumerate(sheet.rows) if r and row[0] == "工作内容" and r > 10)
    first = Sheet(sheet.rows[:split], [m for m in sheet.merges if m[2] < split])
    second = Sheet(sheet.rows[split:], [(a - split, b, c - split, d) for a, b, c, d in sheet.merges if a >= split])
    letterhead = Sheet([["龙岩市科协2020年度工作要点"], ["2020年3月16日"]])
    path = write_docx(tmp_path / "two.docx", ["附件"], [letterhead, first, second])
    draft = read_plan(path)
    assert (draft.title, draft.issued, draft.problems) == ("龙岩市科协2020年度工作要点", date(2020, 3, 16), [])
    assert [t.ref for t in draft.tasks] == [t["id"] for t in EXPECTED_TASKS]
    # The same second table without its header continues the first (same number of columns).
    headless = Sheet(second.rows[1:], [(a - 1, b, c - 1, d) for a, b, c, d in second.merges if a >= 1])
    draft = read_plan(write_docx(tmp_path / "cont.docx", SEED_TITLE_LINES, [first, headless]))
    assert len(draft.tasks) == 35 and draft.problems == []


# 序号 | 工作任务 | 责任单位 | 责任领导 | 完成时限, sections merged across the row, no 责任人, no year.
ORDERED = Sheet([
    ["序号", "工作任务", "责任单位", "责任领导", "完成时限"],
    ["一、进一步强化政治引领"] * 5,
    ["1", "召开市科协第十次代表大会", "办公室", "朱明生", "2021年6月底前"],
    ["2", "举办第14届市青少年科技创新大赛", "科普部\n\n市科技馆", "", "10月中旬"],
    ["二、进一步服务创新驱动"] * 5,
    ["1", "组织开展全国科普日系列活动", "科普部、县（市、区）科协", "徐锦清", "第三季度"],
    ["2", "推进市科技馆项目建设", "市科技馆", "吴泽荣", "持续推进"],
], merges=[(1, 0, 1, 4), (2, 3, 3, 3), (4, 0, 4, 4)])
ORDERED_TITLE = ["龙岩市科协重点工作任务分解表"]
ORDERED_FILES = {
    "xlsx": lambda d: write_xlsx(d / "ordered.xlsx", ORDERED_TITLE, ORDERED, numbers=True),
    "docx": lambda d: write_docx(d / "ordered.docx", ORDERED_TITLE, [ORDERED]),
    "csv": lambda d: write_csv(d / "ordered.csv", ORDERED_TITLE, ORDERED, encoding="gb18030"),
}
ORDERED_TASKS = [
    ("1.1", "召开市科协第十次代表大会", "2021-06-30", ["朱明生"], ["办公室"]),
    ("1.2", "举办第14届市青少年科技创新大赛", "2021-10-20", ["朱明生"], ["科普部", "市科技馆"]),
    ("2.1", "组织开展全国科普日系列活动", "2021-09-30", ["徐锦清"], ["科普部", "县（市、区）科协"]),
    ("2.2", "推进市科技馆项目建设", "2021-12-31", ["吴泽荣"], ["市科技馆"]),
]


@pytest.mark.parametrize("kind", ORDERED_FILES)
def test_columns_in_another_order_are_found_by_their_headers(tmp_path, kind):
    draft = read_plan(ORDERED_FILES[kind](tmp_path), 2021)
    assert [s.heading for s in draft.sections] == ["一、进一步强化政治引领", "二、进一步服务创新驱动"]
    assert [(t.ref, t.content, t.deadline.due.isoformat(), t.lead, t.units) for t in draft.tasks] == ORDERED_TASKS
    assert [t.deadline.ongoing for t in draft.tasks] == [False, False, False, True]
    assert all(t.owners == [] for t in draft.tasks)
    assert draft.problems == []  # a column the plan lacks (责任人) is no problem


def test_the_ordered_plan_with_year_2021_through_the_cli_reminds_units_and_ats_nobody(tmp_path):
    plan = ORDERED_FILES["xlsx"](tmp_path)
    (tmp_path / "config.toml").write_text(f'[bot]\ndatabase = "duban.db"\nplan = "{plan}"\n', encoding="utf-8")
    no_year = duban("import", str(plan), cwd=tmp_path)
    assert no_year.returncode == 2 and "the plan year is not in its title or issue date; pass --year" in no_year.stderr
    imported = duban("import", str(plan), "--year", "2021", cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    assert "任务：4（新增4，更新0，未变0）" in imported.stdout and "警告：无" in imported.stdout
    tasks = json.loads(duban("tasks", "--json", cwd=tmp_path).stdout)
    # No 责任人: one share per responsible unit (DESIGN §3.1 "Shares").
    assert [(t["ref"], t["deadline_text"], t["due"], t["owners"], [s["owner"] for s in t["shares"]])
            for t in tasks] == [
        ("1.1", "2021年6月底前", "2021-06-30", [], ["办公室"]),
        ("1.2", "10月中旬", "2021-10-20", [], ["科普部", "市科技馆"]),
        ("2.1", "第三季度", "2021-09-30", [], ["科普部", "县（市、区）科协"]),
        ("2.2", "持续推进", "2021-12-31", [], ["市科技馆"])]
    result = duban("remind", "--simulate", "2021-06-30..2021-07-01", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    june_30, july_1 = json.loads(result.stdout)
    assert (june_30["date"], june_30["refs"], june_30["mentions"]) == ("2021-06-30", ["1.1"], [])
    assert "1.1 召开市科协第十次代表大会｜今天到期｜办公室" in june_30["text"].splitlines()
    assert (july_1["date"], july_1["mentions"]) == ("2021-07-01", [])
    assert "市科技馆：2.2" in july_1["text"].splitlines()
    assert "（未写明责任人）" not in july_1["text"]


def test_an_unmerged_empty_cell_stays_empty_in_a_sheet(tmp_path):
    unmerged = Sheet(ORDERED.rows, merges=[(1, 0, 1, 4), (4, 0, 4, 4)])  # 1.2's 责任领导 not merged
    bot = make_bot(tmp_path, plan=SEED)
    try:
        imported = bot.import_plan(write_xlsx(tmp_path / "p.xlsx", ORDERED_TITLE, unmerged), 2021)
    finally:
        bot.close()
    one_two = next(t for t in imported.draft.tasks if t.ref == "1.2")
    assert one_two.lead == []
    # The warning names the sheet's own row: title, blank, header, section, 1.1, then 1.2 on row 6.
    assert "第6行（1.2）：责任领导为空（只有合并的单元格才沿用上方内容）" in imported.report  # the header's own word


def test_numbers_and_dates_read_as_a_person_sees_them(tmp_path):
    workbook = openpyxl.Workbook()
    ws = workbook.active
    ws.append(["序号", "工作任务", "完成时限", "责任人"])
    ws.append(["一、测试部分"])
    ws.append([1.0, "按期报送材料", datetime(2021, 6, 30), "林丽"])
    ws.append([2, "召开座谈会", datetime(2021, 9, 15), "林丽"])
    ws.append([3, "提交总结", "根据上级部署", "林丽"])
    ws["C4"].number_format = 'yyyy"年"m"月"d"日"'
    workbook.save(tmp_path / "dated.xlsx")
    draft = read_plan(tmp_path / "dated.xlsx", 2021)
    assert [(t.ref, t.deadline.text, t.deadline.due) for t in draft.tasks] == [
        ("1.1", "2021/6/30", date(2021, 6, 30)), ("1.2", "2021年9月15日", date(2021, 9, 15)),
        ("1.3", "根据上级部署", None)]
    # What does not parse is kept as text and reported with its sheet row.
    assert [(p.code, p.line, p.ref, p.value) for p in draft.problems] == [
        ("deadline_unparsed", 5, "1.3", "根据上级部署")]


def test_a_section_numeral_in_its_own_column(tmp_path):
    rows = [["序号", "重点任务", "完成时间", "分管领导", "具体责任人", "牵头单位", "备注"],
            ["一", "进一步强化政治引领", "", "", "", "", ""],
            ["1", "全面推进党的政治建设", "长期坚持", "朱明生", "林丽", "办公室", "无"],
            ["二", "进一步服务创新驱动", "", "", "", "", ""],
            ["1", "争创示范工作站", "年底前", "刘艺平", "梁伟坚\n\n林丽", "学会部", ""]]
    draft = read_plan(write_docx(tmp_path / "p.docx", ["2021年重点工作任务分解表"], [Sheet(rows)]))
    assert [s.heading for s in draft.sections] == ["一、进一步强化政治引领", "二、进一步服务创新驱动"]
    assert [(t.ref, t.deadline.due, t.deadline.ongoing, t.owners, t.lead_units, t.remarks) for t in draft.tasks] == [
        ("1.1", date(2021, 12, 31), True, ["林丽"], ["办公室"], "无"),
        ("2.1", date(2021, 12, 31), False, ["梁伟坚", "林丽"], ["学会部"], "")]
    assert draft.problems == []


@pytest.mark.parametrize("word, column", [
    ("序号", "number"), ("工作任务", "content"), ("重点任务", "content"), ("工作内容", "content"),
    ("完成时限", "deadline"), ("完成时间", "deadline"), ("时间节点", "deadline"),
    ("牵头领导", "lead"), ("责任领导", "lead"), ("分管领导", "lead"), ("责任人", "owners"),
    ("具体责任人", "owners"), ("经办人", "owners"), ("责任单位", "units"), ("牵头单位", "lead_units"),
    ("配合单位", "cooperating"), ("相关部室、单位", "units"), ("完成\n时限", "deadline"),
])
def test_the_header_synonyms_of_issue_7(word, column):
    assert label_role(word) == column


def test_two_unit_columns_are_read_as_one(tmp_path):
    rows = [["序号", "工作任务", "完成时限", "牵头单位", "配合单位"],
            ["一、测试部分"] * 5,
            ["1", "召开座谈会", "3月上旬", "办公室", "学会部、市科技馆"]]
    [task] = read_plan(write_csv(tmp_path / "p.csv", [], Sheet(rows)), 2021).tasks
    assert (task.deadline.due, task.all_units) == (date(2021, 3, 10), ["办公室", "学会部", "市科技馆"])
    assert (task.lead_units, task.units, task.cooperating) == (["办公室"], [], ["学会部", "市科技馆"])


def test_a_blank_header_over_the_section_column(tmp_path):
    # The section written once on its first row, the column's header left blank, no merges (CSV).
    rows = [["", "工作内容", "完成时间", "责任人"],
            ["一、测试部分", "1.召开座谈会", "6月底前", "林丽"],
            ["", "2.提交总结", "12月底前", "梁伟坚"],
            ["二、另一部分", "1.举办培训", "下半年", "林丽"]]
    draft = read_plan(write_csv(tmp_path / "p.csv", ["测试市科协2021年度工作要点"], Sheet(rows)))
    assert [(t.ref, t.deadline.due, t.owners) for t in draft.tasks] == [
        ("1.1", date(2021, 6, 30), ["林丽"]), ("1.2", date(2021, 12, 31), ["梁伟坚"]),
        ("2.1", date(2021, 12, 31), ["林丽"])]
    assert [s.heading for s in draft.sections] == ["一、测试部分", "二、另一部分"]
    assert draft.problems == []
