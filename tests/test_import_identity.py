"""A plan with no title of its own is one plan however often it is imported (DESIGN §3
"Re-importing"): the same file uploaded again on /admin (kept as 分解表-2.csv) or imported from
another folder updates it; the preview says 更新 exactly when the import will; reminders go
out once. And a re-import's preview warns about the tasks with history the new file lacks."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import httpx

from bot.cli import main
from bot.store import outbox
from reminders.tick import run_tick
from tests.conftest import make_bot
from tests.office_plans import Sheet, seed_sheet, write_csv, write_xlsx
from tests.plans import DATA

TOKEN = "s3cret"
# A copy of ../shared/plans/03/plan.xlsx: a titled 2017 plan, archived on the test's day.
WEIHAI = DATA / "plans" / "03_weihai_swj_2017_zwgk" / "plan.xlsx"
UNTITLED = "2020年工作任务（分解表.csv）"
CHATS = [{"name": "群", "platform": "wecom", "webhook": "http://127.0.0.1:9/cgi-bin/webhook/send?key=k"}]


def untitled_seed(folder: Path) -> Path:
    """The seed's table (the bundled 龙岩市科协 plan) as a CSV with no title above it: 35 tasks."""
    folder.mkdir(parents=True, exist_ok=True)
    return write_csv(folder / "分解表.csv", [], seed_sheet())


def pushed_refs(bot) -> list[str]:
    run_tick(bot, date(2020, 11, 27))
    return [ref for row in outbox.rows(bot.store) for ref in row.refs]


def upload(base: str, path: Path, year: str = "2020") -> httpx.Response:
    with path.open("rb") as file:
        answer = httpx.post(f"{base}/admin/upload?token={TOKEN}", files={"plan": (path.name, file)},
                            data={"year": year}, timeout=30)
    assert answer.status_code == 200, answer.text
    return answer


def upload_id(page: str) -> str:
    return page.split('name="upload" value="')[1].split('"')[0]


def test_re_uploading_an_untitled_plan_on_admin_updates_it(tmp_path, serve):
    bot = make_bot(tmp_path, on=date(2020, 11, 27), plan=WEIHAI, server={"token": TOKEN}, chats=CHATS)
    base = serve(bot)
    plan = untitled_seed(tmp_path / "desk")
    first = upload(base, plan).text
    assert "这是新计划" in first
    done = httpx.post(f"{base}/admin/import?token={TOKEN}", data={"upload": upload_id(first), "year": "2020"},
                      timeout=30)
    assert done.status_code == 200 and "任务：35（新增35，更新0，未变0）" in done.text
    second = upload(base, plan).text
    assert f"导入后：更新任务库中的《{UNTITLED}》（不新建计划" in second
    again = httpx.post(f"{base}/admin/import?token={TOKEN}", data={"upload": upload_id(second), "year": "2020"},
                       timeout=30)
    assert again.status_code == 200 and "任务：35（新增0，更新0，未变35）" in again.text
    # The kept copies: renamed on disk, one plan in the store.
    assert sorted(p.name for p in (tmp_path / "plans").iterdir()) == ["分解表-2.csv", "分解表.csv"]
    assert [p.title for p in bot.store.plans()] == ["威海市商务局 2017 年政务公开重点工作实施方案", UNTITLED]
    assert bot.store.read("SELECT COUNT(*) AS n FROM tasks")[0]["n"] == 8 + 35
    assert pushed_refs(bot) == ["3.3", "3.2"]  # due 11月底前 and overdue: once each
    bot.close()


def test_importing_the_same_untitled_file_from_two_folders_is_one_plan(tmp_path, capsys):
    config = tmp_path / "config.toml"
    config.write_text(f'[bot]\ndatabase = "{tmp_path / "duban.db"}"\nplan = "{WEIHAI}"\n', encoding="utf-8")
    first, second = untitled_seed(tmp_path / "下载"), tmp_path / "桌面" / "分解表.csv"
    second.parent.mkdir()
    shutil.copy(first, second)
    assert main(["--config", str(config), "import", str(first), "--year", "2020"]) == 0
    assert "任务：35（新增35，更新0，未变0）" in capsys.readouterr().out
    assert main(["--config", str(config), "import", str(second), "--year", "2020", "--preview"]) == 0
    assert f"导入后：更新任务库中的《{UNTITLED}》" in capsys.readouterr().out
    assert main(["--config", str(config), "import", str(second), "--year", "2020"]) == 0
    assert "任务：35（新增0，更新0，未变35）" in capsys.readouterr().out
    bot = make_bot(tmp_path, on=date(2020, 11, 27), plan=WEIHAI, chats=CHATS)
    assert [p.title for p in bot.store.plans()] == [UNTITLED]
    assert bot.store.read("SELECT COUNT(*) AS n FROM plans")[0]["n"] == 1
    assert pushed_refs(bot) == ["3.3", "3.2"]
    bot.close()


def test_a_titled_plan_is_never_taken_over_by_an_untitled_file_of_its_name(tmp_path):
    bot = make_bot(tmp_path, on=date(2020, 11, 27), plan=WEIHAI)  # titled, from …/plan.xlsx, 2017
    untitled = write_xlsx(tmp_path / "plan.xlsx", [], seed_sheet())
    assert bot.import_plan(untitled, 2017).result.created[:3] == ["1.1", "1.2", "1.3"]
    assert [p.title for p in bot.store.plans()] == ["威海市商务局 2017 年政务公开重点工作实施方案",
                                                   "2017年工作任务（plan.xlsx）"]
    bot.close()


def without_first_three_of_section_3(folder: Path) -> Path:
    """The untitled seed CSV without 三's tasks 1–3 (the file's numbers stay: 3.4 is still 3.4)."""
    sheet = Sheet([row for row in seed_sheet().filled()
                   if not (row[0].startswith("三、") and row[1][:2] in ("1.", "2.", "3."))])
    folder.mkdir(parents=True, exist_ok=True)
    return write_csv(folder / "分解表.csv", [], sheet)


LEAVING_CLI = """注意：新文件里没有下列3项有记录的任务，导入后它们将移出计划\
（不再提醒，提问也查不到；记录仍保存在任务库中）：
  3.1　开展科普大篷车老区行、中国流动科技馆巡展活动。：进展1条
  3.2　组织开展全国科普日系列活动。：已发提醒1次
  3.3　举办第13届市青少年科技创新大赛。：已办结，完成记录2条，已发提醒1次
如果它们仍是计划的任务，请在文件中补上（编号不变）后再导入。
(3 task(s) with history are not in the new file: 3.1, 3.2, 3.3; the import takes them out of the plan)"""


def history_on_section_3(bot) -> None:
    bot.say("进展 3.1 已完成龙岩站巡展", as_="严众能")
    pushed_refs(bot)  # 3.3 and 3.2 reminded on 27 November
    bot.say("完成 3.3", as_="林永禄")
    bot.say("完成 3.3", as_="童聪良")


def test_the_preview_warns_which_tasks_with_history_leave_the_plan(tmp_path, capsys):
    bot = make_bot(tmp_path, on=date(2020, 11, 27), plan=WEIHAI, chats=CHATS)
    bot.import_plan(untitled_seed(tmp_path / "v1"), 2020)
    history_on_section_3(bot)
    bot.close()
    config = tmp_path / "config.toml"
    config.write_text(f'[bot]\ndatabase = "{tmp_path / "duban.db"}"\n', encoding="utf-8")
    edited = without_first_three_of_section_3(tmp_path / "v2")
    assert main(["--config", str(config), "import", str(edited), "--year", "2020", "--preview"]) == 0
    out = capsys.readouterr().out
    assert f"导入后：更新任务库中的《{UNTITLED}》" in out
    assert LEAVING_CLI in out
    # Tasks with no history leaving, or a file that adds nothing new: no warning.
    assert main(["--config", str(config), "import", str(tmp_path / "v1" / "分解表.csv"), "--year", "2020",
                 "--preview"]) == 0
    assert "注意：新文件里没有" not in capsys.readouterr().out


def test_the_admin_preview_warns_too(tmp_path, serve):
    bot = make_bot(tmp_path, on=date(2020, 11, 27), plan=WEIHAI, server={"token": TOKEN}, chats=CHATS)
    bot.import_plan(untitled_seed(tmp_path / "v1"), 2020)
    history_on_section_3(bot)
    page = upload(serve(bot), without_first_three_of_section_3(tmp_path / "v2")).text
    items = [line.split('">')[1].split("<")[0] for line in page.splitlines() if line.startswith("<li data-ref=")]
    assert items == [
        "3.1　开展科普大篷车老区行、中国流动科技馆巡展活动。：进展1条",
        "3.2　组织开展全国科普日系列活动。：已发提醒1次",
        "3.3　举办第13届市青少年科技创新大赛。：已办结，完成记录2条，已发提醒1次"]
    bot.close()


def test_a_task_back_in_the_file_says_so_and_no_event_is_empty(tmp_path):
    bot = make_bot(tmp_path, on=date(2020, 11, 27), plan=WEIHAI)
    full, trimmed = untitled_seed(tmp_path / "v1"), without_first_three_of_section_3(tmp_path / "v2")
    bot.import_plan(full, 2020)
    assert bot.import_plan(trimmed, 2020).result.removed == ["3.1", "3.2", "3.3"]
    assert bot.import_plan(full, 2020).result.updated == ["3.1", "3.2", "3.3"]
    updates = bot.store.read("SELECT t.ref, e.before, e.after FROM events e JOIN tasks t ON t.id = e.task_id "
                             "WHERE e.kind = 'task.updated' ORDER BY e.id")
    assert [(u["ref"], u["before"], u["after"]) for u in updates] == [
        (ref, '{"in_plan": false}', '{"in_plan": true}') for ref in ("3.1", "3.2", "3.3")]
    assert not bot.store.read("SELECT id FROM events WHERE kind LIKE 'task.%' "
                              "AND (after IS NULL OR after IN ('{}', 'null'))")
    assert bot.import_plan(full, 2020).result.changed is False  # the same file again: no event at all
    # Each import: its tasks' events and one plan.imported (威海 8, the seed 35, 3 removed, 3 back).
    assert len(bot.store.read("SELECT id FROM events")) == (8 + 1) + (35 + 1) + (3 + 1) + (3 + 1)
    detail = bot.say("3.3 详情").text
    assert "重新列入计划" in detail and "计划更新（）" not in detail
    bot.close()
