"""Two active plans that both number their tasks 1, 2, 3 … (DESIGN §5 "Several plans can be
active at once"): an annual plan and a prose 专项督办 方案 issued in November. A ref both have is
asked about, naming both titles, unless the message names the plan (by year only when the year
tells them apart, or by words of a title the other lacks); a 完成 goes to the plan where the
sender owns or leads the task, an admin's too, and is otherwise asked about — never a guess."""

from __future__ import annotations

import asyncio
import re
from datetime import date, timedelta

import httpx
import pytest
from icalendar import Calendar

from bot import plan_choice
from bot.export import export
from bot.platforms import SendResult
from bot.status import status_pages
from reminders.outbox import Sender
from reminders.tick import day_reminders, plan_day, run_tick
from tests.conftest import make_bot

ANNUAL = "测试市科协2026年重点工作计划"
SPECIAL = "2026年岁末年初重点工作专项督办方案"
ANNUAL_TEXT = f"""{ANNUAL}
2026年1月10日
1. 开展科普进校园活动，责任人：张伟，12月20日前完成。
2. 举办青少年机器人竞赛，责任人：李红，12月31日前完成。
3. 编写年度科普报告，责任人：张伟，11月30日前完成。
4. 召开学术年会，责任人：王芳，12月15日前完成。
"""
SPECIAL_TEXT = f"""{SPECIAL}
2026年11月20日
1. 整改科技馆消防隐患，责任人：张伟，12月10日前完成。
2. 报送专项督办情况，责任人：王芳，12月31日前完成。
3. 开展冬季安全检查，责任人：孙浩，2027年1月15日前完成。
4. 筹备春节慰问活动，责任人：吴晓东，2027年2月5日前完成。
"""
ASK_3 = (f"3 在2个计划里都有：《{ANNUAL}》《{SPECIAL}》。请说明是哪个计划，例如：\n"
         "· 测试市科协重点 {said}\n· 岁末年初重点工作专项督办 {said}")


def two_plans(tmp_path, on: date = date(2026, 12, 3), **config):
    """The annual plan (the current one) and the special list, both active on ``on``."""
    (tmp_path / "annual.txt").write_text(ANNUAL_TEXT, encoding="utf-8")
    (tmp_path / "special.txt").write_text(SPECIAL_TEXT, encoding="utf-8")
    bot = make_bot(tmp_path, on=on, plan=tmp_path / "annual.txt", **config)
    bot.import_plan(tmp_path / "special.txt")
    assert [p.title for p in bot.store.plans()] == [ANNUAL, SPECIAL]
    return bot


@pytest.fixture
def office(tmp_path):
    bot = two_plans(tmp_path, bot={"admins": ["吴晓东"]})
    yield bot
    bot.close()


def refs(text: str) -> list[str]:
    """The refs a reply lists or shows ("1 …" list lines, "【2】" a detail), as a person reads them."""
    return re.findall(r"^(?:【)?(\d+)(?: |】)", text, re.MULTILINE)


def done(bot) -> list[tuple[str, str]]:
    return [(p.title, t.ref) for p in bot.store.plans() for t in bot.store.tasks(p.id) if t.done]


@pytest.mark.parametrize("said", ["3", "任务3", "2026年计划 3", "3完成了吗"])
def test_a_ref_both_plans_have_is_asked_about_naming_both(office, said):
    shown = said.replace("2026年计划 ", "")  # the year both plans share is no name: the example drops it
    assert office.say(said, as_="张伟").text == ASK_3.format(said=shown)


def test_the_examples_of_the_question_answer_it_and_dates_are_no_refs(office):
    assert office.say("测试市科协重点 3", as_="张伟").text.splitlines()[0] == "【3】编写年度科普报告，11月30日前完成。"
    assert office.say("岁末年初重点工作专项督办 3", as_="张伟").text.splitlines()[:2] == [
        f"（按《{SPECIAL}》回答）", "【3】开展冬季安全检查，2027年1月15日前完成。"]
    assert office.say("3月到期", as_="张伟").text == "3月没有到期的。"


def test_complete_goes_to_the_plan_where_the_sender_owns_the_ref(office):
    reply = office.say("完成 3", as_="孙浩")  # 孙浩 owns the special list's 3, not the annual plan's
    assert reply.text.splitlines()[:2] == [f"（按《{SPECIAL}》回答）", "3 已全部完成，办结。"]
    assert reply.closed == ["3"] and done(office) == [(SPECIAL, "3")]


def test_complete_by_an_owner_of_the_ref_in_both_plans_is_asked_about(office):
    assert office.say("完成 1", as_="张伟").text == ASK_3.replace("3 在", "1 在").format(said="完成 1")
    assert done(office) == []


def test_complete_by_an_owner_of_the_ref_in_both_plans_lists_both_plans_open_tasks(office):
    assert office.say("完成", as_="张伟").text.splitlines() == [  # no reminder yet: his open tasks
        "请带上任务编号，如“测试市科协重点 完成 1”。你未完成的任务：", f"《{ANNUAL}》",
        "1 开展科普进校园活动，12月20日前完成。", "3 编写年度科普报告，11月30日前完成。",
        f"《{SPECIAL}》", "1 整改科技馆消防隐患，12月10日前完成。"]
    assert done(office) == []


def test_an_admins_complete_prefers_the_plan_where_the_admin_owns_it_and_never_guesses(office):
    reply = office.say("完成 4", as_="吴晓东")  # his own 4 is in the special list; the annual 4 is 王芳's
    assert reply.text.splitlines()[:2] == [f"（按《{SPECIAL}》回答）", "4 已全部完成，办结。"]
    assert done(office) == [(SPECIAL, "4")]
    # 2 is nobody's of his in either plan: asked, nothing closed.
    assert office.say("完成 2", as_="吴晓东").text == ASK_3.replace("3 在", "2 在").format(said="完成 2")
    assert done(office) == [(SPECIAL, "4")]
    # Named, an admin closes it where he says.
    assert office.say("岁末年初 完成 2", as_="吴晓东").closed == ["2"]
    assert done(office) == [(SPECIAL, "2"), (SPECIAL, "4")]


@pytest.mark.parametrize("said, expected", [
    ("专项督办的任务", ["1", "2", "3", "4"]),
    ("岁末年初的任务", ["1", "2", "3", "4"]),
    (f"{SPECIAL}的任务", ["1", "2", "3", "4"]),
    ("专项方案里张伟负责什么", ["1"]),
    ("岁末年初方案 2", ["2"]),
])
def test_words_of_a_title_the_other_lacks_choose_that_plan_and_are_no_topic(office, said, expected):
    lines = office.say(said, as_="张伟").text.splitlines()
    assert lines[0] == f"（按《{SPECIAL}》回答）" and refs("\n".join(lines[1:])) == expected
    assert "内容含" not in "\n".join(lines)


def test_the_special_lists_full_title_lists_its_tasks(office):
    assert office.say(f"{SPECIAL}的任务", as_="张伟").text.splitlines()[1:3] == [
        "任务（4项）：", "1 整改科技馆消防隐患，12月10日前完成｜12月10日前·12月10日｜还有7天"]
    assert office.say("岁末年初方案 8", as_="张伟").text.splitlines()[0] == f"（按《{SPECIAL}》回答）"


def test_a_plan_pushes_until_the_month_after_its_latest_due_date(tmp_path):
    bot = two_plans(tmp_path)  # no 2027 data: Mon–Fri less the statutory days off
    annual, special = bot.store.plans()
    assert (annual.active_until, special.active_until) == (date(2027, 1, 31), date(2027, 3, 31))
    seen = []
    day = date(2027, 1, 25)
    while day <= date(2027, 3, 31):
        seen += [(day.isoformat(), "A" if found.plan.id == annual.id else "B", r.ref, r.kind)
                 for found in day_reminders(bot, day).plans for r in found.found]
        day += timedelta(days=1)
    # The annual plan's last push is its 4's weekly overdue in January; the special list's 4 (due
    # Friday 2027-02-05, 除夕: a statutory day off even without 2027's data) is reminded 7, 3 and 1
    # days before (its day's reminder moves onto 02-04), then weekly from the first workday after
    # 春节 (02-09) until March ends.
    assert [d for d, which, _, _ in seen if which == "A"][-1] == "2027-01-27"
    assert [(d, kind) for d, which, ref, kind in seen if (which, ref) == ("B", "4")][:5] == [
        ("2027-01-29", "due_soon"), ("2027-02-02", "due_soon"), ("2027-02-04", "due_soon"),
        ("2027-02-09", "overdue"), ("2027-02-16", "overdue")]
    assert seen[-1] == ("2027-03-30", "B", "4", "overdue")
    assert plan_day(bot, date(2027, 4, 1)) == [] and special.archived_on(date(2027, 4, 1))
    assert [p.title for p in plan_choice.active(bot.store.plans(), date(2027, 2, 10))] == [SPECIAL]


def test_the_digests_hint_names_a_ref_of_its_own_lines(office):
    [push] = plan_day(office, date(2026, 12, 3))
    lines = push.text.splitlines()
    first_line = next(line for line in lines if line[:1].isdigit())
    assert first_line.startswith("1 ") and "X.Y" not in push.text  # the plans number 1, 2, 3: no "X.Y"
    assert lines[-1] == "办完的任务请 @督办助手 回复“完成 任务编号”，例如“完成 1”。"


def test_the_status_page_and_the_calendar_cover_every_active_plan(office, serve, tmp_path):
    blocks = status_pages(office)
    assert [(b.plan.title, b.overall.done, b.overall.total, b.overall.overdue) for b in blocks] == [
        (ANNUAL, 0, 4, 1), (SPECIAL, 0, 4, 0)]  # the annual 3 was due November 30
    html = httpx.get(f"{serve(office)}/status", timeout=10).text
    assert html.index(f"<h1>《{ANNUAL}》工作进度</h1>") < html.index(f"<h1>《{SPECIAL}》工作进度</h1>")
    assert html.count('data-ref="3"') == 2 and f'id="plan{blocks[1].plan.id}-task-3"' in html
    cal = Calendar.from_ical(export(office, tmp_path / "deadlines.ics").read_bytes())
    assert str(cal["X-WR-CALNAME"]) == f"{ANNUAL}、{SPECIAL} · 完成时限与时间节点"
    due = sorted((e.decoded("dtstart").isoformat(), str(e["description"]).splitlines()[0])
                 for e in cal.walk("VEVENT"))
    assert due == [("2026-11-30", f"计划：《{ANNUAL}》"), ("2026-12-10", f"计划：《{SPECIAL}》"),
                   ("2026-12-15", f"计划：《{ANNUAL}》"), ("2026-12-20", f"计划：《{ANNUAL}》"),
                   ("2026-12-31", f"计划：《{SPECIAL}》"), ("2026-12-31", f"计划：《{ANNUAL}》"),
                   ("2027-01-15", f"计划：《{SPECIAL}》"), ("2027-02-05", f"计划：《{SPECIAL}》")]


def test_person_and_date_lists_show_each_active_plans_tasks_under_its_title(office):
    assert office.say("我的任务", as_="孙浩").text.splitlines() == [
        f"《{ANNUAL}》", "你没有负责的任务。", "", f"《{SPECIAL}》", "你负责的任务（1项）：",
        "3 开展冬季安全检查，2027年1月15日前完成｜2027年1月15日前·1月15日｜进行中"]
    mine = office.say("张伟负责什么", as_="张伟").text
    assert mine.splitlines()[0] == f"《{ANNUAL}》" and refs(mine) == ["1", "3", "1"]
    assert mine.splitlines()[4:] == ["", f"《{SPECIAL}》", "张伟负责的任务（1项）：",
                                     "1 整改科技馆消防隐患，12月10日前完成｜12月10日前·12月10日｜还有7天"]
    assert refs(office.say("本月到期", as_="张伟").text) == ["4", "1", "2", "1", "2"]
    assert office.say("下个月到期的", as_="张伟").text.splitlines() == [
        f"《{ANNUAL}》", "下个月没有到期的。", "", f"《{SPECIAL}》", "下个月到期的任务（1项）：",
        "3 开展冬季安全检查，2027年1月15日前完成｜2027年1月15日前·1月15日｜进行中"]
    # A plan with nothing for the question adds nothing; a named plan answers alone.
    assert office.say("逾期", as_="张伟").text.splitlines()[0] == "已逾期未完成的任务（1项）："
    assert refs(office.say("岁末年初 我的任务", as_="张伟").text) == ["1"]


def test_a_bare_complete_goes_to_the_plan_of_the_reminder_line(office):
    run_tick(office, date(2026, 12, 3))  # only the special list's 1 (张伟's, due 12-10) is reminded today

    async def local(push):
        return SendResult(True)

    assert asyncio.run(Sender(office, {"local": local}).deliver_due()) == 1
    reply = office.say("完成", as_="张伟")  # 张伟 also owns the annual plan's 1: the line's plan decides
    assert reply.text.splitlines()[:2] == [f"（按《{SPECIAL}》回答）", "1 已全部完成，办结。"]
    assert done(office) == [(SPECIAL, "1")]
    # Nothing of his left in the last reminder: his open tasks (only the annual plan has any now);
    # 完成 1 then means the 1 still open among the plans where he owns a 1.
    assert office.say("完成", as_="张伟").text.splitlines() == [
        "请带上任务编号，如“完成 1”。你未完成的任务：",
        "1 开展科普进校园活动，12月20日前完成。", "3 编写年度科普报告，11月30日前完成。"]
    assert office.say("完成 1", as_="张伟").text.splitlines()[0] == f"（按《{ANNUAL}》回答）"
    assert done(office) == [(ANNUAL, "1"), (SPECIAL, "1")]
