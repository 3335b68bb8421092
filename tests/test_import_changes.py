"""Re-import, edited plans, and bad input: nothing half-done, every problem named by line."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from bot.config import PROJECT_DIR, parse_config
from bot.plan import PlanError, read_plan
from bot.runtime import Bot
from bot.store import plans as store_plans
from tests.conftest import make_bot, refs
from tests.plans import SEED, tab_plan

TABLES = ["plans", "sections", "tasks", "people", "roles", "role_members", "assignments", "units",
          "task_units", "milestones", "events"]


def snapshot(bot) -> dict:
    return {t: list(bot.store.read(f"SELECT * FROM {t} ORDER BY rowid")) for t in TABLES}


def test_reimport_of_the_same_file_changes_nothing(bot):
    before = snapshot(bot)
    bot.clock.advance(days=3)
    imported = bot.import_plan(SEED)
    assert (imported.result.created, imported.result.updated, imported.result.removed) == ([], [], [])
    assert len(imported.result.unchanged) == 35
    assert snapshot(bot) == before
    assert "任务：35（新增0，更新0，未变35）" in imported.report


def _done(bot, ref: str, owner: str) -> None:
    """Mark one owner's share done (the completion flow belongs to a later issue)."""
    with bot.store.write() as db:
        db.execute(
            """UPDATE assignments SET share_status = 'done', done_at = '2020-11-03T10:00:00+08:00',
               done_by = ? WHERE kind = 'owner' AND person_id = (SELECT id FROM people WHERE name = ?)
               AND task_id = (SELECT id FROM tasks WHERE ref = ?)""", [owner, owner, ref])
        db.execute("UPDATE tasks SET status = 'done', done_at = '2020-11-03T10:00:00+08:00' WHERE ref = '3.5'")


def test_an_edited_plan_updates_in_place_and_keeps_status_and_history(bot, tmp_path):
    _done(bot, "3.3", "林永禄")
    _done(bot, "3.5", "林永禄")
    edited = tmp_path / "edited.txt"
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("举办第13届市青少年科技创新大赛。\n\t11月\n\n底前",
                        "举办第13届市青少年科技创新大赛。\n\t10月\n\n底前")
    text = text.replace("承办第18届省青少年机器人竞赛。", "承办第18届省青少年机器人竞赛（龙岩赛区）。")
    edited.write_text(text, encoding="utf-8")
    imported = bot.import_plan(edited)
    assert imported.result.updated == ["3.3", "3.5"]
    plan = bot.store.active_plan()
    three_three = bot.store.task(plan.id, "3.3")
    assert (three_three.due, three_three.deadline_text) == (date(2020, 10, 31), "10月底前")
    assert [(s.owner, s.done) for s in three_three.shares] == [("林永禄", True), ("童聪良", False)]
    three_five = bot.store.task(plan.id, "3.5")
    assert (three_five.status, three_five.content) == ("done", "承办第18届省青少年机器人竞赛（龙岩赛区）。")
    history = bot.store.history(plan.id, "3.3")
    assert [e.kind for e in history] == ["task.created", "task.updated"]
    assert (history[1].before, history[1].after) == (
        {"deadline_text": "11月底前", "due": "2020-11-30"}, {"deadline_text": "10月底前", "due": "2020-10-31"})
    assert len(bot.store.tasks(plan.id)) == 35


def test_an_owner_dropped_from_the_file_keeps_their_share_history(bot, tmp_path):
    _done(bot, "3.3", "童聪良")
    edited = tmp_path / "edited.txt"
    edited.write_text(SEED.read_text(encoding="utf-8").replace("林永禄\n\n童聪良", "林永禄"), encoding="utf-8")
    bot.import_plan(edited)
    task = bot.store.task(bot.store.active_plan().id, "3.3")
    assert task.owners == ["林永禄"]
    kept = list(bot.store.read(
        "SELECT share_status, active FROM assignments a JOIN people p ON p.id = a.person_id "
        "WHERE p.name = '童聪良' AND a.task_id = (SELECT id FROM tasks WHERE ref = '3.3')"))
    assert kept == [{"share_status": "done", "active": 0}]
    bot.import_plan(SEED)  # named again: the same share comes back, still done
    task = bot.store.task(bot.store.active_plan().id, "3.3")
    assert [(s.owner, s.done) for s in task.shares] == [("林永禄", False), ("童聪良", True)]


def test_a_task_gone_from_the_file_is_kept_and_reported(bot, tmp_path):
    edited = tmp_path / "edited.txt"
    text = SEED.read_text(encoding="utf-8")
    start = text.index("\t\n\t4. 深化落实")
    edited.write_text(text[:start] + text[text.index("抄送："):], encoding="utf-8")
    imported = bot.import_plan(edited)
    assert imported.result.removed == ["5.4"]
    assert "已不在文件中1：5.4" in imported.report
    assert "5.4" not in [t.ref for t in bot.store.tasks(bot.store.active_plan().id)]
    assert bot.store.db.execute("SELECT in_plan FROM tasks WHERE ref = '5.4'").fetchone() == (0,)


def test_a_failure_midway_writes_nothing(tmp_path, monkeypatch):
    fresh = Bot(parse_config({"bot": {"database": str(tmp_path / "x.db")}}, "test", PROJECT_DIR, env={}))
    calls = []
    real = store_plans._write_task

    def failing(db, task_id, draft, *rest):
        calls.append(draft.ref)
        if len(calls) == 20:
            raise sqlite3.OperationalError("disk I/O error")
        real(db, task_id, draft, *rest)

    monkeypatch.setattr(store_plans, "_write_task", failing)
    with pytest.raises(sqlite3.OperationalError):
        fresh.import_plan(SEED)
    assert fresh.store.is_empty()
    assert snapshot(fresh)["plans"] == [] and snapshot(fresh)["events"] == []


@pytest.mark.parametrize("content, error", [
    ("这是一份会议纪要，没有表格。\n", "no table found"),
    ("", "no table found"),
    ("\t甲\n\t乙\n", "no table found"),  # cells, but no header naming columns
])
def test_a_file_that_is_not_a_plan_is_refused(tmp_path, content, error):
    path = tmp_path / "notes.txt"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(PlanError, match=error):
        read_plan(path)


def test_binary_and_unknown_files_are_refused(tmp_path):
    binary = tmp_path / "plan.txt"
    binary.write_bytes(b"\xff\xfe\x00\xd8PK\x03\x04")  # a UTF-16 BOM, then a lone surrogate: not text
    with pytest.raises(PlanError, match="not UTF-8"):
        read_plan(binary)
    with pytest.raises(PlanError, match=r"not a readable \.pdf file"):
        (tmp_path / "plan.pdf").write_text("x")
        read_plan(tmp_path / "plan.pdf")
    with pytest.raises(PlanError, match=r"cannot read \.ppt \(known: "):
        (tmp_path / "plan.ppt").write_text("x")
        read_plan(tmp_path / "plan.ppt")
    with pytest.raises(PlanError, match="no such file"):
        read_plan(tmp_path / "missing.txt")


def test_bad_rows_are_reported_by_line_and_the_rest_imports(tmp_path):
    path = tab_plan(tmp_path / "p.txt", [
        {"工作内容": "第一项", "完成时间": "9月底前", "牵头领导": "吕文博", "责任人": "", "相关部室、单位": "科普部"},
        {"工作内容": "第二项", "完成时间": "根据上级部署", "牵头领导": "", "责任人": "韩立新", "相关部室、单位": ""},
        {"工作内容": "第三项", "完成时间": "12月底前", "牵头领导": "", "责任人": "", "相关部室、单位": ""},
    ])
    text = path.read_text(encoding="utf-8")
    # Row 3 loses a cell: five cells where six belong.
    path.write_text(text.replace("\t12月底前\n\t\n", "\t12月底前\n"), encoding="utf-8")
    draft = read_plan(path)
    assert [t.ref for t in draft.tasks] == ["1.1", "1.2"]
    assert [(p.code, p.line, p.ref, p.value, p.count) for p in draft.problems] == [
        ("no_owner", 18, "1.1", "", 0),
        ("deadline_unparsed", 23, "1.2", "根据上级部署", 0),
        ("bad_row", 28, "1.3", "3.第三项", 5),
    ]
    assert draft.tasks[1].deadline.due is None
    assert draft.tasks[1].owners == ["韩立新"]


def test_the_report_words_each_problem_with_its_line(tmp_path):
    path = tab_plan(tmp_path / "p.txt", [
        {"工作内容": "第一项", "完成时间": "9月底前", "牵头领导": "吕文博", "责任人": "", "相关部室、单位": "科普部"},
        {"工作内容": "第二项", "完成时间": "根据上级部署", "牵头领导": "", "责任人": "韩立新", "相关部室、单位": ""},
    ])
    bot = make_bot(tmp_path, plan=path, on=date(2027, 3, 1))
    report = bot.import_plan(path).report
    assert "第18行（1.1）：责任人为空，上方也没有可沿用的内容" in report
    assert "第23行（1.2）：完成时间无法识别：“根据上级部署”，保留原文，不设到期日" in report
    reply = bot.say("第二项")
    assert refs(reply.text) == ["1.2"]


def _seed_with(tmp_path, old: str, new: str):
    text = SEED.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path = tmp_path / "variant.txt"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


STRAY_CELL = ("\t林  丽\n\t市属学（协）会\n\n\t\n\t4.按照", "\t林  丽\n\t市属学（协）会\n\t多余\n\n\t\n\t4.按照")


def test_a_row_with_a_stray_cell_is_left_out_and_so_is_the_row_filling_down_from_it(tmp_path):
    draft = read_plan(_seed_with(tmp_path, *STRAY_CELL))
    assert [(p.code, p.line, p.ref, p.count) for p in draft.problems] == [
        ("bad_row", 100, "1.3", 7), ("after_bad_row", 110, "1.4", 0)]
    refs_read = [t.ref for t in draft.tasks]
    assert len(refs_read) == 33 and "1.3" not in refs_read and "1.4" not in refs_read
    assert next(t for t in draft.tasks if t.ref == "1.5").lead == ["陈家国"]  # it writes its own cells


def test_a_reimport_with_a_bad_row_keeps_the_stored_tasks(bot, tmp_path):
    imported = bot.import_plan(_seed_with(tmp_path, *STRAY_CELL))
    assert (imported.result.removed, imported.result.kept, imported.result.updated) == ([], ["1.3", "1.4"], [])
    assert "以下任务在文件里没有读到，仍按原样保留：1.3、1.4" in imported.report
    assert "第110行（1.4）：这一行有空单元格要沿用上方内容，但上方第100行未能导入，无法确定，未导入" in imported.report
    task = bot.store.task(bot.store.active_plan().id, "1.4")
    assert (task.lead, task.owners) == (["陈家国"], ["林丽"])


def test_a_lost_task_number_splits_the_rows_and_numbers_the_task(tmp_path):
    draft = read_plan(_seed_with(tmp_path, "\t4.按照应建尽建原则", "\t按照应建尽建原则"))
    assert len(draft.tasks) == 35
    assert [(p.code, p.ref) for p in draft.problems] == [("no_number", "1.4")]
    task = next(t for t in draft.tasks if t.ref == "1.4")
    assert (task.content, task.owners) == ("按照应建尽建原则推动市级学会成立党建工作小组。", ["林丽"])


def test_unbalanced_brackets_are_reported_and_split(tmp_path):
    draft = read_plan(_seed_with(tmp_path, "\t林永禄\n\t科普部\n\n\t\n\t6.",
                                 "\t县（市、区科协主席、严众能、童聪良\n\t科普部\n\n\t\n\t6."))
    task = next(t for t in draft.tasks if t.ref == "3.5")
    assert task.owners == ["县（市", "区科协主席", "严众能", "童聪良"]
    assert [(p.code, p.ref) for p in draft.problems] == [("unbalanced_brackets", "3.5")]


def test_config_people_are_people_whatever_their_length(tmp_path):
    path = tab_plan(tmp_path / "p.txt", [
        {"工作内容": "第一项", "完成时间": "9月底前", "牵头领导": "吕文博", "责任人": "欧阳娜娜娜、阿卜杜拉江买买提",
         "相关部室、单位": "科普部"}])
    bot = make_bot(tmp_path, plan=path, on=date(2027, 3, 1), people={"阿卜杜拉江买买提": {"wecom": "abdl"}})
    assert bot.store.directory().people == ["吕文博", "欧阳娜娜娜", "阿卜杜拉江买买提"]
    assert bot.store.directory().roles == []


def test_a_title_fixed_in_the_same_file_is_the_same_plan(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    bot = make_bot(tmp_path, plan=path)
    path.write_text(SEED.read_text(encoding="utf-8").replace(
        "龙岩市科协2020年度工作要点\n\n2020年是", "龙岩市科学技术协会2020年度工作要点\n\n2020年是"), encoding="utf-8")
    imported = bot.import_plan(path)
    assert [p.title for p in bot.store.plans()] == ["龙岩市科学技术协会2020年度工作要点"]
    assert len(imported.result.unchanged) == 35
