"""Several plans active at once (DESIGN §5, issue 13): next year's plan imported in December keeps
this year's answers and reminders until its January 31; a 专项督办 list beside the annual plan,
a group tied to it; questions name another plan; a ref in two active plans is asked about;
digests name each line's plan; ``duban tasks --plan`` / ``--all``. The plans are the seed's text
with its year and title changed (tests/plans.py ``seed_as``)."""

from __future__ import annotations

import json
from datetime import date

from bot.cli import main
from bot.messages import Message
from bot.store import outbox
from reminders.tick import plan_day, run_tick
from tests.conftest import make_bot, refs
from tests.plans import seed_as, tab_plan

Y2026, Y2027 = "龙岩市科协2026年度工作要点", "龙岩市科协2027年度工作要点"
SPECIAL = "龙岩市科协专项督办2026年度工作要点"  # the text reader takes titles "…YYYY年度工作要点"
NO_HOLIDAY_DATA_2027 = {"holidays": ["2027-01-01"]}  # chinesecalendar 1.11 has no 2027: New Year's Day


def december(tmp_path, issued_2027: str | None = None, **config):
    """The 2026 plan in store on 2026-12-15, then the 2027 plan imported (issued ``issued_2027``, else
    on March 16, 2027 as the seed's)."""
    bot = make_bot(tmp_path, on=date(2026, 12, 15), plan=seed_as(tmp_path / "2026.txt", 2026),
                   reminders=NO_HOLIDAY_DATA_2027, **config)
    bot.import_plan(seed_as(tmp_path / "2027.txt", 2027, issued=issued_2027))
    return bot


def test_next_years_plan_imported_in_december_keeps_this_years_answers_and_reminders(tmp_path):
    bot = december(tmp_path)
    assert [(p.title, p.year) for p in bot.store.plans()] == [(Y2026, 2026), (Y2027, 2027)]
    this_month = bot.say("本月到期").text
    assert refs(this_month) == ["4.4", "4.6"] and "12月底前·12月31日" in this_month
    [push] = plan_day(bot, date(2026, 12, 17))  # 4.4 and 4.6 are due in 14 days
    assert push.text.splitlines()[0] == f"【督办提醒】12月17日 星期四 · {Y2026}"
    assert push.refs == ["4.4", "4.6", "3.2"]
    bot.clock.set(date(2026, 12, 17))
    run_tick(bot, date(2026, 12, 17))
    [row] = outbox.rows(bot.store)
    plan_2026 = bot.store.plans()[0].id
    assert row.plan_refs == [(plan_2026, "4.4"), (plan_2026, "4.6"), (plan_2026, "3.2")]
    next_year = bot.say("明年的任务").text.splitlines()
    assert next_year[:2] == [f"（按《{Y2027}》回答）", "任务（35项）："]
    assert "1.7 举办5.30全国科技工作者日系列活动，召开科技工作…｜上半年·6月30日｜进行中" in next_year
    assert bot.say("去年的任务").text == (
        f"没有2025年的计划。已导入的计划：《{Y2026}》（2026年）、《{Y2027}》（2027年）。")


def test_tasks_plan_2027_and_all(tmp_path, capsys):
    bot = december(tmp_path)
    config = tmp_path / "config.toml"
    config.write_text(f'[bot]\ndatabase = "{bot.store.path}"\nplan = "{tmp_path / "2026.txt"}"\n', encoding="utf-8")
    bot.close()
    assert main(["tasks", "--plan", "2027", "--json", "--config", str(config), "--today", "2026-12-15"]) == 0
    tasks = json.loads(capsys.readouterr().out)
    assert (len(tasks), tasks[17]["ref"], tasks[17]["due"], tasks[17]["plan"]) == (35, "3.3", "2027-11-30", Y2027)
    assert main(["tasks", "--json", "--config", str(config), "--today", "2026-12-15"]) == 0
    assert {t["plan"] for t in json.loads(capsys.readouterr().out)} == {Y2026}
    assert main(["tasks", "--all", "--config", str(config), "--today", "2026-12-15"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert (len(lines), lines[0].split("\t")[:3], lines[35].split("\t")[:3]) == (
        70, [Y2026, "1.1", "2026-12-31"], [Y2027, "1.1", "2027-12-31"])
    assert main(["tasks", "--plan", "2025", "--config", str(config)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"duban: 没有名为“2025”的计划（no plan named 2025）。已导入：《{Y2026}》（2026）、《{Y2027}》（2027）")


def test_in_january_a_digest_names_each_plan_and_a_shared_ref_is_asked_about(tmp_path):
    bot = december(tmp_path, issued_2027="2026年12月28日", people={"林丽": {"dingtalk": "linli"}})
    day = date(2027, 1, 4)  # 4.4 and 4.6 of 2026 overdue; 2027's first check-ins
    bot.clock.set(day)
    run_tick(bot, day)
    [row] = outbox.rows(bot.store)
    lines = row.text.splitlines()
    assert lines[:6] == ["【督办提醒】1月4日 星期一", "", f"《{Y2026}》", "", "已逾期：",
                         "4.4 围绕全市中心工作选题，组织开展课题调研，为市委、市政府科学决策提供“科协方案”"
                         "｜12月31日到期，已逾期4天｜林丽"]
    assert f"《{Y2027}》" in lines and lines.index(f"《{Y2027}》") > lines.index(f"《{Y2026}》")
    first, second = (p.id for p in bot.store.plans())
    assert [(pid, ref) for pid, ref in row.plan_refs if ref in ("4.4", "4.6")] == [(first, "4.4"), (first, "4.6")]
    assert {pid for pid, _ in row.plan_refs} == {first, second}
    # 4.4 is in both active plans: 完成 4.4 asks which, naming them, and changes nothing.
    message = Message("dingtalk", "cidGROUP", "linli", "林丽", "@督办助手 完成 4.4", "m1", bot.clock.now())
    assert bot.answer(message).text == (
        f"4.4 在2个计划里都有：《{Y2026}》《{Y2027}》。请说明是哪个计划，例如：\n"
        "· 2026年计划 完成 4.4\n· 2027年计划 完成 4.4")
    assert all(not t.done for p in bot.store.plans() for t in bot.store.tasks(p.id) if t.ref == "4.4")
    closed = bot.answer(Message("dingtalk", "cidGROUP", "linli", "林丽", "2026年计划 完成 4.4", "m2",
                                bot.clock.now()))
    assert closed.text.splitlines()[0] == f"（按《{Y2026}》回答）" and closed.closed == ["4.4"]
    assert [t.ref for t in bot.store.tasks(first) if t.done] == ["4.4"] and not bot.store.task(second, "4.4").done
    [row] = outbox.rows(bot.store)  # the queued digest lost 2026's 4.4 line, and only that one
    assert (first, "4.4") not in row.plan_refs and (first, "4.6") in row.plan_refs
    assert not any(line.startswith("4.4 ") for line in row.text.splitlines())
    assert row.text == "\n".join(line for line in lines if not line.startswith("4.4 "))


def test_a_special_list_beside_the_annual_plan_and_a_group_tied_to_it(tmp_path):
    special = tab_plan(tmp_path / "special.txt", [
        {"工作内容": "整改市科技馆消防安全隐患", "完成时间": "12月20日前", "牵头领导": "徐锦清", "责任人": "林永禄"},
        {"工作内容": "报送专项督办整改情况", "完成时间": "12月底前", "牵头领导": "徐锦清", "责任人": "童聪良"}],
        title=SPECIAL, section="一、安全生产")
    bot = make_bot(tmp_path, on=date(2026, 12, 15), plan=seed_as(tmp_path / "2026.txt", 2026), chats=[
        {"name": "工作群", "platform": "dingtalk", "chat_id": "cidWORK", "webhook": "https://oapi.example/robot"},
        {"name": "督办群", "platform": "dingtalk", "chat_id": "cidDUBAN", "webhook": "https://oapi.example/robot2",
         "plans": ["专项督办"]}])
    bot.import_plan(special)

    def ask(text: str, chat: str) -> str:
        return bot.answer(Message("dingtalk", chat, "u1", None, text, f"m-{chat}-{text}", bot.clock.now())).text

    assert ask("1.1", "cidWORK") == (  # both lists are active in the untied group
        f"1.1 在2个计划里都有：《{Y2026}》《{SPECIAL}》。请说明是哪个计划，例如：\n"
        f"· {Y2026} 1.1\n· 专项督办 1.1")
    assert ask("专项督办 1.1", "cidWORK").splitlines()[1] == "【1.1】整改市科技馆消防安全隐患"
    # Naming the plan it goes to anyway: no question asked, no heading needed.
    assert ask(f"{Y2026} 1.1", "cidWORK").splitlines()[0].startswith("【1.1】全面推进科协系统党的政治建设")
    assert ask("1.1", "cidDUBAN").splitlines()[0] == "【1.1】整改市科技馆消防安全隐患"  # the tied group's list
    listed = ask("专项督办的任务", "cidWORK").splitlines()
    assert listed[0] == f"（按《{SPECIAL}》回答）" and refs("\n".join(listed)) == ["1.1", "1.2"]
    assert ask("本月到期", "cidDUBAN").splitlines()[1:3] == [
        "1.1 整改市科技馆消防安全隐患｜12月20日前·12月20日｜还有5天",
        "1.2 报送专项督办整改情况｜12月底前·12月31日｜进行中"]
    pushes = {p.chat: p for p in plan_day(bot, date(2026, 12, 17))}  # 1.1 in 3 days; 4.4, 4.6 in 14
    assert pushes["督办群"].refs == ["1.1", "1.2"] and f"· {SPECIAL}" in pushes["督办群"].text.splitlines()[0]
    work = pushes["工作群"].text.splitlines()
    assert work[0] == "【督办提醒】12月17日 星期四" and f"《{Y2026}》" in work and f"《{SPECIAL}》" in work


def test_a_chat_following_a_plan_not_imported_is_logged_and_follows_every_plan(tmp_path, caplog):
    with caplog.at_level("WARNING", logger="duban"):
        bot = make_bot(tmp_path, chats=[{"name": "督办群", "platform": "local", "plans": ["专项督办"]}])
    assert ("chats '督办群': plans entry '专项督办' names no imported plan (known: 龙岩市科协2020年度工作要点); "
            "until one does, that group follows every plan") in caplog.messages
    assert refs(bot.say("3.3").text) == [] and bot.say("3.3").text.startswith("【3.3】举办第13届")
