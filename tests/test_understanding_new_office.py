"""A new office's first questions (issue 12, understanding): two-character names with a
homophone slip, a name that is one character off two people, surname + short title (陈局),
months without a year near the turn of the year, 本季度, a unit by part of its name,
每季度, and words split wrongly. One small plan of the year 2026 written here, asked on
3 December 2026 with tasks due in January and February 2027."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import make_bot
from tests.plans import tab_plan

ROWS = [
    {"task": 1, "工作内容": "组织开展创业担保贷款发放工作", "完成时间": "2026年12月10日前", "牵头领导": "陈建国",
     "责任人": "孙浩", "相关部室、单位": "就业服务中心"},
    {"task": 2, "工作内容": "开展冬季安全生产专项检查", "完成时间": "2027年1月31日前", "牵头领导": "陈建国",
     "责任人": "周斌", "相关部室、单位": "安全生产监督大队"},
    {"task": 3, "工作内容": "报送社保基金运行分析", "完成时间": "每季度末", "牵头领导": "李明华",
     "责任人": "吴晓燕", "相关部室、单位": "办公室"},
    {"task": 4, "工作内容": "完成年度劳动合同抽查", "完成时间": "2026年10月底前", "牵头领导": "李明华",
     "责任人": "钱晓红", "相关部室、单位": "安全生产监督大队"},
    {"task": 5, "工作内容": "编制下一年度培训计划", "完成时间": "2027年2月底前", "牵头领导": "陈建国",
     "责任人": "何静、陈立", "相关部室、单位": "培训科"},
    {"task": 6, "工作内容": "整理年度档案", "完成时间": "2026年11月30日前", "牵头领导": "李明华",
     "责任人": "刘洋", "相关部室、单位": "办公室、培训科"},
    {"task": 7, "工作内容": "召开年终总结会", "完成时间": "2026年12月25日前", "牵头领导": "李明华",
     "责任人": "孙浩", "相关部室、单位": "培训科"},
    {"task": 8, "工作内容": "更新公共服务事项清单", "完成时间": "2026年12月20日前", "牵头领导": "李明华",
     "责任人": "杨帆、杨凡", "相关部室、单位": "就业服务中心"},
]
TODAY = date(2026, 12, 3)


@pytest.fixture(scope="module")
def bot(tmp_path_factory):
    folder = tmp_path_factory.mktemp("new_office")
    plan = tab_plan(folder / "plan.txt", ROWS, title="测试县人社局2026年度工作要点")
    bot = make_bot(folder, on=TODAY, plan=plan)
    assert bot.say("完成 1.8", as_="杨帆").text.startswith("1.8")
    assert bot.say("完成 1.8", as_="杨凡").text.startswith("1.8")
    yield bot
    bot.close()


def lines(text: str) -> list[str]:
    return text.splitlines()


@pytest.mark.parametrize(("question", "reply"), [
    ("周彬负责什么", ["按 周斌 回答（你写的是“周彬”）。", "", "周斌负责的任务（1项）：",
                      "1.2 开展冬季安全生产专项检查｜2027年1月31日前·1月31日｜进行中"]),
    ("何晶的任务", ["按 何静 回答（你写的是“何晶”）。", "", "何静负责的任务（1项）：",
                    "1.5 编制下一年度培训计划｜2027年2月底前·2月28日｜进行中"]),
    ("刘阳负责什么", ["按 刘洋 回答（你写的是“刘阳”）。", "", "刘洋负责的任务（1项）：",
                      "1.6 整理年度档案｜2026年11月30日前·11月30日｜已逾期3天"]),
    ("杨繁负责什么", ["你是指 杨帆 还是 杨凡？请写全名，如“杨帆负责什么”。"]),
    ("周彬的活", ["按 周斌 回答（你写的是“周彬”）。", "", "周斌负责的任务（1项）：",
                  "1.2 开展冬季安全生产专项检查｜2027年1月31日前·1月31日｜进行中"]),
    ("周彬名下有啥", ["按 周斌 回答（你写的是“周彬”）。", "", "周斌负责的任务（1项）：",
                      "1.2 开展冬季安全生产专项检查｜2027年1月31日前·1月31日｜进行中"]),
])
def test_two_character_names_with_a_homophone(bot, question, reply):
    assert lines(bot.say(question).text) == reply


@pytest.mark.parametrize(("question", "reply"), [
    # One character off two people: the surname of one, the last character of the other.
    ("吴晓红负责什么", ["你是指 吴晓燕 还是 钱晓红？请写全名，如“吴晓燕负责什么”。"]),
    ("钱晓燕负责什么", ["你是指 吴晓燕 还是 钱晓红？请写全名，如“吴晓燕负责什么”。"]),
    # Another surname of the plan before a given name only one person has: said, not silent.
    ("孙晓红负责什么", ["按 钱晓红 回答（你写的是“孙晓红”）。", "", "钱晓红负责的任务（1项）：",
                        "1.4 完成年度劳动合同抽查｜2026年10月底前·10月31日｜已逾期33天"]),
    ("晓红负责什么", ["钱晓红负责的任务（1项）：", "1.4 完成年度劳动合同抽查｜2026年10月底前·10月31日｜已逾期33天"]),
])
def test_a_name_one_character_off_is_never_someone_else_silently(bot, question, reply):
    assert lines(bot.say(question).text) == reply


OVERDUE_NOTE = "另有2项已逾期未完成，发“逾期”查看。"
# 1.3 (每季度末) is recurring, so ongoing: a date list says it left it out.
ONGOING_NOTE = "另有1项全年开展的任务（全年推进，不计到期日）未列出。"


@pytest.mark.parametrize(("question", "reply"), [
    ("1月底前到期的有哪些", ["2027年1月底前到期的任务（3项）：",
                             "1.1 组织开展创业担保贷款发放工作｜2026年12月10日前·12月10日｜还有7天",
                             "1.7 召开年终总结会｜2026年12月25日前·12月25日｜进行中",
                             "1.2 开展冬季安全生产专项检查｜2027年1月31日前·1月31日｜进行中",
                             OVERDUE_NOTE, ONGOING_NOTE]),
    ("1月到期的", ["2027年1月到期的任务（1项）：", "1.2 开展冬季安全生产专项检查｜2027年1月31日前·1月31日｜进行中"]),
    ("二月份到期的", ["2027年2月到期的任务（1项）：", "1.5 编制下一年度培训计划｜2027年2月底前·2月28日｜进行中"]),
    # 明年 before a month with no 2027 plan imported: the date, not a plan that is not there.
    ("明年1月到期的", ["2027年1月到期的任务（1项）：",
                       "1.2 开展冬季安全生产专项检查｜2027年1月31日前·1月31日｜进行中"]),
    ("明年三月份到期的任务", ["2027年3月没有到期的。"]),
    ("2027年2月到期的", ["2027年2月到期的任务（1项）：", "1.5 编制下一年度培训计划｜2027年2月底前·2月28日｜进行中"]),
    ("今年10月到期的", ["10月到期的任务（1项）：", "1.4 完成年度劳动合同抽查｜2026年10月底前·10月31日｜已逾期33天",
                       ONGOING_NOTE]),
    ("明年的任务", ["没有2027年的计划。已导入的计划：《测试县人社局2026年度工作要点》（2026年）。"]),
    # A month of the plan's year with its own due dates stays in the plan's year.
    ("10月到期的", ["10月到期的任务（1项）：", "1.4 完成年度劳动合同抽查｜2026年10月底前·10月31日｜已逾期33天",
                   ONGOING_NOTE]),
    ("元旦前要完成的", ["元旦前到期的任务（2项）：",
                        "1.1 组织开展创业担保贷款发放工作｜2026年12月10日前·12月10日｜还有7天",
                        "1.7 召开年终总结会｜2026年12月25日前·12月25日｜进行中", OVERDUE_NOTE, ONGOING_NOTE]),
])
def test_a_month_already_past_means_the_coming_one(bot, question, reply):
    assert lines(bot.say(question).text) == reply


def test_this_quarter_counts_from_today_and_counts_its_overdue_like_this_month(bot):
    assert lines(bot.say("本季度到期的").text) == [
        "本季度到期的任务（3项）：",
        "1.1 组织开展创业担保贷款发放工作｜2026年12月10日前·12月10日｜还有7天",
        "1.7 召开年终总结会｜2026年12月25日前·12月25日｜进行中",
        "1.8 更新公共服务事项清单｜2026年12月20日前·12月20日｜已完成",
        OVERDUE_NOTE, ONGOING_NOTE]
    month = lines(bot.say("本月到期的").text)
    assert month[0] == "本月到期的任务（3项）：" and month[1:-1] == lines(bot.say("这个季度要完成的").text)[1:-2]


LEADS_CHEN = ["陈建国牵头的任务（3项）：",
              "1.1 组织开展创业担保贷款发放工作｜2026年12月10日前·12月10日｜还有7天",
              "1.2 开展冬季安全生产专项检查｜2027年1月31日前·1月31日｜进行中",
              "1.5 编制下一年度培训计划｜2027年2月底前·2月28日｜进行中"]
NOBODY = ("计划里没有叫“{}”的人，也没有内容含“{}”的任务。"
          "可以问“姓名负责什么”（名字要和分解表里写的一样），或发“帮助”看用法。")


@pytest.mark.parametrize(("question", "reply"), [
    # 陈建国 leads, 陈立 only owns: a surname with a title means the lead, said.
    ("陈局牵头哪些", ["按 陈建国 回答（你写的是“陈局”）。", "", *LEADS_CHEN]),
    ("陈局长牵头哪些", ["按 陈建国 回答（你写的是“陈局长”）。", "", *LEADS_CHEN]),
    ("陈局牵头的逾期任务", ["按 陈建国 回答（你写的是“陈局”）。", "", "陈建国牵头的任务中，没有逾期未完成的。"]),
    ("李处牵头的逾期任务", ["按 李明华 回答（你写的是“李处”）。", "", "李明华牵头的已逾期未完成的任务（2项）：",
                            "1.4 完成年度劳动合同抽查｜2026年10月底前·10月31日｜已逾期33天",
                            "1.6 整理年度档案｜2026年11月30日前·11月30日｜已逾期3天"]),
    # Nobody of that surname: never the overdue list without the filter.
    ("钟局牵头的逾期任务", [NOBODY.format("钟局", "钟局")]),
    ("钟明牵头的逾期任务", [NOBODY.format("钟明", "钟明")]),
])
def test_a_surname_with_a_short_title(bot, question, reply):
    assert lines(bot.say(question).text) == reply


@pytest.mark.parametrize(("question", "reply"), [
    ("每季度都要报的有哪些", ["完成时间写“每季度”的任务（1项）：", "1.3 报送社保基金运行分析｜每季度末｜进行中"]),
    ("按季度报送的有几项", ["内容含“报送”的完成时间写“每季度”的任务一共1项：",
                            "1.3 报送社保基金运行分析｜每季度末｜进行中"]),
    ("每月要报的", ["没有完成时间写“每月”的。"]),
    # A word no task has beside the deadline's own words: the list by the deadline, the word said.
    ("每季度考核的", ["完成时间写“每季度”的任务（1项）：", "1.3 报送社保基金运行分析｜每季度末｜进行中",
                      "没有用上：考核。"]),
])
def test_a_recurring_deadline_is_a_filter_not_a_person(bot, question, reply):
    assert lines(bot.say(question).text) == reply


BRIGADE = ["涉及安全生产监督大队的任务（2项）：",
           "1.2 开展冬季安全生产专项检查｜2027年1月31日前·1月31日｜进行中",
           "1.4 完成年度劳动合同抽查｜2026年10月底前·10月31日｜已逾期33天"]


@pytest.mark.parametrize(("question", "reply"), [
    # Part of the unit's head typed before its tail: all of it is the unit, none of it a topic
    # word (安全 alone would keep 1.2 only, 生产 likewise).
    ("安全监督大队的任务", ["按 安全生产监督大队 回答（你写的是“安全监督大队”）。", "", *BRIGADE]),
    ("生产监督大队的任务", BRIGADE),
    ("监督大队的任务", BRIGADE),
])
def test_a_unit_by_part_of_its_name_leaves_no_topic_words(bot, question, reply):
    assert lines(bot.say(question).text) == reply


def test_a_sound_alike_never_strands_the_next_word():
    from handlers.understanding.topics import Vocabulary

    vocabulary = Vocabulary(["促进创业带动就业", "发放创业担保贷款"])
    topic = vocabulary.segment("创业贷款", sound=True)
    assert ([t.written for t in topic.terms], topic.unused) == (["创业", "贷款"], [])


def test_issued_or_not_is_a_status_question(bot):
    assert lines(bot.say("创业贷款发了没有").text) == [
        "1.1 组织开展创业担保贷款发放工作：还有7天（2026年12月10日前·12月10日）", "　还没有人报进展。"]


@pytest.mark.parametrize(("question", "reply"), [
    ("12月10号之前要干完的", ["12月10日前到期的任务（1项）：",
                              "1.1 组织开展创业担保贷款发放工作｜2026年12月10日前·12月10日｜还有7天", OVERDUE_NOTE,
                              ONGOING_NOTE]),
    ("12月25日到期的", ["12月25日到期的任务（1项）：", "1.7 召开年终总结会｜2026年12月25日前·12月25日｜进行中",
                    ONGOING_NOTE]),
    ("1月31号前要完成的", ["2027年1月31日前到期的任务（3项）：",
                           "1.1 组织开展创业担保贷款发放工作｜2026年12月10日前·12月10日｜还有7天",
                           "1.7 召开年终总结会｜2026年12月25日前·12月25日｜进行中",
                           "1.2 开展冬季安全生产专项检查｜2027年1月31日前·1月31日｜进行中",
                           OVERDUE_NOTE, ONGOING_NOTE]),
])
def test_a_month_and_day(bot, question, reply):
    assert lines(bot.say(question).text) == reply


OFFICE = ["1.3 报送社保基金运行分析｜每季度末｜进行中", "1.6 整理年度档案｜2026年11月30日前·11月30日｜已逾期3天"]


@pytest.mark.parametrize(("question", "reply"), [
    ("办公室牵头哪些", ["办公室没有牵头的任务，以下是涉及办公室的任务（2项）：", *OFFICE]),
    ("办公室牵头几项", ["办公室没有牵头的任务；涉及办公室的任务一共2项：", *OFFICE]),
    ("办公室的任务", ["涉及办公室的任务（2项）：", *OFFICE]),
])
def test_a_unit_that_leads_nothing_says_so(bot, question, reply):
    assert lines(bot.say(question).text) == reply


def test_two_names_joined_each_with_a_slip_or_unknown(bot):
    assert lines(bot.say("周彬和何晶负责什么").text) == [
        "按 周斌 回答（你写的是“周彬”）。", "按 何静 回答（你写的是“何晶”）。", "",
        "周斌负责的任务（1项）：", "1.2 开展冬季安全生产专项检查｜2027年1月31日前·1月31日｜进行中", "",
        "何静负责的任务（1项）：", "1.5 编制下一年度培训计划｜2027年2月底前·2月28日｜进行中"]
    # Someone the plan lacks next to someone it has: never the one list as if both were meant.
    assert lines(bot.say("钟明和周斌共同负责的").text) == [NOBODY.format("钟明", "钟明")]


def test_a_holiday_past_the_holiday_table_is_said_not_searched(bot):
    # chinesecalendar (pinned) has 2026's holidays last: 2027's Spring Festival is not known yet.
    assert lines(bot.say("春节前要完成的").text) == [
        "春节的日期还查不到：节假日表（chinesecalendar）只到2026年，下一年的放假安排公布后升级它就能用。"
        "可以先按具体日期问，如“2月10号前到期的”“2月到期的”。"]


def test_a_holiday_the_tasks_name_is_their_words_when_its_next_date_is_unknown(tmp_path):
    plan = tab_plan(tmp_path / "p.txt", [
        {"工作内容": "开展国庆节日市场专项检查", "完成时间": "国庆节前", "牵头领导": "王建国", "责任人": "陈刚"},
        {"工作内容": "完成食品抽检2000批次", "完成时间": "11月30日前", "牵头领导": "王建国", "责任人": "刘芳"}],
        title="某县市场监管局2026年度工作要点")
    bot = make_bot(tmp_path, on=TODAY, plan=plan)
    try:
        # On 12-03 the next 国庆 is 2027's, not in the holiday table: the words find the task instead.
        assert lines(bot.say("国庆前的检查谁负责").text)[:2] == [
            "内容含“国庆、检查”的任务（1项）：", "1.1 开展国庆节日市场专项检查｜国庆节前·9月30日｜已逾期64天"]
    finally:
        bot.close()


@pytest.mark.parametrize(("question", "reply"), [
    ("完成了哪些", ["已完成的任务（1项）：", "1.8 更新公共服务事项清单｜2026年12月20日前·12月20日｜已完成"]),
    ("哪些完成了", ["已完成的任务（1项）：", "1.8 更新公共服务事项清单｜2026年12月20日前·12月20日｜已完成"]),
    ("今年一共完成了几项", ["测试县人社局2026年度工作要点一共8项：已完成1项；逾期2项；全年开展1项。"]),
    # A month.day with 前 or 到期 is a date, not a ref the plan lacks.
    ("12.25到期的", ["12月25日到期的任务（1项）：", "1.7 召开年终总结会｜2026年12月25日前·12月25日｜进行中",
                    "另有1项全年开展的任务（全年推进，不计到期日）未列出。"]),
    ("1.9", ["没有编号为 1.9 的任务。任务编号写作“部分.序号”（如 X.Y），本计划共1部分；发“进度”可看各部分。"]),
])
def test_what_is_done_asked_in_everyday_words(bot, question, reply):
    assert lines(bot.say(question).text) == reply



def test_what_is_left_asked_as_not_yet_done_lists_only_open_tasks(bot):
    # 杨帆's one task (1.8) is closed: "没干完" is the open filter, never the list with 1.8 in it.
    assert lines(bot.say("我还有啥没干完", as_="杨帆").text) == ["你负责的任务中，没有未完成的。"]
    assert lines(bot.say("我还有啥没干完", as_="周斌").text) == [
        "你负责的未完成的任务（1项）：", "1.2 开展冬季安全生产专项检查｜2027年1月31日前·1月31日｜进行中"]
