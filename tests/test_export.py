"""The office's files out: the 完成情况表 (.xlsx) read back with openpyxl, the deadlines calendar
(.ics) read back with icalendar, and ``duban export`` as a user runs it (issue 7)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pytest
from icalendar import Calendar
from openpyxl import load_workbook

from bot.export import ExportError, export
from bot.export.xlsx import sheet_title
from tests.conftest import make_bot
from tests.plans import EXPECTED, SEED, tab_plan

ROOT = Path(__file__).resolve().parent.parent
PLAN = json.loads(EXPECTED.read_text(encoding="utf-8"))
HEADER = ["序号", "工作内容", "完成时限", "牵头领导", "责任人", "相关部室、单位",
          "状态", "完成时间", "完成人", "最新进展"]


def rows_by_ref(sheet) -> dict[str, dict]:
    header = [c.value for c in sheet[3]]
    return {row[0]: dict(zip(header, row, strict=True))
            for row in sheet.iter_rows(min_row=4, values_only=True) if row[1] is not None}


def test_the_table_shows_3_3_done_with_when_and_who(office, tmp_path):
    path = export(office, tmp_path / "完成情况表.xlsx")
    book = load_workbook(path)
    assert book.sheetnames == ["龙岩市科协2020年度工作要点"]
    sheet = book.active
    assert sheet["A1"].value == "《龙岩市科协2020年度工作要点》重点工作任务完成情况表"
    assert sheet["A2"].value == "截至2020年11月28日：已完成1/35项，逾期未完成7项"
    assert [c.value for c in sheet[3]] == HEADER
    assert sheet.freeze_panes == "A4"
    rows = rows_by_ref(sheet)
    assert list(rows) == [t["id"] for t in PLAN["tasks"]]
    assert rows["3.3"] == {
        "序号": "3.3", "工作内容": "举办第13届市青少年科技创新大赛。", "完成时限": "11月底前", "牵头领导": "徐锦清",
        "责任人": "林永禄、童聪良", "相关部室、单位": "科普部、长汀县科协", "状态": "已完成",
        "完成时间": datetime(2020, 11, 28, 15, 4), "完成人": "林永禄、童聪良", "最新进展": None}
    done_at = next(c for c in sheet["H"] if c.value == datetime(2020, 11, 28, 15, 4))
    assert done_at.number_format == "yyyy-mm-dd hh:mm"
    # Half done, untouched overdue, untouched ongoing with a note:
    assert (rows["3.4"]["状态"], rows["3.4"]["完成时间"], rows["3.4"]["完成人"]) == (
        "已逾期151天（部分完成 1/2）", None, "严众能")
    assert (rows["3.2"]["状态"], rows["3.2"]["完成时间"], rows["3.2"]["完成人"]) == ("已逾期59天", None, None)
    assert (rows["3.1"]["状态"], rows["3.1"]["最新进展"]) == ("进行中",
                                                         "已完成龙岩站巡展 <b>长汀</b>（严众能 2020-11-28）")


def test_section_rows_stand_where_the_plan_has_them(office, tmp_path):
    sheet = load_workbook(export(office, tmp_path / "t.xlsx")).active
    merged = {str(r) for r in sheet.merged_cells.ranges}
    sections = [(cell.row, cell.value) for cell in sheet["A"][3:] if cell.value and "、" in cell.value]
    assert [title for _, title in sections] == [f"{s['number']}、{s['title']}" for s in PLAN["sections"]]
    for row, _ in sections:
        assert f"A{row}:J{row}" in merged
    row = next(r for r, title in sections if title == "三、进一步塑造科普品牌")
    assert [sheet.cell(row + n, 1).value for n in range(1, 10)] == [f"3.{n}" for n in range(1, 10)]
    assert sheet.cell(row + 1, 2).alignment.wrap_text and sheet.cell(row + 1, 2).border.left.style == "thin"
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width


def test_one_sheet_per_plan_the_newest_first(office, tmp_path):
    newer = tab_plan(tmp_path / "2027.txt", [
        {"工作内容": "测试任务", "完成时间": "10月底前", "牵头领导": "朱明生", "责任人": "林丽",
         "相关部室、单位": "学会部"}])
    office.import_plan(newer, 2027)
    book = load_workbook(export(office, tmp_path / "both.xlsx"))
    assert book.sheetnames == ["测试市科协2027年度工作要点", "龙岩市科协2020年度工作要点"]


def test_sheet_names_are_ones_excel_accepts():
    used: set[str] = set()
    long = "龙岩市科协2020年度工作要点[附件]重点工作任务分解表：第二稿*定稿?/\\很长很长很长"
    first = sheet_title(long, used, "完成情况")
    assert len(first) <= 31 and not set(first) & set('[]:*?/\\')
    second = sheet_title(long, used, "完成情况")
    assert second.endswith("(2)") and len(second) <= 31 and second != first
    assert sheet_title("[]''", used, "完成情况") == "完成情况"


def _events(data: bytes) -> list:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def test_the_calendar_has_every_due_date_and_milestone(office, tmp_path):
    path = export(office, tmp_path / "plan.ics")
    cal = Calendar.from_ical(path.read_bytes())
    assert str(cal["VERSION"]) == "2.0" and str(cal["PRODID"]).startswith("-//duban//")
    assert str(cal["X-WR-CALNAME"]).startswith("龙岩市科协2020年度工作要点")
    due = [t for t in PLAN["tasks"] if t["due_date"] and t["deadline_kind"] != "whole_year_ongoing"]
    milestones = [(t["id"], e["date"]) for t in PLAN["tasks"] for e in t["event_dates"]]
    events = _events(path.read_bytes())
    assert len(events) == len(due) + len(milestones) == 12
    by_summary = {str(e["SUMMARY"]): e for e in events}
    the_fair = by_summary["【到期】3.3 举办第13届市青少年科技创新大赛"]
    start, end = the_fair.decoded("DTSTART"), the_fair.decoded("DTEND")
    assert (type(start), start, end) == (date, date(2020, 11, 30), date(2020, 12, 1))
    assert the_fair["DTSTART"].params["VALUE"] == "DATE"
    description = str(the_fair["DESCRIPTION"]).splitlines()
    assert {"完成时限：11月底前", "牵头领导：徐锦清", "责任人：林永禄、童聪良"} <= set(description)
    days = sorted((str(e["SUMMARY"]).split(" ")[0][4:], e.decoded("DTSTART").isoformat()) for e in events)
    assert days == sorted([(t["id"], t["due_date"]) for t in due] + milestones)
    assert "【节点】2.4" in "".join(by_summary)  # 6.18, while 2.4 runs all year: no due event
    assert not any(s.startswith("【到期】2.4") for s in by_summary)


def test_uids_are_unique_and_stay_the_same_across_exports(office, tmp_path):
    first = _events(export(office, tmp_path / "a.ics").read_bytes())
    office.clock.advance(days=3)
    office.say("完成 3.2", as_="徐锦清")
    second = _events(export(office, tmp_path / "b.ics").read_bytes())
    uids = [str(e["UID"]) for e in first]
    assert len(set(uids)) == len(uids)
    assert uids == [str(e["UID"]) for e in second]
    assert [e.decoded("DTSTAMP") for e in first] != [e.decoded("DTSTAMP") for e in second]


def test_an_unknown_extension_or_missing_folder_is_refused(office, tmp_path):
    with pytest.raises(ExportError, match=r"cannot export \.pdf; use \.xlsx or \.ics"):
        export(office, tmp_path / "table.pdf")
    with pytest.raises(ExportError, match="does not exist"):
        export(office, tmp_path / "nowhere" / "table.xlsx")
    (tmp_path / "a folder.xlsx").mkdir()
    with pytest.raises(ExportError, match="is a folder"):
        export(office, tmp_path / "a folder.xlsx")
    assert not (tmp_path / "table.pdf").exists() and not (tmp_path / "nowhere").exists()


def test_a_failed_write_leaves_the_old_file_and_no_scraps(office, tmp_path, monkeypatch):
    from openpyxl import Workbook

    target = tmp_path / "out" / "table.xlsx"
    target.parent.mkdir()
    target.write_bytes(b"last week's table")

    def broken_save(self, filename):
        Path(filename).write_bytes(b"PK half a zip")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Workbook, "save", broken_save)
    with pytest.raises(ExportError, match="No space left on device"):
        export(office, target, force=True)
    assert target.read_bytes() == b"last week's table"
    assert [p.name for p in target.parent.iterdir()] == ["table.xlsx"]


def duban(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args, "--today", "2020-11-28"], cwd=cwd,
                          capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})


def test_the_command_never_overwrites_without_force(tmp_path):
    (tmp_path / "config.toml").write_text(f'[bot]\ndatabase = "duban.db"\nplan = "{SEED}"\n', encoding="utf-8")
    first = duban("export", "进度.xlsx", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip() == "进度.xlsx"
    table = tmp_path / "进度.xlsx"
    before = table.read_bytes()
    assert duban("ask", "完成 3.2", "--as", "徐锦清", cwd=tmp_path).returncode == 0

    again = duban("export", "进度.xlsx", cwd=tmp_path)
    assert again.returncode == 2
    assert again.stderr.strip().endswith("进度.xlsx exists; add --force to overwrite it")
    assert table.read_bytes() == before

    forced = duban("export", "进度.xlsx", "--force", cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    rows = rows_by_ref(load_workbook(table).active)
    assert rows["3.2"]["状态"] == "已完成" and rows["3.2"]["完成人"] == "徐锦清"
    assert sorted(p.name for p in tmp_path.iterdir() if "xlsx" in p.name) == ["进度.xlsx"]

    wrong = duban("export", "进度.docx", cwd=tmp_path)
    assert (wrong.returncode, wrong.stdout) == (2, "")
    assert "use .xlsx or .ics" in wrong.stderr and not (tmp_path / "进度.docx").exists()
    calendar = duban("export", "deadlines.ics", cwd=tmp_path)
    assert calendar.returncode == 0 and len(_events((tmp_path / "deadlines.ics").read_bytes())) == 12


@pytest.mark.parametrize("name, message", [
    ("长" * 100 + ".xlsx", "File name too long"),
    ("afile/out.xlsx", "afile is a file, not a folder"),
])
def test_an_unwritable_path_is_a_clear_error(tmp_path, name, message):
    bot = make_bot(tmp_path)
    (tmp_path / "afile").write_text("x")
    with pytest.raises(ExportError, match=message):
        export(bot, tmp_path / name)
    bot.close()
