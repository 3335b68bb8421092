"""The bundled sample plan (`make run` on an empty store imports it) gives way to the office's
own: importing any other plan withdraws it — its tasks, people and reminders leave questions,
pages, the export and the doctor — and keeps its rows and events (nothing deleted); importing
it again brings it back."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

from openpyxl import load_workbook

from bot.config import BUNDLED_PLAN
from bot.export import export
from tests.conftest import make_bot

OWN = "测试县人社局2026年度工作要点"
OWN_TEXT = f"""{OWN}
2026年2月1日
1. 开展工伤保险扩面，责任人：李明，6月底前完成。
2. 举办就业招聘会，责任人：王芳，9月底前完成。
"""


def test_the_office_plan_withdraws_the_sample_and_keeps_its_records(tmp_path):
    bot = make_bot(tmp_path, on=date(2026, 3, 2), plan=BUNDLED_PLAN)
    try:
        sample = bot.store.plans()[0]
        assert (sample.title, len(bot.store.tasks(sample.id))) == ("龙岩市科协2020年度工作要点", 35)
        (tmp_path / "own.txt").write_text(OWN_TEXT, encoding="utf-8")
        report = bot.import_plan(tmp_path / "own.txt").report
        assert ("示例计划《龙岩市科协2020年度工作要点》已停用：它的任务、人员和提醒不再出现；记录都还在。"
                "要再用它，重新导入即可。") in report.splitlines()
        assert [p.title for p in bot.store.plans()] == [OWN]
        assert bot.store.withdrawn_plans()[0][:2] == (sample.id, "龙岩市科协2020年度工作要点")
        assert bot.people() == ["李明", "王芳"]
        assert bot.say("严众能负责什么").text.startswith("计划里没有叫“严众能”的人")  # the whole name, not 严众
        assert load_workbook(export(bot, tmp_path / "表.xlsx")).sheetnames == [OWN]
        assert len(bot.store.tasks(sample.id)) == 35  # withdrawn, not deleted
        # The sample imported again is back in use, beside the office's plan.
        assert "已停用" not in bot.import_plan(BUNDLED_PLAN).report
        assert [p.title for p in bot.store.plans()] == ["龙岩市科协2020年度工作要点", OWN]
        assert "严众能" in bot.people()
        # Re-importing the office's own plan leaves the sample the office brought back.
        assert "已停用" not in bot.import_plan(tmp_path / "own.txt").report
        assert [p.title for p in bot.store.plans()] == ["龙岩市科协2020年度工作要点", OWN]
    finally:
        bot.close()


def test_a_sample_somebody_used_is_that_office_plan_and_stays(tmp_path):
    bot = make_bot(tmp_path, on=date(2020, 11, 2), plan=BUNDLED_PLAN)
    try:
        assert bot.say("完成 3.3", as_="林永禄").text.startswith("3.3 ")
        (tmp_path / "own.txt").write_text(OWN_TEXT.replace("2026", "2021"), encoding="utf-8")
        assert "已停用" not in bot.import_plan(tmp_path / "own.txt").report
        assert [p.title for p in bot.store.plans()] == ["龙岩市科协2020年度工作要点", OWN.replace("2026", "2021")]
    finally:
        bot.close()


def test_a_plan_of_the_office_is_never_withdrawn_by_another(tmp_path):
    (tmp_path / "own.txt").write_text(OWN_TEXT, encoding="utf-8")
    (tmp_path / "special.txt").write_text(OWN_TEXT.replace(OWN, "2026年专项督办清单"), encoding="utf-8")
    bot = make_bot(tmp_path, on=date(2026, 3, 2), plan=tmp_path / "own.txt")
    try:
        assert "已停用" not in bot.import_plan(tmp_path / "special.txt").report
        assert [p.title for p in bot.store.plans()] == [OWN, "2026年专项督办清单"]
    finally:
        bot.close()


def test_the_doctor_lists_each_active_plan_and_the_default_one(tmp_path):
    (tmp_path / "own.txt").write_text(OWN_TEXT, encoding="utf-8")
    (tmp_path / "special.txt").write_text(OWN_TEXT.replace(OWN, "2026年专项督办清单"), encoding="utf-8")
    duban = [sys.executable, "-m", "bot", "--today", "2026-03-02"]
    for name in ("own.txt", "special.txt"):
        subprocess.run([*duban, "import", name], cwd=tmp_path, check=True, capture_output=True)
    lines = subprocess.run([*duban, "doctor"], cwd=tmp_path, capture_output=True, text=True).stdout.splitlines()
    assert [line for line in lines if line.startswith(("OK    计划", "OK    节假日", "问题  节假日"))] == [
        f"OK    计划：《{OWN}》（2026年，2 项任务；问题默认按这个计划回答）",
        "OK    计划：《2026年专项督办清单》（2026年，2 项任务）",
        "OK    节假日：chinesecalendar 有 2026 年的放假和调休安排",
        # Only January 2027 is pushed in: the statutory days stand in, said but not a 问题.
        "OK    节假日：chinesecalendar 还没有 2027 年的放假和调休安排；计划只在 2027 年1月还发提醒，"
        "这期间按周一至周五、避开法定节假日算（调休上班日不知道）。安排公布后升级 chinesecalendar 即可"]


def test_the_local_chat_page_shows_examples_of_the_plan_in_use(tmp_path, serve):
    import httpx

    (tmp_path / "own.txt").write_text(OWN_TEXT, encoding="utf-8")
    bot = make_bot(tmp_path, on=date(2026, 3, 2), plan=tmp_path / "own.txt")
    try:
        page = httpx.get(serve(bot) + "/", timeout=10).text
    finally:
        bot.close()
    assert 'placeholder="例如：李明负责什么 / 本月到期 / 1 / 帮助"' in page
    assert "严众能" not in page


def test_the_doctor_fails_a_plan_whose_own_year_has_no_holiday_data(tmp_path):
    (tmp_path / "own.txt").write_text(OWN_TEXT.replace("2026", "2027"), encoding="utf-8")
    duban = [sys.executable, "-m", "bot", "--today", "2027-03-02"]
    subprocess.run([*duban, "import", "own.txt"], cwd=tmp_path, check=True, capture_output=True)
    result = subprocess.run([*duban, "doctor"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 1
    assert next(line for line in result.stdout.splitlines() if "节假日" in line) == (
        "问题  节假日：chinesecalendar 没有 2027 年的放假和调休安排，"
        "提醒会按周一至周五算工作日（法定节假日当天除外，调休上班日不知道）")
