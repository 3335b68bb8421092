"""``duban import FILE --preview`` prints the reading and every warning and stores nothing (issue 11)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bot.plan import read_plan
from bot.plan.preview import preview
from tests.office_plans import Sheet, write_docx
from tests.plan_readings import plan_file
from tests.plans import SEED

ROOT = Path(__file__).resolve().parent.parent
LEDGER = plan_file("07_yueyanglou_2018_q1_taizhang", "plan.xlsx")


def duban(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})


def test_preview_of_a_real_table_changes_nothing_in_the_store(tmp_path):
    (tmp_path / "config.toml").write_text('[bot]\ndatabase = "duban.db"\n', encoding="utf-8")
    assert duban("import", str(SEED), cwd=tmp_path).returncode == 0
    before = (tmp_path / "duban.db").read_bytes(), duban("tasks", "--json", cwd=tmp_path).stdout
    result = duban("import", str(LEDGER), "--preview", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (0, "")
    lines = result.stdout.splitlines()
    assert lines[:4] == ["预览《2018年《政府工作报告》目标任务一季度完成情况一览表》（2018年）：只读取，未导入",
                         f"来源：{LEDGER}", "部分：无（表中不分部分）", "任务：6"]
    assert lines[4:9] == [
        "1　地区生产总值达到678亿元,增长9.5%",
        "    完成时限：未写明，不设到期日",
        "    牵头：徐平，区发改局｜责任人：徐铭喜｜单位：区发改局，区统计局，区财政局，区商务粮食局，"
        "区工信局，区农林水务局，区房产分局，区交建局，区金融办，各乡、街道办事处｜配合：区统计局，区财政局，"
        "区商务粮食局，区工信局，区农林水务局，区房产分局，区交建局，区金融办，各乡、街道办事处",
        "    协管：陈曦",
        "2　财政收入达到30亿元,增长15%"]
    # The store holds another plan (the seed): this file would be a new one.
    assert lines[-6:] == ["警告：无", "", "导入后：新建计划《2018年《政府工作报告》目标任务一季度完成情况一览表》。",
                          "", "预览到此为止，没有写入任何内容；确认无误后去掉 --preview 再导入。",
                          "(Preview only: nothing was stored. Run the same command without --preview to import.)"]
    after = (tmp_path / "duban.db").read_bytes(), duban("tasks", "--json", cwd=tmp_path).stdout
    assert after == before and len(json.loads(after[1])) == 35


def test_preview_on_a_fresh_folder_creates_no_store(tmp_path):
    (tmp_path / "config.toml").write_text('[bot]\ndatabase = "duban.db"\n', encoding="utf-8")
    result = duban("import", str(plan_file("01_dazhu_2016_minsheng", "plan.docx")), "--preview", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "5.2　开工建设老年大学。" in result.stdout.splitlines()
    assert "    完成时限：9月投入使用 → 2016-09-30" in result.stdout.splitlines()
    assert not (tmp_path / "duban.db").exists()


def test_preview_of_a_file_that_is_no_plan_exits_2_and_says_why(tmp_path):
    (tmp_path / "notes.txt").write_text("会议纪要\n", encoding="utf-8")
    result = duban("import", str(tmp_path / "notes.txt"), "--preview", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith(f"duban: {tmp_path / 'notes.txt'}：没有找到任务表。")


def test_every_row_not_taken_is_listed_with_its_table_and_row(tmp_path):
    header = ["序号", "工作内容", "责任单位", "完成时限"]
    first = Sheet([header, ["1", "开展安全生产大检查。", "应急局", "6月底前"]])
    second = Sheet([header, ["2", "修订应急预案。", "应急局", "根据上级安排"], ["", "", "应急局", "9月底前"],
                    ["注：本表由督查室解释。"] * 4], merges=[(3, 0, 3, 3)])
    draft = read_plan(write_docx(tmp_path / "p.docx", ["某县2023年安全生产重点工作任务分解表"], [first, second]))
    assert [t.ref for t in draft.tasks] == ["1", "2"]
    text = preview(draft).splitlines()
    assert text[text.index("警告：3"):text.index("警告：3") + 4] == [
        "警告：3",
        "表2第2行（2）：完成时间无法识别：“根据上级安排”，保留原文，不设到期日",
        "表2第3行：工作内容为空，未导入",
        "表2第4行：这是表格的注释行，不是任务，未导入：注：本表由督查室解释。"]
