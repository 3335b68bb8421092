"""The reminder policy on the real 2020 plan (issue "Reminders": the must-show days).

Each list is the days that must have a push naming the task; pushes naming it on other
days before the last listed day would be a defect. The simulation is the CLI's own
``plan_day``, i.e. exactly what the daily tick would send.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from reminders.calendar import WorkCalendar, statutory_days_off
from reminders.policy import Rules, reminders_on
from reminders.tick import plan_day


def simulate(bot, start: date, end: date) -> dict[str, list[str]]:
    """ref → the days (MM-DD) a push named it, from the tick's own pushes."""
    named: dict[str, list[str]] = {}
    day = start
    while day <= end:
        for push in plan_day(bot, day):
            for ref in push.refs:
                named.setdefault(ref, []).append(day.isoformat()[5:])
        day += timedelta(days=1)
    return named


@pytest.fixture(scope="module")
def year_2020(tmp_path_factory):
    from tests.conftest import make_bot

    bot = make_bot(tmp_path_factory.mktemp("y2020"))
    return simulate(bot, date(2020, 3, 1), date(2021, 2, 28))


@pytest.mark.parametrize("ref, days", [
    ("3.3", ["11-16", "11-23", "11-27", "11-30", "12-01", "12-08"]),
    ("3.2", ["09-16", "09-23", "09-27", "09-29", "09-30", "10-09"]),
    ("4.3", ["10-16", "10-23", "10-28", "10-30", "11-02"]),
    ("1.7", ["05-15", "05-22", "05-29", "06-16", "06-23", "06-24", "06-29", "06-30"]),
])
def test_the_days_a_dated_task_is_named(year_2020, ref, days):
    assert year_2020[ref][: len(days)] == days


def test_overdue_repeats_weekly_until_the_plan_ends(year_2020):
    assert year_2020["3.3"][6:] == ["12-15", "12-22", "12-29", "01-05", "01-12", "01-19", "01-26"]


def test_milestones_count_for_ongoing_tasks(year_2020):
    # 2.4 is 全年开展; its "6.18" is reminded 14, 7 and 1 day before. Its other days are the
    # monthly check-ins of ongoing tasks (first workday of each month).
    assert year_2020["2.4"] == ["04-01", "05-06", "06-01", "06-04", "06-11", "06-17", "07-01", "08-03", "09-01",
                                "10-09", "11-02", "12-01"]


def test_nothing_before_the_issue_date_nor_after_january(bot):
    pushed = [day for day in (date(2020, 1, 1) + timedelta(n) for n in range(500)) if plan_day(bot, day)]
    assert pushed[0] == date(2020, 4, 1)  # March's check-in (03-02) came before the plan, issued on 03-16
    assert pushed[-1] == date(2021, 1, 29)


def test_real_days_left_and_merged_lines(bot):
    [push] = plan_day(bot, date(2020, 11, 27))
    lines = push.text.splitlines()
    assert "3.3 举办第13届市青少年科技创新大赛｜11月30日到期，还有3天｜林永禄、童聪良" in lines
    assert "3.2 组织开展全国科普日系列活动｜9月30日到期，已逾期58天｜林永禄、县（市、区）科协主席" in lines
    assert push.refs == ["3.3", "3.2"]
    assert push.text.count("3.3 ") == 1  # the 3-day and the Sunday 1-day reminder are one line
    [on_due_day] = plan_day(bot, date(2020, 11, 30))
    assert "3.3 举办第13届市青少年科技创新大赛｜今天到期｜林永禄、童聪良" in on_due_day.text.splitlines()


def test_a_milestone_line_and_the_check_in(bot):
    [may] = plan_day(bot, date(2020, 5, 15))
    assert may.text.splitlines()[3] == (
        "1.7 举办5.30全国科技工作者日系列活动，召开科技工作者座谈会，走访慰问一批基层一…｜"
        "5.30（5月30日）还有15天｜钟晓鹏、县（市、区）科协主席")
    [july] = plan_day(bot, date(2020, 7, 1))
    assert "严众能：2.8、3.1、3.6、3.8" in july.text.splitlines()
    assert "钟永通、伍加禄、严旺龙、沈锦松、童聪良、罗昌彪：3.7" in july.text.splitlines()
    [december] = plan_day(bot, date(2020, 12, 1))
    assert "本月持续推进（全年开展），年底请报送全年工作总结：" in december.text.splitlines()


def test_the_2020_plan_pushes_nothing_today_or_after_its_window(bot):
    assert plan_day(bot, date(2026, 11, 30)) == []
    assert plan_day(bot, date(2021, 2, 1)) == []
    assert plan_day(bot, date(2020, 11, 28)) == []  # a Saturday


def test_a_year_without_calendar_data_falls_back_to_monday_to_friday_less_the_statutory_days(caplog):
    calendar = WorkCalendar()
    # 2027: no arrangement in chinesecalendar 1.11.0. The law's own days are still off: 元旦 (a
    # Friday), 除夕 and 春节 (2027-02-05..08, by the lunar calendar), 清明, 劳动节, 端午, 中秋, 国庆 1–3.
    assert [d.isoformat() for d in sorted(statutory_days_off(2027))] == [
        "2027-01-01", "2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08", "2027-04-05", "2027-05-01",
        "2027-05-02", "2027-06-09", "2027-09-15", "2027-10-01", "2027-10-02", "2027-10-03"]
    assert not calendar.is_workday(date(2027, 1, 1)) and not calendar.is_workday(date(2027, 10, 1))
    assert calendar.is_workday(date(2027, 1, 4)) and calendar.is_workday(date(2027, 10, 4))  # Mondays
    assert not calendar.is_workday(date(2027, 10, 2))  # a Saturday
    assert calendar.workday_on_or_before(date(2027, 2, 8)) == date(2027, 2, 4)
    assert calendar.missing_years == {2027}
    assert caplog.text.count("chinesecalendar 没有 2027 年的放假和调休安排") == 1
    listed = WorkCalendar(holidays=["2027-10-04"], workdays=["2027-10-09"])
    assert not listed.is_workday(date(2027, 10, 4)) and listed.is_workday(date(2027, 10, 9))
    assert {date(2030, 2, 2), date(2030, 2, 5)} <= statutory_days_off(2030)  # 除夕 and 初三 of a later year


def test_a_task_without_a_due_date_gets_only_check_ins(tmp_path):
    from tests.conftest import make_bot
    from tests.plans import tab_plan

    path = tab_plan(tmp_path / "p.txt", [
        {"工作内容": "按上级部署开展", "完成时间": "根据上级部署", "牵头领导": "吕文博", "责任人": "韩立新"}],
        title="测试市科协2026年度工作要点")
    bot = make_bot(tmp_path, plan=path, on=date(2026, 3, 1))
    tasks = bot.store.tasks(bot.store.active_plan().id)
    rules, calendar = Rules(), WorkCalendar()
    days = [d for d in (date(2026, 1, 1) + timedelta(n) for n in range(365))
            if reminders_on(d, tasks, calendar, rules, issued=None, year=2026)]
    assert [d.isoformat() for d in days][:3] == ["2026-01-04", "2026-02-02", "2026-03-02"]
    assert len(days) == 12


def test_an_overdue_series_moved_past_a_holiday_is_not_repeated_the_next_day(tmp_path):
    """Due 2026-09-10 (a Thursday): overdue 09-11 and every Friday; 09-25 is 中秋 (→ 09-28),
    10-02 is in 国庆 (→ 10-08), and the Friday after, 10-09, is left out: next on 10-16."""
    from tests.conftest import make_bot
    from tests.plans import tab_plan

    path = tab_plan(tmp_path / "p.txt", [
        {"工作内容": "组织教师节表彰活动", "完成时间": "9月10日前", "牵头领导": "吕文博", "责任人": "韩立新"}],
        title="测试市教育局2026年度工作要点")
    bot = make_bot(tmp_path, plan=path, on=date(2026, 3, 1))
    try:
        tasks = bot.store.tasks(bot.store.active_plan().id)
    finally:
        bot.close()
    calendar = WorkCalendar()
    days = [d.isoformat() for d in (date(2026, 9, 11) + timedelta(n) for n in range(45))
            if reminders_on(d, tasks, calendar, Rules(), issued=None, year=2026)]
    assert days == ["2026-09-11", "2026-09-18", "2026-09-28", "2026-10-08", "2026-10-16", "2026-10-23"]


def test_a_task_whose_deadline_was_not_read_is_not_called_all_year_in_the_digest(tmp_path):
    from tests.conftest import make_bot
    from tests.plans import tab_plan

    path = tab_plan(tmp_path / "p.txt", [
        {"工作内容": "开展消费维权宣传", "完成时间": "全年", "牵头领导": "吕文博", "责任人": "韩立新"},
        {"工作内容": "按上级部署开展专项检查", "完成时间": "根据上级部署", "牵头领导": "吕文博", "责任人": "周敏"}],
        title="测试市科协2026年度工作要点")
    bot = make_bot(tmp_path, plan=path, on=date(2026, 3, 2))
    try:
        [digest] = plan_day(bot, date(2026, 3, 2))
    finally:
        bot.close()
    lines = digest.text.splitlines()
    start = lines.index("本月持续推进（全年开展）：")
    assert lines[start:start + 5] == ["本月持续推进（全年开展）：", "韩立新：1.1", "",
                                      "本月请报进展（完成时限没有写明或未能识别）：", "周敏：1.2"]
