"""A hostile tester's plan files: each answered in Chinese, naming the file, row or column, and
what to do; nothing imported that should not be (the import's edges past test_readers_bad_input)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.plan import PlanError, read_plan
from tests.office_plans import SEED_TITLE_LINES, seed_sheet, write_csv, write_xlsx
from tests.plans import DATA

WEIHAI_TEXT = DATA / "plans" / "03_weihai_swj_2017_zwgk" / "source.txt"  # copy of ../shared/plans/03


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_a_utf16_text_plan_reads_as_its_utf8_copy(tmp_path, encoding):
    text = WEIHAI_TEXT.read_text(encoding="utf-8")
    data = text.encode(encoding)
    if encoding != "utf-16":  # Notepad writes the BOM; a -le/-be copy is given one explicitly
        data = ("\ufeff").encode(encoding) + data
    path = tmp_path / "plan.txt"
    path.write_bytes(data)
    draft, original = read_plan(path), read_plan(WEIHAI_TEXT)
    assert (draft.title, draft.year) == ("威海市商务局 2017 年政务公开重点工作实施方案", 2017)
    assert [t.ref for t in draft.tasks] == [t.ref for t in original.tasks] == ["1", "2", "3"]
    assert [t.content for t in draft.tasks] == [t.content for t in original.tasks]


def test_a_gb18030_text_plan_still_reads(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_bytes(WEIHAI_TEXT.read_text(encoding="utf-8").encode("gb18030"))
    assert [t.ref for t in read_plan(path).tasks] == ["1", "2", "3"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_not_a_regular_file(tmp_path):
    fifo = tmp_path / "plan.txt"
    os.mkfifo(fifo)
    with pytest.raises(PlanError) as error:
        read_plan(fifo)  # must not block reading it
    assert error.value.code == "not_regular"
    assert str(error.value).splitlines()[0] == (
        f"{fifo}：不是普通文件（是管道、设备、套接字或指向不存在文件的链接），无法作为计划读取；"
        "请指定 .docx、.xlsx 等计划文件本身。")


def test_a_device_and_a_dangling_link_are_not_regular_files(tmp_path):
    link = tmp_path / "plan.xlsx"
    link.symlink_to(tmp_path / "gone.xlsx")
    for path in (Path("/dev/null"), link):
        with pytest.raises(PlanError) as error:
            read_plan(path)
        assert error.value.code == "not_regular"
    with pytest.raises(PlanError) as error:
        read_plan(tmp_path / "missing.xlsx")
    assert error.value.code == "no_file"
    assert str(error.value).startswith(f"{tmp_path / 'missing.xlsx'}：文件不存在")


def _warnings(draft) -> list[str]:
    from bot.render import ROOT, environment

    words = environment(ROOT / "bot" / "templates").get_template("plan_problems.j2").module
    return [str(words.problem(p, draft)) for p in draft.problems]


def test_a_row_of_20000_cells_is_cut_at_200_columns_with_a_warning(tmp_path):
    """The seed's table pasted as ``|`` rows, then a line of 20,000 ``|`` cells."""
    lines = [SEED_TITLE_LINES[0]] + ["| " + " | ".join(cell.replace("\n", "") for cell in row) + " |"
                                     for row in seed_sheet().filled()]
    lines.append("|".join(["x"] * 200 + ["越界"] + ["y"] * 19_799))
    path = tmp_path / "plan.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    draft = read_plan(path)
    assert [t.ref for t in draft.tasks][:3] == ["1.1", "1.2", "1.3"]
    warning = next(w for p, w in zip(draft.problems, _warnings(draft), strict=True) if p.code == "too_wide")
    assert warning == (f"第{len(lines)}行：这一行有20,000列，任务表最多读200列；从第201列起的内容未读取"
                       "（第201列：“越界”）。请删去表格右侧多余的列后重新导入")


def test_a_csv_row_of_20000_cells_and_a_wide_sheet(tmp_path):
    path = write_csv(tmp_path / "plan.csv", SEED_TITLE_LINES, seed_sheet())
    with path.open("a", encoding="utf-8") as file:
        file.write(",".join([""] * 250 + ["越界"] * 19_750) + "\r\n")
    draft = read_plan(path)
    assert len(draft.tasks) == 35
    # Record 44: two title lines, a blank line, the table's 41 rows, then the wide one.
    too_wide = [p for p in draft.problems if p.code == "too_wide"]
    assert [(p.line, p.count, p.place.column, p.value) for p in too_wide] == [(44, 20_000, 251, "越界")]
    sheet = seed_sheet()
    # Column 301 of the table's 4th row: sheet row 7, below two title rows and a blank one.
    sheet.rows[3] = sheet.rows[3] + [""] * 294 + ["远处的备注"]
    draft = read_plan(write_xlsx(tmp_path / "plan.xlsx", SEED_TITLE_LINES, sheet))
    assert len(draft.tasks) == 35
    assert _warnings(draft)[0] == ("第7行：这一行有301列，任务表最多读200列；从第301列起的内容未读取"
                                   "（第301列：“远处的备注”）。请删去表格右侧多余的列后重新导入")


def test_a_large_number_is_a_number_and_an_absurd_one_is_warned(tmp_path):
    path = tmp_path / "plan.csv"
    path.write_text("\n".join([
        "测试科协2021年重点工作任务分解表", "序号,工作内容,完成时限,责任人",
        "9999,召开代表大会,6月底前,林丽", "10000,举办系列活动,10月中旬,严众能",
        "20210001,开展院士专家行活动,第三季度,童聪良",
        "123456789012345678901234,开展科普日活动,9月底前,童聪良"]) + "\n", encoding="utf-8")
    draft = read_plan(path)
    assert [t.ref for t in draft.tasks] == ["9999", "10000", "20210001", "20210002"]
    assert _warnings(draft) == ["第6行（20210002）：工作内容没有序号，按顺序记为20210002：开展科普日活动"]


def test_a_100000_character_cell_is_cut_to_2000_characters_with_a_warning(tmp_path):
    """The seed's table as a CSV with 3.3's 工作内容 pasted 100,000 characters long."""
    sheet = seed_sheet()
    row = next(i for i, r in enumerate(sheet.rows) if r[1].startswith("3.举办第13届"))
    sheet.rows[row][1] = "3." + "举办第13届市青少年科技创新大赛。" * 6_250  # 17 × 6,250 + 2 = 106,252
    draft = read_plan(write_csv(tmp_path / "plan.csv", SEED_TITLE_LINES, sheet))
    task = next(t for t in draft.tasks if t.ref == "3.3")
    assert len(draft.tasks) == 35
    assert task.content.startswith("举办第13届市青少年科技创新大赛。举办第13届")
    assert len(task.content) == 2_000 - 2  # the cell's first 2,000 characters less its "3."
    assert _warnings(draft)[0] == (
        f"第{row + 4}行：第2列的单元格有106,252个字，超过2,000字的上限，只导入了前2,000字"
        "（开头：“3.举办第13届市青少年科技创新大赛。举办第13届市青少年科”）；请核对这个单元格，多半是粘贴时多带了内容")


@pytest.mark.parametrize("name, data, chinese, library", [
    ("计划.pdf", b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage\n%%EOF",
     "无法读取这个.pdf文件：文件已损坏、不完整，或并非真正的.pdf；"
     "请改用计划的 Word 或 Excel 原件导入，或重新导出 PDF。",
     "(PdfminerException: Unexpected EOF)"),
    ("计划.xls", b"not an xls at all",
     "无法读取这个.xls文件：文件已损坏、不完整，或并非真正的.xls；请用 Word、Excel 或 WPS 打开后另存为.xlsx再导入。",
     "Expected BOF record"),
    ("计划.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
     "无法读取这个.xls文件：文件已损坏、不完整，或并非真正的.xls；请用 Word、Excel 或 WPS 打开后另存为.xlsx再导入。",
     "CompDocError"),
])
def test_a_corrupt_file_is_explained_in_chinese_with_the_library_s_words_after(tmp_path, name, data, chinese,
                                                                              library):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(PlanError) as error:
        read_plan(path)
    first, second = str(error.value).splitlines()
    assert first == f"{path}：{chinese}"
    assert second.startswith(f"{path}: not a readable {path.suffix} file (") and library in second
