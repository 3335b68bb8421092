"""Table layouts the real plans show one at a time, each on its own (DESIGN §3.1 "Tables"): footnotes,
a header over two rows, a header narrower than its rows, 牵头/参与 in one cell, a year in the header;
and the bad input of issue 11: a sheet of numbers, a scanned PDF, cells that cannot be told apart."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from bot.plan import PlanError, read_plan
from tests.office_plans import Sheet, write_csv, write_docx, write_xlsx

HEADER = ["序号", "工作内容", "责任单位", "完成时限"]


def test_a_footnote_row_without_section_rows_is_reported_not_a_task(tmp_path):
    rows = [HEADER,
            ["1", "开展安全生产大检查。", "应急局", "6月底前"],
            ["2", "修订应急预案。", "应急局、消防救援大队", "9月底前"],
            ["3", "组织应急演练。", "各乡镇", "11月底前"],
            ["注：1.各单位于每月25日前报送进展；2.本表由督查室负责解释。"] * 4]
    sheet = Sheet(rows, merges=[(4, 0, 4, 3)])
    for path in (write_docx(tmp_path / "p.docx", ["某县2023年安全生产重点工作任务分解表"], [sheet]),
                 write_xlsx(tmp_path / "p.xlsx", ["某县2023年安全生产重点工作任务分解表"], sheet)):
        draft = read_plan(path)
        assert [(t.ref, t.content, t.deadline.due, t.units) for t in draft.tasks] == [
            ("1", "开展安全生产大检查。", date(2023, 6, 30), ["应急局"]),
            ("2", "修订应急预案。", date(2023, 9, 30), ["应急局", "消防救援大队"]),
            ("3", "组织应急演练。", date(2023, 11, 30), ["各乡镇"])]
        assert draft.sections == []
        assert [(p.code, p.value) for p in draft.problems] == [
            ("footnote", "注：1.各单位于每月25日前报送进展；2.本表由督查室负责解")]


def test_a_header_over_two_rows(tmp_path):
    rows = [["序号", "重点任务", "责任主体", "责任主体", "完成时限"],
            ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"],
            ["1", "推进老旧小区改造。", "住建局", "财政局、各街道", "年底前"],
            ["2", "新建公共停车场2处。", "交通局", "自然资源局", "第三季度"]]
    sheet = Sheet(rows, merges=[(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 3), (0, 4, 1, 4)])
    draft = read_plan(write_docx(tmp_path / "p.docx", ["某区2022年为民办实事项目分解表"], [sheet]))
    assert [(t.ref, t.lead_units, t.cooperating, t.deadline.due) for t in draft.tasks] == [
        ("1", ["住建局"], ["财政局", "各街道"], date(2022, 12, 31)),
        ("2", ["交通局"], ["自然资源局"], date(2022, 9, 30))]
    assert draft.problems == []


def test_a_header_narrower_than_its_rows_and_the_year_in_the_header(tmp_path):
    # The 序号 column has no header cell, and only the header says which year the deadlines are in.
    rows = [["重点任务", "责任单位", "2019年完成时限"],
            ["1", "完善河长制工作机制。", "水利局牵头、各乡镇参与", "6月底前"],
            ["2", "开展河道清淤。", "水利局", "10月底前"]]
    draft = read_plan(write_csv(tmp_path / "p.csv", ["河长制工作任务分解表"], Sheet(rows)))
    assert draft.year == 2019
    assert [(t.ref, t.content, t.lead_units, t.units, t.cooperating, t.deadline.due) for t in draft.tasks] == [
        ("1", "完善河长制工作机制。", ["水利局"], [], ["各乡镇"], date(2019, 6, 30)),
        ("2", "开展河道清淤。", [], ["水利局"], [], date(2019, 10, 31))]


def test_empty_section_rows_and_numbering_that_runs_on(tmp_path):
    rows = [HEADER, ["一、稳增长"] * 4, ["1", "扩大有效投资。", "发改局", "年底前"],
            ["二、促改革"] * 4, ["三、惠民生"] * 4, ["2", "新增就业1000人。", "人社局", "年底前"],
            ["3", "建成养老服务中心。", "民政局", "9月底前"]]
    sheet = Sheet(rows, merges=[(1, 0, 1, 3), (3, 0, 3, 3), (4, 0, 4, 3)])
    draft = read_plan(write_xlsx(tmp_path / "p.xlsx", ["某县2024年政府工作报告重点任务分解表"], sheet))
    assert [s.heading for s in draft.sections] == ["一、稳增长", "二、促改革", "三、惠民生"]
    assert [(t.ref, t.section) for t in draft.tasks] == [("1", 1), ("2", 3), ("3", 3)]


def test_a_sheet_of_numbers_is_refused_saying_what_a_header_needs(tmp_path):
    workbook = openpyxl.Workbook()
    for r in range(1, 20):
        workbook.active.append([r, r * 3.5, r * r])
    workbook.save(tmp_path / "numbers.xlsx")
    with pytest.raises(PlanError) as error:
        read_plan(tmp_path / "numbers.xlsx")
    chinese, english = str(error.value).splitlines()
    assert chinese == (f"{tmp_path / 'numbers.xlsx'}：没有找到任务表。文件里没有表头词；"
                       "任务表需要一行表头：写明任务内容（如 工作内容、工作任务、重点任务、具体要求、主要内容），"
                       "以及 序号、完成时限、牵头领导、责任人、责任单位、配合单位 等中的至少两项。")
    assert english == (f"{tmp_path / 'numbers.xlsx'}: no table found; a plan is a table with a header row naming the "
                       "task and its columns")


def test_cells_run_together_with_no_row_numbers_cannot_be_told_apart(tmp_path):
    path = tmp_path / "pasted.txt"
    path.write_text("2021年重点工作任务\n序号工作任务责任单位完成时限召开年度工作会议办公室3月底前举办业务培训学会部9月底前\n",
                    encoding="utf-8")
    with pytest.raises(PlanError) as error:
        read_plan(path)
    assert "文件里的表头词：序号、工作任务、责任单位、完成时限；" in str(error.value)
    assert "(header words found: 序号、工作任务、责任单位、完成时限)" in str(error.value)


def test_a_pdf_of_scanned_pages_is_refused(tmp_path):
    from PIL import Image
    from reportlab.pdfgen import canvas

    Image.new("L", (200, 100), 255).save(tmp_path / "scan.png")
    page = canvas.Canvas(str(tmp_path / "scan.pdf"))
    page.drawImage(str(tmp_path / "scan.png"), 50, 500, 400, 200)
    page.save()
    with pytest.raises(PlanError) as error:
        read_plan(tmp_path / "scan.pdf")
    assert str(error.value).splitlines() == [
        f"{tmp_path / 'scan.pdf'}：这个 PDF 只有扫描图片，没有文字，无法读出表格；"
        "请导入原来的 Word/Excel 文件，或先做文字识别（OCR）。",
        f"{tmp_path / 'scan.pdf'}: this PDF holds only scanned images, no text: import the Word or Excel original, "
        "or run OCR on it first"]
