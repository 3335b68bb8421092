"""The 完成情况表 writes every text as text (OWASP CSV/formula injection): a task or a note that
starts with "=", "+", "-", "@" or a TAB is a string cell when read back, never a formula."""

from __future__ import annotations

from datetime import date

from icalendar import Calendar
from openpyxl import load_workbook

from bot.export import export
from tests.conftest import make_bot
from tests.plans import tab_plan
from tests.test_export import rows_by_ref

HOSTILE = [
    {"task": 1, "工作内容": "=HYPERLINK(\"http://x.test/\",\"点我\")", "完成时间": "2027年6月30日", "责任人": "张三"},
    {"task": 2, "工作内容": "+1+cmd|' /C calc'!A0", "完成时间": "2027年6月30日", "责任人": "张三"},
    {"task": 3, "工作内容": "@SUM(1+1)*cmd|' /C calc'!A0", "完成时间": "2027年6月30日", "责任人": "李四"},
    {"task": 4, "工作内容": "推进科普示范社区建设。", "完成时间": "2027年6月30日", "责任人": "李四"},
]


def test_formula_like_plan_text_and_notes_are_strings(tmp_path):
    plan = tab_plan(tmp_path / "plan.txt", HOSTILE)
    bot = make_bot(tmp_path, on=date(2027, 3, 1), plan=plan)
    bot.say("进展 1.4 =1+2", as_="李四")
    bot.say("进展 1.3 -2+3", as_="李四")
    book = load_workbook(export(bot, tmp_path / "完成情况表.xlsx"))
    sheet = book.active
    rows = rows_by_ref(sheet)
    assert [rows[ref]["工作内容"] for ref in ("1.1", "1.2", "1.3")] == [
        "=HYPERLINK(\"http://x.test/\",\"点我\")", "+1+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0"]
    assert rows["1.4"]["最新进展"] == "=1+2（李四 2027-03-01）"
    assert rows["1.3"]["最新进展"] == "-2+3（李四 2027-03-01）"
    cells = {c.value: c for row in sheet.iter_rows(min_row=4) for c in row if isinstance(c.value, str)}
    formula = cells["=HYPERLINK(\"http://x.test/\",\"点我\")"]
    assert (formula.data_type, formula.quotePrefix) == ("s", True)
    assert (cells["+1+cmd|' /C calc'!A0"].data_type, cells["+1+cmd|' /C calc'!A0"].quotePrefix) == ("s", True)
    assert cells["=1+2（李四 2027-03-01）"].data_type == "s"
    assert cells["推进科普示范社区建设。"].quotePrefix is False
    assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    # The calendar has no formulas: its text is iCalendar-escaped text, kept as written.
    calendar = Calendar.from_ical(export(bot, tmp_path / "d.ics").read_bytes())
    summaries = sorted(str(e["summary"]) for e in calendar.walk("VEVENT"))
    assert summaries == ['【到期】1.1 =HYPERLINK("http://x.te…', "【到期】1.2 +1+cmd|' /C calc'!A0",
                         "【到期】1.3 @SUM(1+1)*cmd|' /C calc…", "【到期】1.4 推进科普示范社区建设"]
    bot.close()
