"""Questions in Chinese about the real plan (issue "The bot on the real plan", DESIGN §4)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import make_bot, refs

YAN = ["2.8", "3.1", "3.4", "3.6", "3.8"]
ROLE_19 = ["1.1", "1.2", "1.5", "1.7", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "2.7", "2.8", "3.2",
           "3.8", "3.9", "4.2", "4.5", "5.2", "5.4"]


@pytest.mark.parametrize("text", [
    "严众能负责什么", "@督办助手 严众能负责什么", "严众能的任务", "what does 严众能 own",
    "@督办助手\u2005严众能负责什么？", "严　众能负责什么", "严众能", "严众能负责什么 @督办助手",
])
def test_yan_owns_five(bot, text):
    reply = bot.say(text)
    assert refs(reply.text) == YAN
    assert reply.refs == YAN
    assert reply.text.splitlines()[0] == "严众能负责的任务（5项）："


def test_a_line_has_ref_short_content_due_and_status(bot):
    lines = bot.say("严众能负责什么").text.splitlines()
    assert lines[1] == "2.8 指导学会、乡镇（街道）科协等吸纳科技工作者，积极组…｜全年开展｜进行中"
    assert lines[3] == "3.4 举办第4届市青少年机器人竞赛｜上半年·6月30日｜已逾期125天"


def test_lin_li_with_and_without_padding_gives_the_same_answer(bot):
    plain = bot.say("林丽负责什么")
    assert plain.text == bot.say("林  丽负责什么").text == bot.say("林 丽负责什么").text
    assert refs(plain.text) == ["1.3", "1.4", "2.8", "3.9", "4.1", "4.2", "4.3", "4.4", "4.5", "4.6", "5.3"]


def test_xu_leads_nine(bot):
    reply = bot.say("徐锦清牵头哪些")
    assert refs(reply.text) == ["2.8", "3.1", "3.2", "3.3", "3.4", "3.5", "3.7", "3.8", "3.9"]
    assert reply.text.startswith("徐锦清牵头的任务（9项）：")


def test_detail_of_3_3(bot):
    for text in ("3.3", "任务3.3", "三.3", "３．３", "@督办助手 3.3"):
        reply = bot.say(text)
        assert reply.refs == ["3.3"]
        lines = reply.text.splitlines()
        assert lines[0] == "【3.3】举办第13届市青少年科技创新大赛。"
        assert "完成时间：11月底前·11月30日" in lines
        assert "牵头领导：徐锦清" in lines
        assert "责任人：林永禄、童聪良" in lines
        assert "相关部室、单位：科普部、长汀县科协" in lines


def test_detail_shows_milestones_and_history(bot):
    text = bot.say("1.7").text
    assert "时间节点：5.30（5月30日）" in text
    assert "· 2020-11-02 10:00 导入计划" in text


def test_this_month_on_2_november(bot):
    reply = bot.say("本月到期")
    assert refs(reply.text) == ["3.3"]
    assert "另有25项全年开展的任务（全年推进，不计到期日）未列出。" in reply.text


def test_the_county_chairs_role_has_nineteen(bot):
    assert refs(bot.say("县（市、区）科协主席负责什么").text) == ROLE_19
    assert refs(bot.say("县(市、区)科协主席负责什么").text) == ROLE_19


def test_zhu_owns_nothing_so_the_answer_is_what_he_leads(bot):
    reply = bot.say("朱明生负责什么")
    assert refs(reply.text) == ["1.1", "1.2", "5.1", "5.2"]
    assert reply.text.startswith("朱明生没有作为责任人的任务，以下是其牵头的任务（4项）：")


def test_month_words_mean_the_plan_year(bot, tmp_path):
    assert refs(bot.say("10月到期的任务").text) == ["4.3"]
    later = make_bot(tmp_path / "later", on=date(2026, 11, 29))
    assert refs(later.say("10月到期的任务").text) == ["4.3"]
    assert refs(later.say("十月到期的任务").text) == ["4.3"]


def test_windows_by_date(bot):
    assert refs(bot.say("上半年").text) == ["1.7", "3.4", "3.5", "4.1", "5.1"]
    assert refs(bot.say("下半年到期的任务").text) == ["3.2", "4.3", "3.3", "4.4", "4.6"]
    assert refs(bot.say("逾期").text) == ["1.7", "3.4", "3.5", "4.1", "5.1", "3.2", "4.3"]
    # "N月底前" counts from today (DESIGN §4): on 2 November all six are overdue, the answer to 逾期.
    assert refs(bot.say("9月底前").text) == []
    assert "另有6项已逾期未完成，发“逾期”查看。" in bot.say("9月底前").text
    assert refs(bot.say("第四季度").text) == ["4.3", "3.3", "4.4", "4.6"]
    assert refs(bot.say("下个月").text) == ["4.4", "4.6"]
    assert refs(bot.say("今天到期").text) == []
    assert bot.say("今天到期").text.startswith("今天没有到期的。")


def test_this_week_and_next_week(tmp_path):
    wednesday = make_bot(tmp_path, on=date(2020, 11, 25))  # 3.3 is due Monday 11-30
    assert refs(wednesday.say("本周到期").text) == []
    assert refs(wednesday.say("下周到期").text) == ["3.3"]
    monday = make_bot(tmp_path / "b", on=date(2020, 11, 30))
    assert refs(monday.say("本周到期").text) == ["3.3"]
    assert refs(monday.say("今天到期").text) == ["3.3"]
    assert "3.3 举办第13届市青少年科技创新大赛｜11月底前·11月30日｜今天到期" in monday.say("今天").text


def test_person_and_window_combined(bot):
    assert refs(bot.say("@督办助手 林丽本月到期的").text) == []
    assert refs(bot.say("林丽12月到期的").text) == ["4.4", "4.6"]
    assert refs(bot.say("严众能上半年").text) == ["3.4"]
    assert refs(bot.say("林丽逾期的任务").text) == ["4.1", "4.3"]


def test_units(bot):
    assert refs(bot.say("科普部的任务").text) == ["3.2", "3.3", "3.4", "3.5", "3.9"]
    assert refs(bot.say("长汀县科协负责什么").text) == ["3.3", "3.7"]
    assert refs(bot.say("市科技馆").text) == ["1.1", "1.2", "1.6", "1.7", "2.8", "3.1", "3.4", "3.6",
                                              "3.8", "4.3", "5.1"]


def test_keyword_search(bot):
    assert refs(bot.say("机器人竞赛").text) == ["3.4", "3.5"]
    assert refs(bot.say("查一下 科技小院").text) == ["3.9"]
    assert refs(bot.say("5.30").text) == ["1.7"]


def test_my_tasks_need_to_know_who_asks(bot):
    assert refs(bot.say("我的任务", as_="严众能").text) == YAN
    assert refs(bot.say("我还有什么没完成", as_="严众能").text) == YAN
    anonymous = bot.say("我的任务")
    assert anonymous.refs == [] and "我还不知道你是谁" in anonymous.text


def test_progress_summary(bot):
    text = bot.say("进度").text
    assert text.splitlines() == [
        "龙岩市科协2020年度工作要点进度：已完成0/35项，逾期未完成7项。",
        "一、进一步强化政治引领：0/7", "二、进一步服务创新驱动：0/8", "三、进一步塑造科普品牌：0/9",
        "四、进一步激发学会活力：0/7", "五、进一步深化科协改革：0/4",
    ]


@pytest.mark.parametrize("text", ["帮助", "help", "?", "？", "@督办助手", "", "   "])
def test_help(bot, text):
    reply = bot.say(text)
    assert reply.text.startswith("我是督办助手")
    assert refs(reply.text) == []


def test_anything_not_understood_gets_help_with_examples(bot):
    reply = bot.say("!!!")
    assert reply.text.startswith("没看懂“!!!”")
    assert "林丽负责什么" in reply.text  # examples come from the active plan (issue 12)
    unknown = bot.say("天气怎么样")
    assert "没有找到内容含“天气”的任务" in unknown.text


def test_help_uses_placeholders_not_real_refs(bot):
    for text in ("帮助", "!!!", "天气怎么样", "9.9"):
        assert not any(ref in bot.say(text).text for ref in ("3.3", "2.8", "1.7"))


def test_an_unknown_ref_says_so(bot):
    assert bot.say("9.9").text.startswith("没有编号为 9.9 的任务")


def test_my_tasks_with_a_window_are_mine_not_everyones(bot):
    assert refs(bot.say("我本月到期的", as_="林丽").text) == []
    assert bot.say("我本月到期的", as_="林丽").text.startswith("你负责的任务中，本月没有到期的。")
    assert refs(bot.say("我12月到期的", as_="林丽").text) == ["4.4", "4.6"]
    assert refs(bot.say("我还有什么没完成", as_="严众能").text) == YAN


def test_search_words_are_trimmed_not_cut(bot):
    assert refs(bot.say("科技工作者日").text) == ["1.7"]
    assert refs(bot.say("党建工作小组").text) == ["1.4"]
    assert refs(bot.say("院士工作站").text) == ["2.1", "2.2"]
    assert bot.say("院士工作站").text.startswith("内容含“院士工作站”的任务（2项）：")


def test_who_questions_show_the_people(bot):
    for text in ("科技创新大赛谁负责", "谁负责科技创新大赛", "科技创新大赛是谁负责的"):
        reply = bot.say(text)
        assert refs(reply.text) == ["3.3"]
        assert "　牵头：徐锦清；责任人：林永禄、童聪良" in reply.text.splitlines()


def test_refs_typed_with_a_chinese_full_stop(bot):
    assert bot.say("3。3").refs == ["3.3"]


def test_short_forms_of_bracketed_names(bot):
    assert refs(bot.say("县科协主席负责什么").text) == ROLE_19
    assert refs(bot.say("市属学会的任务").text) == ["1.1", "1.2", "1.3", "1.4", "1.6", "2.8", "4.1", "4.2", "4.3",
                                                   "4.4", "4.5", "4.6", "5.1", "5.3"]


def test_sections_status_and_everything(bot):
    assert refs(bot.say("第三部分").text) == ["3.1", "3.2", "3.3", "3.4", "3.5", "3.6", "3.7", "3.8", "3.9"]
    assert bot.say("第三部分").text.startswith("三、进一步塑造科普品牌（9项）：")
    assert bot.say("第九部分").text == "没有第9部分。本计划共5部分，发“进度”可看各部分。"
    assert len(refs(bot.say("所有任务").text)) == 35
    assert len(refs(bot.say("还没完成的").text)) == 35
    assert bot.say("已完成的任务").text == "没有已完成的。"
    # A count gives the number first (DESIGN §4 "count"); 进度 gives the sections.
    assert bot.say("一共多少任务").text == "龙岩市科协2020年度工作要点一共35项：已完成0项；逾期7项；全年开展25项。"


def test_soon_quarter_and_year_end(tmp_path):
    bot = make_bot(tmp_path, on=date(2020, 11, 20))
    assert refs(bot.say("最近有什么要到期的").text) == ["3.3"]
    assert refs(bot.say("快到期的").text) == ["3.3"]
    assert refs(bot.say("本季度").text) == ["3.3", "4.4", "4.6"]
    # From today to the year's end (DESIGN §4): the seven overdue ones are counted, not listed.
    year_end = bot.say("年底前要完成的").text
    assert refs(year_end) == ["3.3", "4.4", "4.6"]
    assert "另有7项已逾期未完成，发“逾期”查看。" in year_end


def test_a_person_and_words_narrow_the_list(bot):
    assert refs(bot.say("严众能 机器人").text) == ["3.4"]


@pytest.mark.parametrize("text", ["谢谢", "收到", "好的，收到", "辛苦了！"])
def test_thanks_get_a_short_word_not_a_search(bot, text):
    assert bot.say(text).text == "好的。有事随时 @督办助手。"


def test_the_sender_is_you(bot):
    assert bot.say("我牵头哪些", as_="林丽").text == "你没有牵头的任务。"
    assert bot.say("我的任务", as_="徐锦清").text.startswith("你没有作为责任人的任务，以下是你牵头的任务（9项）：")


def test_a_ref_that_is_a_milestone_is_searched_and_one_that_is_not_is_unknown(bot):
    assert refs(bot.say("5.30").text) == ["1.7"]
    assert refs(bot.say("6.18").text) == ["2.4"]
    assert bot.say("6.1").text.startswith("没有编号为 6.1 的任务")


def test_several_refs_and_names_in_one_question(bot):
    assert bot.say("3.3 3.4").refs == ["3.3", "3.4"]
    assert bot.say("3.3和3.4").refs == ["3.3", "3.4"]
    reply = bot.say("林永禄和童聪良负责什么")
    assert reply.text.splitlines()[0] == "林永禄负责的任务（6项）："
    assert "童聪良负责的任务（2项）：" in reply.text.splitlines()


def test_thirteen_is_no_month(bot):
    assert refs(bot.say("十三月到期").text) == []
    assert refs(bot.say("十二月到期").text) == ["4.4", "4.6"]


def test_asking_what_an_unknown_person_owns_says_the_plan_has_no_such_person(bot):
    assert bot.say("张三负责什么").text == (
        "计划里没有叫“张三”的人，也没有内容含“张三”的任务。可以问“姓名负责什么”（名字要和分解表里写的一样），"
        "或发“帮助”看用法。")
    # 机器人 is in 3.4 and 3.5, 大会 in 5.1, none has both: a split match is asked about (DESIGN §4).
    assert bot.say("机器人大会").text.splitlines()[0] == "“机器人大会”对应的任务不止一项，你是指以下哪项？"
    assert bot.say("宇宙飞船").text.startswith("没看懂“宇宙飞船”。没有找到内容含“宇宙飞船”的任务。")


def test_a_detail_in_an_archived_plan_says_so(tmp_path):
    from tests.conftest import make_bot

    archived = make_bot(tmp_path, on=date(2022, 3, 1))
    assert archived.say("3.3").text.splitlines()[-1] == "（龙岩市科协2020年度工作要点已归档，只供查询）"
    assert "已归档" not in make_bot(tmp_path / "current", on=date(2020, 11, 2)).say("3.3").text
