"""Odd input a tester found (issue 7 "Bad input", DESIGN §3): a file that cannot be a plan
stops the import with an error naming the problem (exit 2, store unchanged); a row that
cannot be read is a warning naming it; nothing ends in a traceback."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from bot.plan import PlanError, read_plan
from tests.conftest import make_bot
from tests.office_plans import Sheet, write_csv, write_docx

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["序号", "工作任务", "完成时限", "责任领导", "责任人", "责任单位"]
ROWS = [
    ["一、强化政治引领", "", "", "", "", ""],
    ["1", "召开市科协第十次代表大会", "2021年6月底前", "朱明生", "林丽", "办公室"],
    ["2", "举办科技工作者日系列活动", "10月中旬", "徐锦清", "严众能", "学会部"],
    ["二、服务创新驱动", "", "", "", "", ""],
    ["1", "开展院士专家八闽行活动", "第三季度", "徐锦清", "童聪良", "学会部"],
]
TITLE = "测试科协2021年重点工作任务分解表"


def duban(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})


def plan_csv(path: Path, title_lines: list[str], rows: list[list[str]]) -> Path:
    return write_csv(path, title_lines, Sheet([HEADER, *rows]))


@pytest.mark.parametrize("title_lines, message", [
    (["测试9999年重点工作任务分解表"],
     "the year 9999 in its title 测试9999年重点工作任务分解表 is not a plan year (1901-2199); "
     "correct the title, or pass --year"),
    (["测试0000年重点工作任务分解表", "2021年3月1日"],
     "the year 0000 in its title 测试0000年重点工作任务分解表 is not a plan year (1901-2199); "
     "correct the title, or pass --year"),
    (["测试科协重点工作任务分解表", "9999年3月1日"],
     "the year 9999 of its issue date is not a plan year (1901-2199); correct the date, or pass --year"),
], ids=["title 9999", "title 0000 with an issue date", "issue date 9999"])
def test_a_title_year_out_of_range_is_refused(tmp_path, title_lines, message):
    path = plan_csv(tmp_path / "plan.csv", title_lines, ROWS)
    with pytest.raises(PlanError) as error:
        read_plan(path)
    assert str(error.value).splitlines()[1] == f"{path}: {message}"
    assert "不是计划年份（1901-2199）" in str(error.value).splitlines()[0]
    # --year overrides the title, as it always has
    assert read_plan(path, 2021).year == 2021


def test_a_title_year_out_of_range_through_the_cli_exits_2_and_imports_nothing(tmp_path):
    (tmp_path / "config.toml").write_text('[bot]\ndatabase = "duban.db"\n', encoding="utf-8")
    assert duban("import", str(plan_csv(tmp_path / "ok.csv", [TITLE], ROWS)), cwd=tmp_path).returncode == 0
    before = duban("tasks", "--json", cwd=tmp_path).stdout
    path = plan_csv(tmp_path / "far.csv", ["测试9999年重点工作任务分解表"], ROWS)
    result = duban("import", str(path), cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (f"duban: {path}：标题“测试9999年重点工作任务分解表”中的年份9999不是计划年份（1901-2199）；"
                             "请改正标题，或用 --year 指定年份。\n"
                             f"{path}: the year 9999 in its title 测试9999年重点工作任务分解表 is not a "
                             "plan year (1901-2199); correct the title, or pass --year\n")
    assert duban("tasks", "--json", cwd=tmp_path).stdout == before
    assert duban("ask", "本月到期", "--today", "2021-06-02", cwd=tmp_path).returncode == 0


def test_odd_task_numbers_are_numbered_in_order_with_a_warning(tmp_path):
    rows = [ROWS[0], ["①", "任务甲", "6月底前", "朱明生", "林丽", "办公室"],
            ["²", "任务乙", "6月底前", "朱明生", "林丽", "办公室"],
            ["99999999999999999999999", "任务丙", "6月底前", "朱明生", "林丽", "办公室"],
            ["12345", "任务丁", "6月底前", "朱明生", "林丽", "办公室"],
            ["９", "任务戊", "6月底前", "朱明生", "林丽", "办公室"],
            ["", "¹⁰.任务己", "6月底前", "朱明生", "林丽", "办公室"]]
    path = plan_csv(tmp_path / "plan.csv", [TITLE], rows)
    draft = read_plan(path)
    assert [(t.ref, t.content) for t in draft.tasks] == [
        ("1.1", "任务甲"), ("1.2", "任务乙"), ("1.3", "任务丙"), ("1.12345", "任务丁"),
        ("1.9", "任务戊"), ("1.10", "¹⁰.任务己")]
    # 12345 is a 序号 (up to 12 digits are: rules/numbering.py); 23 digits is not.
    assert [(p.code, p.line, p.ref, p.value) for p in draft.problems] == [
        ("no_number", 5, "1.1", "任务甲"), ("no_number", 6, "1.2", "任务乙"), ("no_number", 7, "1.3", "任务丙"),
        ("no_number", 10, "1.10", "¹⁰.任务己")]
    (tmp_path / "config.toml").write_text('[bot]\ndatabase = "duban.db"\n', encoding="utf-8")
    result = duban("import", str(path), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "第7行（1.3）：工作内容没有序号，按顺序记为1.3：任务丙" in result.stdout.splitlines()


def test_control_characters_in_cells_are_line_breaks_or_dropped_and_the_export_works(tmp_path):
    # A Word line break pasted into Excel is a vertical tab; an escape, a bell, U+FFFE/U+FFFF
    # come with text copied from other programs. None of them can be written to XML.
    rows = [["一、强化\x0b政治引领", "", "", "", "", ""],
            ["1", "召开市科协\x0b第十次\x1b代表大会\x07", "6月底前\x0c", "朱明生\ufffe", "林丽\x01", "办公室\uffff"],
            ["2", "举办\t科技工作者日\x0c系列活动\x08", "10月中旬", "徐锦清", "严众能\x0b\x0b童聪良", "学会部"]]
    path = plan_csv(tmp_path / "plan.csv", ["测试科协\x1b2021年重点工作任务分解表"], rows)
    draft = read_plan(path)
    assert draft.title == "测试科协2021年重点工作任务分解表"
    assert [s.heading for s in draft.sections] == ["一、强化政治引领"]
    assert [(t.content, t.deadline.text, t.lead, t.owners, t.units) for t in draft.tasks] == [
        ("召开市科协第十次代表大会", "6月底前", ["朱明生"], ["林丽"], ["办公室"]),
        ("举办\t科技工作者日系列活动", "10月中旬", ["徐锦清"], ["严众能", "童聪良"], ["学会部"])]
    assert draft.problems == []
    (tmp_path / "config.toml").write_text('[bot]\ndatabase = "duban.db"\n', encoding="utf-8")
    imported = duban("import", str(path), cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    exported = duban("export", str(tmp_path / "x.xlsx"), "--today", "2021-07-01", cwd=tmp_path)
    assert exported.returncode == 0, exported.stderr
    sheet = openpyxl.load_workbook(tmp_path / "x.xlsx").worksheets[0]
    assert "召开市科协第十次代表大会" in [cell.value for row in sheet.iter_rows() for cell in row]


def test_a_file_the_system_will_not_let_us_read_is_a_plan_error_with_its_reason(tmp_path, monkeypatch):
    long_name = tmp_path / ("分解表" * 100 + ".xlsx")
    with pytest.raises(PlanError) as error:
        read_plan(long_name)
    assert str(error.value).splitlines()[1] == f"{long_name}: cannot read the file: File name too long"
    # No read permission (chmod 000 does not stop root, so the refusal is what the system says).
    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(self))

    for kind in ("xlsx", "csv", "docx", "txt"):
        path = tmp_path / f"plan.{kind}"
        path.write_bytes(b"PK\x03\x04")
        with monkeypatch.context() as patch:
            patch.setattr(Path, "open", refuse)
            patch.setattr(Path, "read_bytes", refuse)
            patch.setattr(Path, "read_text", refuse)
            with pytest.raises(PlanError) as error:
                read_plan(path, 2021)
        assert str(error.value).splitlines()[1] == f"{path}: cannot read the file: Permission denied", kind


def test_an_unreadable_file_through_the_cli_exits_2(tmp_path):
    (tmp_path / "config.toml").write_text('[bot]\ndatabase = "duban.db"\n', encoding="utf-8")
    name = "分解表" * 100 + ".csv"
    result = duban("import", name, "--year", "2021", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == (f"duban: {name}：无法读取文件（文件名太长）；请检查路径和文件权限后重试。\n"
                             f"{name}: cannot read the file: File name too long\n")


def test_two_untitled_plans_of_one_year_are_two_plans(tmp_path):
    plan_a = plan_csv(tmp_path / "untitled_a.csv", [], ROWS)
    plan_b = plan_csv(tmp_path / "untitled_b.csv", [], [
        ROWS[0], ["1", "完全不同的任务甲", "6月底前", "朱明生", "林丽", "办公室"],
        ["2", "完全不同的任务乙", "6月底前", "徐锦清", "严众能", "办公室"]])
    (tmp_path / "config.toml").write_text('[bot]\ndatabase = "duban.db"\n', encoding="utf-8")
    first = duban("import", str(plan_a), "--year", "2021", cwd=tmp_path)
    assert first.stdout.startswith("导入《2021年工作任务（untitled_a.csv）》（2021年）\n"), first.stderr
    done = duban("ask", "完成 1.1", "--as", "林丽", "--today", "2021-03-01", cwd=tmp_path)
    assert done.stdout == "1.1 已全部完成，办结。\n召开市科协第十次代表大会\n", done.stdout
    second = duban("import", str(plan_b), "--year", "2021", cwd=tmp_path)
    assert second.stdout.startswith("导入《2021年工作任务（untitled_b.csv）》（2021年）\n")
    assert "任务：2（新增2，更新0，未变0）" in second.stdout
    # The completion stays on 召开市科协第十次代表大会; the new plan's 1.1 is open.
    again = duban("import", str(plan_a), "--year", "2021", cwd=tmp_path)
    assert "任务：3（新增0，更新0，未变3）" in again.stdout, again.stdout
    with sqlite3.connect(tmp_path / "duban.db") as db:
        assert db.execute("SELECT title, year, source FROM plans ORDER BY id").fetchall() == [
            ("2021年工作任务（untitled_a.csv）", 2021, str(plan_a)),
            ("2021年工作任务（untitled_b.csv）", 2021, str(plan_b))]
        assert db.execute("SELECT p.title, t.ref, t.content, t.status FROM tasks t JOIN plans p ON p.id = t.plan_id "
                          "WHERE t.ref = '1.1' ORDER BY p.id").fetchall() == [
            ("2021年工作任务（untitled_a.csv）", "1.1", "召开市科协第十次代表大会", "done"),
            ("2021年工作任务（untitled_b.csv）", "1.1", "完全不同的任务甲", "open")]


def test_untitled_plans_of_one_name_in_two_folders_are_one_plan(tmp_path):
    """An untitled plan is known by its year and file name (bot.store.plans.same_plan): the same
    分解表.csv from another folder is a new version of it, not a second plan reminding twice."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    bot = make_bot(tmp_path)
    try:
        first = bot.import_plan(plan_csv(tmp_path / "a" / "分解表.csv", [], ROWS), 2021)
        second = bot.import_plan(plan_csv(tmp_path / "b" / "分解表.csv", [], ROWS[:3]), 2021)
        again = bot.import_plan(tmp_path / "b" / "分解表.csv", 2021)
        assert (first.draft.title, second.draft.title, again.draft.title) == ("2021年工作任务（分解表.csv）",) * 3
        assert [p.title for p in bot.store.plans()] == ["2021年工作任务（分解表.csv）"]  # the unused sample withdrawn
        assert (first.result.created, second.result.removed) == (["1.1", "1.2", "2.1"], ["2.1"])
        assert again.report.startswith("导入《2021年工作任务（分解表.csv）》（2021年）")
        assert not again.result.changed
    finally:
        bot.close()


def plan_xlsx(path: Path, rows: list[list[str]], *, far: str | None = None) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "分解表"
    for row in [[TITLE], HEADER, *rows]:
        sheet.append(row)
    for cell in (far or "").split():
        sheet[cell] = "x"
    workbook.save(path)
    return path


@pytest.mark.parametrize("far, message", [
    ("XFD1048576", "uses the range A1:XFD1048576 (1,048,576 rows × 16,384 columns), which is not a plan (a plan has "
                   "at most 20,000 rows and 1,000,000 cells); usually the cause is a stray value or format in a far "
                   "cell, here XFD1048576: delete the rows and columns beyond the table in Excel or WPS and save"),
    ("ZZ20000", "uses the range A1:ZZ20000 (20,000 rows × 702 columns), which is not a plan (a plan has at most "
                "20,000 rows and 1,000,000 cells); usually the cause is a stray value or format in a far cell, "
                "here ZZ20000: delete the rows and columns beyond the table in Excel or WPS and save"),
    ("XFD3 A100", "uses the range A1:XFD100 (100 rows × 16,384 columns), which is not a plan (a plan has at most "
                  "20,000 rows and 1,000,000 cells); usually the cause is a stray value or format in a far cell, "
                  "here XFD3: delete the rows and columns beyond the table in Excel or WPS and save"),
    ("A30000", "uses the range A1:F30000 (30,000 rows × 6 columns), which is not a plan (a plan has at most "
               "20,000 rows and 1,000,000 cells); usually the cause is a stray value or format in a far cell, "
               "here A30000: delete the rows and columns beyond the table in Excel or WPS and save"),
])
def test_one_value_in_a_far_cell_is_refused_naming_the_range_and_the_cell(tmp_path, far, message):
    path = plan_xlsx(tmp_path / "far.xlsx", ROWS, far=far)
    assert path.stat().st_size < 10_000
    started = time.monotonic()
    with pytest.raises(PlanError) as error:
        read_plan(path)
    assert str(error.value).splitlines()[1] == f"{path}: sheet 分解表 {message}"
    assert time.monotonic() - started < 5


def test_a_sheet_of_a_million_rows_is_refused_before_it_is_read(tmp_path):
    small = plan_xlsx(tmp_path / "small.xlsx", ROWS)
    rows = b"".join(b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>1</t></is></c></row>' % (r, r)
                    for r in range(10, 1_000_010))
    with zipfile.ZipFile(small) as source, zipfile.ZipFile(tmp_path / "big.xlsx", "w", zipfile.ZIP_DEFLATED) as big:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", rows + b"</sheetData>")
            big.writestr(item.filename, data)
    started = time.monotonic()
    with pytest.raises(PlanError) as error:
        read_plan(tmp_path / "big.xlsx")
    assert str(error.value).splitlines()[1] == (
        f"{tmp_path / 'big.xlsx'}: sheet 分解表 has 1,000,007 rows, which is not a plan (a plan has at most 20,000); "
        "if the rows below the table are empty, delete them in Excel or WPS and save")
    assert time.monotonic() - started < 10


def test_a_csv_of_more_rows_than_a_plan_is_refused(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("\n".join([TITLE, ",".join(HEADER), "一、部分"] + ["1,任务,6月底前,朱明生,林丽,办公室"] * 20_000),
                    encoding="utf-8")
    with pytest.raises(PlanError) as error:
        read_plan(path)
    assert str(error.value).splitlines()[1] == (
        f"{path}: its table has 20,002 rows, which is not a plan (a plan has at most 20,000); "
        "if the rows below the table are empty, delete them and save")


def test_the_report_lists_the_first_50_warnings(tmp_path):
    rows = [ROWS[0]] + [["", f"任务{n}", "6月底前", "朱明生", "林丽", "办公室"] for n in range(1, 61)]
    bot = make_bot(tmp_path)
    try:
        report = bot.import_plan(plan_csv(tmp_path / "plan.csv", [TITLE], rows)).report
    finally:
        bot.close()
    lines = report.splitlines()
    assert "警告：60" in lines
    listed = [line for line in lines if "工作内容没有序号" in line]
    assert (len(listed), listed[-1]) == (50, "第54行（1.50）：工作内容没有序号，按顺序记为1.50：任务50")
    assert lines[-1] == "…另有10条警告未列出"


def test_a_later_word_table_with_a_header_of_its_own_is_read_by_it(tmp_path):
    first = Sheet([HEADER, *ROWS[:3]])
    # More columns, 备注 first, other header words: read by its own header, not cut to the first's width.
    second = Sheet([["备注", "备注2", "序号", "重点任务", "时间节点", "分管领导", "具体责任人", "牵头单位"],
                    ["", "", "二、服务创新驱动", "", "", "", "", ""],
                    ["无", "", "1", "开展院士专家八闽行活动", "第三季度", "徐锦清", "童聪良", "学会部"]])
    # Neither a header nor the plan's width: not read, and the report says so.
    contacts = Sheet([["联系人", "电话"], ["林丽", "0597-1234567"]])
    path = write_docx(tmp_path / "two.docx", [TITLE], [first, second, contacts])
    draft = read_plan(path)
    assert [(t.ref, t.content, t.lead, t.owners, t.all_units) for t in draft.tasks] == [
        ("1.1", "召开市科协第十次代表大会", ["朱明生"], ["林丽"], ["办公室"]),
        ("1.2", "举办科技工作者日系列活动", ["徐锦清"], ["严众能"], ["学会部"]),
        ("2.1", "开展院士专家八闽行活动", ["徐锦清"], ["童聪良"], ["学会部"])]
    assert [(p.code, p.line, p.value, p.count) for p in draft.problems] == [
        ("table_not_read", None, "联系人 电话 林丽 0597-1234567", 3)]
    bot = make_bot(tmp_path)
    try:
        report = bot.import_plan(path).report
    finally:
        bot.close()
    assert "第3个表格没有表头行，列数也与任务表不同，未导入：联系人 电话 林丽 0597-1234567" in report.splitlines()


def _workbook(sheets: list[tuple[str, str, list[list[str]]]]) -> openpyxl.Workbook:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, state, rows in sheets:
        sheet = workbook.create_sheet(title)
        sheet.sheet_state = state
        for row in rows:
            sheet.append(row)
    return workbook


OLD_PLAN = [[TITLE], HEADER, ["一、旧的部分"], ["1", "旧版任务（已作废）", "3月底前", "朱明生", "林丽", "办公室"]]
PLAN = [[TITLE], HEADER, *ROWS]


def test_a_hidden_sheet_or_a_header_only_template_placed_first_is_not_the_plan(tmp_path):
    cases = {
        "hidden.xlsx": [("旧版", "hidden", OLD_PLAN), ("分解表", "visible", PLAN)],
        "very_hidden.xlsx": [("旧版", "veryHidden", OLD_PLAN), ("分解表", "visible", PLAN)],
        "template.xlsx": [("填表说明", "visible", [["填写示例"], HEADER, ["一、部分"]]), ("分解表", "visible", PLAN)],
    }
    for name, sheets in cases.items():
        workbook = _workbook(sheets)
        workbook.active = len(sheets) - 1
        workbook.save(tmp_path / name)
        draft = read_plan(tmp_path / name)
        assert [t.content for t in draft.tasks] == [
            "召开市科协第十次代表大会", "举办科技工作者日系列活动", "开展院士专家八闽行活动"], name
    # A plan only on a hidden sheet is still read; a header alone on every sheet is still no plan.
    _workbook([("旧版", "hidden", OLD_PLAN), ("说明", "visible", [["本表为2021年"]])]).save(tmp_path / "only.xlsx")
    assert [t.content for t in read_plan(tmp_path / "only.xlsx").tasks] == ["旧版任务（已作废）"]
    _workbook([("填表说明", "visible", [[TITLE], HEADER])]).save(tmp_path / "header.xlsx")
    with pytest.raises(PlanError, match="no task rows found"):
        read_plan(tmp_path / "header.xlsx")


def test_formulas_saved_without_a_value_are_reported_by_row(tmp_path):
    # Written by a program (openpyxl here), never opened in Excel: no value is saved with a formula.
    workbook = _workbook([("分解表", "visible", [
        [TITLE], HEADER, ["一、强化政治引领"],
        ["=ROW()-3", "召开代表大会", "6月底前", "朱明生", "林丽", "办公室"],
        ["=ROW()-3", '=B4&"（续）"', "=C4", "朱明生", "=E4", "办公室"],
        ["3", "举办培训", "10月中旬", "徐锦清", "严众能", "学会部"]])])
    workbook.save(tmp_path / "formulas.xlsx")
    draft = read_plan(tmp_path / "formulas.xlsx")
    assert [(p.code, p.line, p.ref, p.value) for p in draft.problems] == [
        ("formula_no_value", 4, None, "A4"), ("formula_no_value", 5, None, "A5 B5 C5 E5"),
        ("no_number", 4, "1.1", "召开代表大会"), ("no_content", 5, None, "")]
    bot = make_bot(tmp_path)
    try:
        report = bot.import_plan(tmp_path / "formulas.xlsx").report
    finally:
        bot.close()
    assert ("第5行：A5、B5、C5、E5是公式，文件里没有保存计算结果，按空白读取；请用Excel或WPS打开文件、保存后重新导入"
            in report.splitlines())
    # Formulas with saved values (what Excel and WPS write) are read as their values, with no warning.
    with zipfile.ZipFile(tmp_path / "formulas.xlsx") as source, \
            zipfile.ZipFile(tmp_path / "saved.xlsx", "w") as saved:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<c r="A4"><f>ROW()-3</f><v></v></c>', b'<c r="A4"><f>ROW()-3</f><v>1</v></c>')
                data = data.replace(b'<c r="A5"><f>ROW()-3</f><v></v></c>', b'<c r="A5"><f>ROW()-3</f><v>2</v></c>')
                data = data.replace(b'<c r="B5"><f>', b'<c r="B5" t="str"><f>').replace(
                    b"</f><v></v></c><c r=\"C5\"", "</f><v>召开代表大会（续）</v></c><c r=\"C5\"".encode())
            saved.writestr(item, data)
    draft = read_plan(tmp_path / "saved.xlsx")
    assert [(t.ref, t.content) for t in draft.tasks] == [("1.1", "召开代表大会"), ("1.2", "召开代表大会（续）"),
                                                        ("1.3", "举办培训")]
    assert [(p.code, p.line, p.value) for p in draft.problems] == [
        ("formula_no_value", 5, "C5 E5"), ("no_deadline", 5, "unmerged"), ("no_owner", 5, "unmerged")]


def test_a_stray_double_quote_in_a_csv_is_reported_naming_its_row(tmp_path):
    text = "\r\n".join(",".join(row) for row in [[TITLE], HEADER, *ROWS]) + "\r\n"
    path = tmp_path / "quote.csv"
    path.write_text(text.replace("举办", '"举办'), encoding="utf-8")
    bot = make_bot(tmp_path)
    try:
        before = bot.import_plan(plan_csv(tmp_path / "quote.csv", [TITLE], ROWS))
        assert [t.ref for t in before.draft.tasks] == ["1.1", "1.2", "2.1"]
        path.write_text(text.replace("举办", '"举办'), encoding="utf-8")
        imported = bot.import_plan(path)
    finally:
        bot.close()
    draft = imported.draft
    assert [t.ref for t in draft.tasks] == ["1.1"]
    assert [(p.code, p.line, p.value, p.count) for p in draft.problems] == [
        ("stray_quote", 5, "举办科技工作者日系列活动,10月中旬,徐锦清,严众能,学会部", 2)]
    assert ("第5行：有一个不成对的双引号，其后2行都被读进了这一行的一个单元格，这些行均未导入；请删去多余的双引号后"
            "重新导入：举办科技工作者日系列活动,10月中旬,徐锦清,严众能,学会部") in imported.report.splitlines()
    # The rows it swallowed are not taken for removed tasks.
    assert (imported.result.removed, imported.result.kept) == ([], ["1.2", "2.1"])
    # A cell of several lines is no stray quote.
    rows = [ROWS[0], ["1", "召开会议", "6月底前", "朱明生", "林丽\n\n童聪良", "科普部,学会部\n\n市科技馆,办公室"]]
    draft = read_plan(plan_csv(tmp_path / "lines.csv", [TITLE], rows))
    assert ([t.units for t in draft.tasks], draft.problems) == ([["科普部", "学会部", "市科技馆", "办公室"]], [])
