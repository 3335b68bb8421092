"""Other offices' tasks in the store (DESIGN §3.1 "Who", "Shares"; §8 keys): a lead person
beside a lead unit, cooperating units, a supervisor, tasks owned only by units, tasks naming
nobody, unit members from config, sectionless plans and refs such as "68" or "5.1"."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

from bot.plan.roles import mark_roles
from bot.store import Store, apply_plan, completion
from bot.store.schema import migrations
from reminders.tick import plan_day
from tests.conftest import make_bot
from tests.office_drafts import draft_from_reading, reading
from tests.plans import SEED

TAIZHANG = "07_yueyanglou_2018_q1_taizhang"
MINSHENG = "01_dazhu_2016_minsheng"
QIAOCHENG = "05_qiaocheng_jyj_2025"
LISHUI = "11_lishui_kexie_2021"
AT = "2026-12-02T10:00:00+08:00"


def office_bot(tmp_path, folder: str, on: date, **config):
    """A bot whose store holds only ``folder``'s plan (imported as a draft), on day ``on``."""
    store = Store(tmp_path / "duban.db")
    draft = draft_from_reading(folder)
    mark_roles(draft)
    apply_plan(store, draft, actor="cli", at=AT)
    store.close()
    return make_bot(tmp_path, on=on, **config)


def tasks_json(bot) -> list[dict]:
    return [t.to_json() for t in bot.store.tasks(bot.store.active_plan().id)]


def test_a_taizhang_keeps_the_lead_person_and_unit_the_owner_the_helpers_and_the_supervisor(tmp_path):
    bot = office_bot(tmp_path, TAIZHANG, date(2018, 4, 20))
    try:
        tasks = tasks_json(bot)
        views = bot.store.tasks(bot.store.active_plan().id)
    finally:
        bot.close()
    assert [t["ref"] for t in tasks] == ["1", "2", "3", "4", "5", "6"]
    first = tasks[0]
    assert first == {
        "ref": "1", "section": None, "content": "地区生产总值达到678亿元,增长9.5%", "deadline_text": None,
        "due": None, "lead": ["徐平", "区发改局"], "owners": ["徐铭喜"],
        "units": ["区发改局", "区统计局", "区财政局", "区商务粮食局", "区工信局", "区农林水务局", "区房产分局",
                  "区交建局", "区金融办", "各乡、街道办事处"],
        "cooperating": ["区统计局", "区财政局", "区商务粮食局", "区工信局", "区农林水务局", "区房产分局",
                        "区交建局", "区金融办", "各乡、街道办事处"],
        "plan": "2018年《政府工作报告》目标任务一季度完成情况一览表", "milestones": [], "status": "open",
        "shares": [{"owner": "徐铭喜", "done": False, "at": None}],
    }
    assert [(v.lead_people, v.lead_units, v.supervisors) for v in views][5] == (["方正春"], ["区农林水务局"], ["王勇"])
    # The supervisor is shown, never an owner: 陈曦 holds no share anywhere.
    assert all(s.owner != "陈曦" for v in views for s in v.shares)


def test_a_task_owned_only_by_units_has_one_share_per_unit_and_unit_members_complete_it(tmp_path):
    bot = office_bot(tmp_path, MINSHENG, date(2016, 9, 30),
                     units={"县住建局": {"members": ["周建设"]}, "县民政局": {"members": ["吴民政", "郑民政"]}})
    try:
        first = bot.store.task(bot.store.active_plan().id, "1")
        assert [(s.owner, s.kind) for s in first.shares] == [
            ("县水务局", "unit"), ("县住建局", "unit"), ("县护城河指挥部", "unit")]
        assert first.owners == [] and first.lead == []
        assert [t["ref"] for t in tasks_json(bot)] == ["1", "2", "3", "4", "5.1", "5.2", "6", "7", "8", "9", "10"]
        # 2 (新建2座人行天桥) is due today: the digest names its unit and @s the unit's member.
        pushes = plan_day(bot, date(2016, 9, 30))
        assert [(p.refs, p.mentions) for p in pushes] == [(["2"], ["周建设"])]
        assert "2 新建2座人行天桥｜今天到期｜县住建局" in pushes[0].text.splitlines()
        # A member of the unit completes its share, which is the task's only one.
        assert bot.say("完成 5.2", as_="郑民政").closed == ["5.2"]
        assert bot.store.task(bot.store.active_plan().id, "5.2").shares[0].by == "郑民政"
        # Someone who answers for none of its units may not complete it.
        refused = bot.say("完成 5.1", as_="周建设")
        assert refused.text.startswith(
            "你不是 5.1 的责任人，不能办结。可以办结的是：责任单位县民政局的成员；牵头领导（未写明）")
        assert bot.store.task(bot.store.active_plan().id, "5.1").shares_done == 0
    finally:
        bot.close()


def test_lead_units_hold_the_shares_when_only_helpers_are_named_and_refs_run_on(tmp_path):
    bot = office_bot(tmp_path, QIAOCHENG, date(2025, 7, 1))
    try:
        tasks = tasks_json(bot)
    finally:
        bot.close()
    assert [(t["ref"], t["section"], t["lead"], [s["owner"] for s in t["shares"]]) for t in tasks] == [
        ("3", "一、2025年经济社会发展的主要预期目标", ["区发改委"], ["区发改委"]),
        ("68", "六、全力以赴惠民生、增福祉,加快社会事业发展", ["区教育局"], ["区教育局"]),
        ("69", "六、全力以赴惠民生、增福祉,加快社会事业发展", ["区教育局"], ["区教育局"]),
    ]
    assert tasks[2]["units"] == ["区教育局", "区投资促进中心"] and tasks[2]["cooperating"] == ["区投资促进中心"]


def test_a_task_naming_nobody_has_no_share_and_closes_as_a_whole(tmp_path):
    bot = office_bot(tmp_path, LISHUI, date(2021, 12, 1))
    try:
        plan = bot.store.active_plan()
        two = bot.store.task(plan.id, "2")
        assert (two.shares, two.lead, two.units, two.deadline_text, two.due) == ([], [], [], "", None)
        meta = completion.Meta("local", "local", "m1", AT)
        outcome = completion.complete(bot.store, plan.id, "2", person="朱明生", share=None, meta=meta)
        assert (outcome.code, outcome.closed, outcome.total) == ("task_done", True, 0)
        assert bot.store.task(plan.id, "2").done
    finally:
        bot.close()


def test_reimporting_the_same_reading_changes_nothing_and_an_edit_is_one_event(tmp_path):
    store = Store(tmp_path / "duban.db")
    try:
        draft = draft_from_reading(TAIZHANG)
        first = apply_plan(store, draft, actor="cli", at=AT)
        assert first.created == ["1", "2", "3", "4", "5", "6"]
        assert first.people == ["徐平", "徐铭喜", "陈曦", "杨大明", "杨林立", "方正春", "沈为庆", "王勇"]
        events = store._rows("SELECT COUNT(*) AS n FROM events")[0]["n"]
        again = apply_plan(store, draft_from_reading(TAIZHANG), actor="cli", at=AT)
        assert (again.created, again.updated, again.unchanged) == ([], [], ["1", "2", "3", "4", "5", "6"])
        assert store._rows("SELECT COUNT(*) AS n FROM events")[0]["n"] == events
        edited = draft_from_reading(TAIZHANG)
        edited.tasks[1].cooperating = ["区国税局"]
        changed = apply_plan(store, edited, actor="cli", at=AT)
        assert changed.updated == ["2"]
        event = store._rows("SELECT before, after FROM events WHERE kind = 'task.updated'")
        assert [(json.loads(e["before"]), json.loads(e["after"])) for e in event] == [
            ({"cooperating": ["区国税局", "区地税局", "各乡、街道办事处"]}, {"cooperating": ["区国税局"]})]
    finally:
        store.close()


def test_a_store_made_before_other_offices_keeps_its_completions(tmp_path):
    """A store of schema 4 (the seed imported, 3.3 half done) migrates with nothing lost."""
    path = tmp_path / "duban.db"
    old = make_bot(tmp_path, on=date(2020, 11, 27))
    old.say("完成 3.3", as_="林永禄")
    before = [t.to_json() for t in old.store.tasks(old.store.active_plan().id)]
    old.close()
    # Put the file back to schema 4 the way it was written then: no m005 columns, tables or rows.
    db = sqlite3.connect(path)
    db.executescript("""
        DROP INDEX assignments_party; DROP INDEX assignments_task; DROP TABLE unit_members;
        CREATE TABLE assignments_old AS SELECT id, task_id, kind, person_id, role_id, position, active,
            share_status, done_at, done_by FROM assignments;
        DROP TABLE assignments; ALTER TABLE assignments_old RENAME TO assignments;
        ALTER TABLE sections DROP COLUMN number; ALTER TABLE sections DROP COLUMN heading;
        ALTER TABLE tasks DROP COLUMN progress; ALTER TABLE tasks DROP COLUMN remarks;
        ALTER TABLE task_units DROP COLUMN kind;
        DELETE FROM _sqlite_migrations WHERE name = 'm005_any_office';
    """)
    db.commit()
    db.close()
    store = Store(path)
    try:
        assert store.schema_version == len(migrations._migrations)
        plan = store.active_plan()
        assert [t.to_json() for t in store.tasks(plan.id)] == before
        again = apply_plan(store, mark(draft_of_seed()), actor="cli", at=AT)
        assert again.updated == [] and len(again.unchanged) == 35
    finally:
        store.close()


def draft_of_seed():
    from bot.plan import read_plan

    return read_plan(SEED)


def mark(draft):
    mark_roles(draft)
    return draft


def test_the_readings_copied_here_are_the_plans_folder_names():
    assert reading(TAIZHANG)["plan_year"] == 2018 and reading(MINSHENG)["task_count"] == 11


def test_a_task_in_detail_names_every_party_in_its_own_words(tmp_path):
    store = Store(tmp_path / "duban.db")
    draft = draft_from_reading(TAIZHANG)
    for number, task in enumerate(draft.tasks, start=1):  # refs the message parser reads today
        task.ref = f"1.{number}"
    apply_plan(store, mark(draft), actor="cli", at=AT)
    store.close()
    bot = make_bot(tmp_path, on=date(2018, 4, 20))
    try:
        lines = bot.say("1.5").text.splitlines()
    finally:
        bot.close()
    assert lines[:8] == [
        "【1.5】▲完成全国第四次经济普查", "完成时间：未写明期限", "状态：进行中", "牵头领导：徐平",
        "牵头单位：区统计局", "责任人：杨林立", "配合单位：各乡、街道办事处", "督办：陈曦"]


def test_the_export_of_a_taizhang_has_its_own_columns_and_no_empty_section_rows(tmp_path):
    from openpyxl import load_workbook

    from bot.export import export

    bot = office_bot(tmp_path, TAIZHANG, date(2018, 4, 20))
    try:
        path = export(bot, tmp_path / "完成情况表.xlsx")
    finally:
        bot.close()
    sheet = load_workbook(path).worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3, max_row=4)]
    assert rows[0] == ["序号", "工作内容", "完成时限", "牵头领导", "牵头单位", "责任人", "配合单位", "督办",
                       "状态", "完成时间", "完成人", "最新进展"]
    helpers = ("区统计局、区财政局、区商务粮食局、区工信局、区农林水务局、区房产分局、区交建局、区金融办、"
               "各乡、街道办事处")
    assert rows[1] == ["1", "地区生产总值达到678亿元,增长9.5%", None, "徐平", "区发改局", "徐铭喜", helpers, "陈曦",
                       "进行中", None, None, None]
