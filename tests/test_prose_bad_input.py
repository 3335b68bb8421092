"""Prose that is no plan, or a plan with mistakes (issue 14 "Bad input"): refused with a reason
naming the file, or read where it safely can with each problem reported at its place."""

from __future__ import annotations

import pytest

from bot.plan import PlanError, read_plan
from tests.prose_bad_input_texts import novel


def _read(tmp_path, text: str, year: int | None = 2024):
    path = tmp_path / "plan.txt"
    path.write_text(text, encoding="utf-8")
    return read_plan(path, year)


def test_a_novel_is_not_a_plan(tmp_path):
    with pytest.raises(PlanError) as refused:
        _read(tmp_path, novel(12, 40), year=None)
    path = tmp_path / "plan.txt"
    assert str(refused.value) == (
        f"{path}：12个编号段落之间有440段不编号的正文，编号只是章节标题，不像工作计划，未导入；工作要点的每项任务应是编号的一段。\n"
        f"{path}: its 12 numbered paragraphs are headings over 440 paragraphs of running text: not a plan")


def test_text_with_no_numbered_item_is_not_a_plan(tmp_path):
    with pytest.raises(PlanError) as refused:
        _read(tmp_path, "会议纪要\n今天开会。\n大家发言。")
    assert refused.value.code == "no_table"


def test_no_year_anywhere_asks_for_year(tmp_path):
    with pytest.raises(PlanError, match="命令行加 --year（如 --year 2021），管理页填“年度”"):  # one message for both
        _read(tmp_path, "重点工作\n1.修订办法。\n2.召开年会。", year=None)


def test_five_thousand_paragraphs_import_whole(tmp_path):
    lines = ["测试市2024年工作要点"]
    for section in range(1, 11):
        lines.append(f"{'一二三四五六七八九十'[section - 1]}、第{section}部分")
        for task in range(1, 250):
            lines += [f"（{task}）第{section}部分的第{task}项工作，9月底前完成。", f"责任单位：市第{task}局"]
    assert len(lines) == 4991
    plan = _read(tmp_path, "\n".join(lines), year=None)
    assert (len(plan.sections), len(plan.tasks), plan.problems) == (10, 2490, [])
    assert (plan.tasks[-1].ref, plan.tasks[-1].units, str(plan.tasks[-1].deadline.due)) == (
        "10.249", ["市第249局"], "2024-09-30")


def test_numbering_that_skips_or_repeats_is_read_on_and_reported(tmp_path):
    plan = _read(tmp_path, "\n".join([
        "测试局2024年工作要点", "1.修订管理办法。", "2.召开年会。", "4.开展调研。", "4.组织培训。", "5.编印年鉴。"]))
    assert [(t.ref, t.content) for t in plan.tasks] == [
        ("1", "修订管理办法。"), ("2", "召开年会。"), ("4", "开展调研。"), ("5", "编印年鉴。")]
    assert [(p.code, p.line, p.ref, p.value, p.count) for p in plan.problems] == [
        ("numbering_skip", 4, None, "4.开展调研。", 3),
        ("numbering_repeat", 5, None, "4.组织培训。", 5),
        ("duplicate_ref", 5, "4", "组织培训。", 0),
        ("prose_nobody_at_all", None, None, "", 4),
    ]


def test_an_annotation_left_open_is_read_to_the_paragraph_end_and_reported(tmp_path):
    plan = _read(tmp_path, "\n".join([
        "测试局2024年工作要点",
        "1.修订管理办法。（牵头单位：办公室；配合单位：科普部、学会部",
        "2.召开年会。（牵头单位：学会部）"]))
    assert [(t.ref, t.content, t.lead_units, t.cooperating) for t in plan.tasks] == [
        ("1", "修订管理办法。", ["办公室"], ["科普部", "学会部"]),
        ("2", "召开年会。", ["学会部"], [])]
    assert [(p.code, p.line, p.ref, p.value) for p in plan.problems] == [
        ("unclosed_annotation", 2, "1", "（牵头单位：办公室；配合单位：科普部、学会部")]


def test_an_impossible_date_is_kept_as_written_with_no_due_date(tmp_path):
    plan = _read(tmp_path, "\n".join([
        "测试局2024年工作要点",
        "1.2月30日前修订管理办法。",
        "2.召开年会。（责任单位：学会部；完成时限：2月30日）",
        "3.编印年鉴。（责任单位：办公室；完成时限：2月底前）"]))
    assert [(t.ref, t.deadline.text, t.deadline.due) for t in plan.tasks] == [
        ("1", "2月30日前", None), ("2", "2月30日", None), ("3", "2月底前", __import__("datetime").date(2024, 2, 29))]
    assert [(p.code, p.line, p.ref, p.value) for p in plan.problems] == [
        ("deadline_unparsed", 2, "1", "2月30日前"), ("deadline_unparsed", 3, "2", "2月30日"),
        ("prose_nobody", 2, "1", "2月30日前修订管理办法。")]


def test_more_paragraphs_than_any_plan_is_refused(tmp_path):
    with pytest.raises(PlanError, match="有20,001个段落，超过一份计划的上限20,000"):
        _read(tmp_path, "\n".join(["一行"] * 20_001))
