"""The stages of understanding a message, one by one, on the bundled plan (issue 12; DESIGN §4
"How a message is understood"): normal form, names with slips, refs as the plan numbers them,
colloquial windows, what is asked, topic words by the plan's vocabulary."""

from __future__ import annotations

from datetime import date

import pytest

from handlers.understanding import plan_index, understand
from handlers.understanding.normalise import normalise
from handlers.understanding.windows import find_window
from tests.conftest import make_bot


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    bot = make_bot(tmp_path_factory.mktemp("understanding"))
    plan = bot.store.active_plan()
    built = plan_index(plan.id, bot.store.tasks(plan.id), bot.store.directory())
    yield built
    bot.close()


def ask(index, text: str, today: date = date(2020, 11, 2)):
    return understand(text, bot_name="督办助手", index=index, today=today, plan_year=2020)


@pytest.mark.parametrize(("text", "normal"), [
    ("喂那个就是机器人比赛那个是谁在弄啊", "机器人比赛 是谁在弄"),
    ("嚴眾能負責什麼", "严众能负责什么"),
    ("３．３", "3.3"),
    ("喂喂 下个月有什么要到期的没有啊", "下个月有什么要到期的没有"),
    ("其他重大科技活动", "其他重大科技活动"),  # 他 inside a word stays
])
def test_normal_form(text, normal):
    assert normalise(text) == normal


@pytest.mark.parametrize(("text", "name", "how"), [
    ("众能负责啥", "严众能", "alias"),            # a given name no one else has
    ("永禄主任手上有哪些事", "林永禄", "alias"),    # given name + honorific
    ("林丽同志的任务", "林丽", "exact"),
    ("严中能负责啥", "严众能", "sound"),           # 中 sounds like 众
    ("陈家果牵头的", "陈家国", "sound"),
    ("童聪亮有哪些任务", "童聪良", "sound"),
    ("yanzhongneng负责什么", "严众能", "pinyin"),
    ("yan zhong neng 负责什么", "严众能", "pinyin"),
    ("科普布要干啥", "科普部", "sound"),
    ("闽西职院相关的任务", "闽西职业技术学院", "abbreviation"),
    ("农技协有什么任务", "市农技协", "alias"),      # level prefix dropped; 农技协 is only in 3.9, which names it
    ("县区科协要配合哪些", "县（市、区）科协", "exact"),
    ("各县区科协主席有哪些任务", "县（市、区）科协主席", "exact"),
    ("班子成员有哪些事", "领导班子成员", "alias"),
    ("漳平那边有什么任务", "漳平市科协", "alias"),
])
def test_names_with_slips(index, text, name, how):
    query = ask(index, text)
    assert [(n.name, n.how) for n in query.names] == [(name, how)]


@pytest.mark.parametrize("text", ["王建国负责什么", "严众龙负责什么", "张三的任务"])
def test_a_stranger_is_nobody(index, text):
    assert ask(index, text).names == []


def test_a_surname_with_an_honorific_is_asked_about(index):
    query = ask(index, "林主任有哪些任务")
    assert query.names == []
    assert [a.candidates for a in query.ambiguous] == [("林丽", "林永禄")]


def test_a_word_the_contents_share_with_a_unit_is_a_topic(index):
    # 科技馆 is in 3.1, 3.6 and 3.7; 市科技馆 is not named by 3.7, so 科技馆 is a topic word.
    query = ask(index, "科技馆建设是哪位领导分管")
    assert query.names == [] and [t.written for t in query.terms] == ["科技馆", "建设"]
    assert query.what == "who" and query.asked.lead


@pytest.mark.parametrize(("text", "refs"), [
    ("三点八的具体内容", ["3.8"]), ("二.4是什么", ["2.4"]), ("第三部分第四条", ["3.4"]),
    ("第三大项第二小项", ["3.2"]), ("3.3 3.4", ["3.3", "3.4"]), ("未来30天", []), ("2020.12.31", []),
])
def test_refs_as_the_plan_numbers_them(index, text, refs):
    assert ask(index, text).refs == refs


def test_a_date_in_the_contents_is_a_topic_and_an_unknown_ref_is_kept_apart(index):
    assert [t.written for t in ask(index, "5.30").terms] == ["5.30"]
    assert ask(index, "6.1").unknown_refs == ["6.1"]  # 6.18 is in 2.4, 6.1 is not
    assert ask(index, "9.9").unknown_refs == ["9.9"]


@pytest.mark.parametrize(("text", "today", "label", "start", "end"), [
    ("这个月", "2020-10-12", "本月", "2020-10-12", "2020-10-31"),
    ("月底前", "2020-09-14", "月底前", "2020-09-14", "2020-09-30"),
    ("下礼拜", "2020-06-24", "下周", "2020-06-29", "2020-07-05"),
    ("两周内", "2020-11-20", "14天内", "2020-11-20", "2020-12-04"),
    ("未来一个月", "2020-04-01", "1个月内", "2020-04-01", "2020-05-01"),
    ("国庆前", "2020-09-08", "国庆前", "2020-09-08", "2020-09-30"),
    ("下下个月", "2020-08-10", "下下个月", "2020-10-01", "2020-10-31"),
    ("年底", "2020-11-10", "年底前", "2020-11-10", "2020-12-31"),
    ("20年12月", "2020-03-01", "12月", "2020-12-01", "2020-12-31"),
    ("2021年3月", "2020-03-01", "2021年3月", "2021-03-01", "2021-03-31"),
        ("明年3月", "2020-03-01", "2021年3月", "2021-03-01", "2021-03-31"),
        ("去年四季度", "2020-03-01", "2019年第四季度", "2019-10-01", "2019-12-31"),
    ("q4", "2020-03-01", "第四季度", "2020-10-01", "2020-12-31"),
    ("后天", "2020-11-28", "后天", "2020-11-30", "2020-11-30"),
    ("昨天到期的", "2020-12-01", "昨天", "2020-11-30", "2020-11-30"),
    ("十月底前", "2020-03-25", "10月底前", "2020-03-25", "2020-10-31"),
    ("next month", "2020-09-15", "下个月", "2020-10-01", "2020-10-31"),
    ("上个月到期没完成的", "2021-01-11", "上个月", "2020-12-01", "2020-12-31"),
    ("上周", "2020-11-04", "上周", "2020-10-26", "2020-11-01"),
    ("24号到期的", "2020-11-04", "11月24日", "2020-11-24", "2020-11-24"),
    ("5.30前", "2020-03-01", "5月30日前", "2020-03-01", "2020-05-30"),
    ("12.24到期的", "2020-11-04", "12月24日", "2020-12-24", "2020-12-24"),
    ("2号到期的", "2020-11-04", "12月2日", "2020-12-02", "2020-12-02"),
    ("上季度", "2020-11-04", "上季度", "2020-07-01", "2020-09-30"),
])
def test_colloquial_windows(text, today, label, start, end):
    window, _ = find_window(normalise(text), date.fromisoformat(today), 2020)
    assert (window.label, window.start.isoformat(), window.end.isoformat()) == (label, start, end)


@pytest.mark.parametrize(("text", "what"), [
    ("机器人比赛谁负责", "who"), ("找谁问科技馆的事", "who"), ("学术年会什么时候截止", "when"),
    ("科技创新大赛 deadline", "when"), ("省机器人竞赛承办的期限", "when"), ("逾期几项", "count"),
    ("how many tasks in total", "count"), ("3.4完成了吗", "status"), ("3.3进展到哪了", "status"),
    ("3.6完成了？", "status"), ("三点三是谁负责的呀", "who"), ("林丽负责什么", "list"),
])
def test_what_is_asked(index, text, what):
    assert ask(index, text).what == what


def test_topic_words_use_the_plan_synonyms_and_sounds(index):
    robots, contest = ask(index, "机器人比赛谁负责").terms
    assert (robots.forms, contest.forms) == (("机器人",), ("比赛", "竞赛", "大赛", "赛事", "比武", "竞技"))
    assert [t.forms for t in ask(index, "机器人竟赛谁负责").terms] == [("机器人竞赛",)]
    assert [t.forms for t in ask(index, "学术年汇什么时候截止").terms] == [("学术年会",)]
    assert ask(index, "五大谁牵头").terms[0].forms[0] == "第五次代表大会"


def test_words_nothing_explains_are_named(index):
    query = ask(index, "严众能 预算")
    assert [n.name for n in query.names] == ["严众能"] and query.unused == ["预算"]


def test_two_people_in_different_capacities(index):
    query = ask(index, "徐锦清牵头、严众能负责的")
    assert query.as_lead == {"徐锦清"} and query.as_owner == {"严众能"}


def test_a_short_name_inside_a_word_of_the_plan_is_the_word(tmp_path):
    from tests.plans import tab_plan

    plan = tab_plan(tmp_path / "plan.txt", [
        {"工作内容": "统筹安排，考虑周全，做好全年会务保障", "完成时间": "12月底前", "牵头领导": "周全",
         "责任人": "高明", "相关部室、单位": "办公室"},
        {"工作内容": "举办青年科技论坛", "完成时间": "6月底前", "牵头领导": "周全", "责任人": "林立",
         "相关部室、单位": "学会部"},
    ])
    bot = make_bot(tmp_path, on=date(2027, 3, 1), plan=plan)
    try:
        assert bot.say("周全牵头哪些").refs == ["1.1", "1.2"]
        assert bot.say("考虑周全的是哪项").refs == ["1.1"]  # the words of 1.1, not the person
        assert bot.say("高明负责什么").refs == ["1.1"]
    finally:
        bot.close()
