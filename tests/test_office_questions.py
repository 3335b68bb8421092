"""The same intents on other offices' plans (issue 12 "Must show"): who, when, unit, count and
list questions about plans whose people, units, refs and dates are not the seed's, so nothing
depends on the seed's names. The plans are built from their hand-checked readings
(tests/data/plans/*/expected.json) through the store's apply_plan, as tests/office_drafts.py does,
until the table import of other offices (issue 11) can read their files."""

from __future__ import annotations

from datetime import date

import pytest

from bot.plan.roles import mark_roles
from bot.store import Store, apply_plan
from tests.conftest import make_bot
from tests.office_drafts import draft_from_reading

TAIZHANG = "07_yueyanglou_2018_q1_taizhang"   # lead person + lead unit + owner + supervisor, refs 1–6
MINSHENG = "01_dazhu_2016_minsheng"           # units only, due dates, refs 1–10 with 5.1/5.2
QIAOCHENG = "05_qiaocheng_jyj_2025"           # lead units and helpers, refs 3, 68, 69


def office(tmp_path_factory, folder: str, on: date):
    folder_path = tmp_path_factory.mktemp(folder[:12])
    store = Store(folder_path / "duban.db")
    draft = draft_from_reading(folder)
    mark_roles(draft)
    apply_plan(store, draft, actor="cli", at="2026-12-02T10:00:00+08:00")
    store.close()
    return make_bot(folder_path, on=on)


@pytest.fixture(scope="module")
def taizhang(tmp_path_factory):
    bot = office(tmp_path_factory, TAIZHANG, date(2018, 4, 20))
    yield bot
    bot.close()


@pytest.fixture(scope="module")
def minsheng(tmp_path_factory):
    bot = office(tmp_path_factory, MINSHENG, date(2016, 5, 10))
    yield bot
    bot.close()


@pytest.fixture(scope="module")
def qiaocheng(tmp_path_factory):
    bot = office(tmp_path_factory, QIAOCHENG, date(2025, 5, 10))
    yield bot
    bot.close()


def listed(text: str) -> list[str]:
    """The refs a reply lists, one per line, ref first ("5.1 …", "68 …")."""
    return [line.split(" ", 1)[0] for line in text.splitlines() if line[:1].isdigit() and " " in line]


@pytest.mark.parametrize(("question", "refs", "mentions"), [
    ("经济普查谁负责", ["5"], ["牵头：徐平、区统计局；责任人：杨林立"]),
    ("财政收入谁在管", ["2"], ["责任人：杨大明"]),
    ("固定资产投资是谁在抓", ["3"], ["牵头：徐平、区发改局；责任人：徐铭喜"]),
    ("农村居民收入谁负责", ["6"], ["责任人：沈为庆"]),
    ("徐铭喜负责什么", ["1", "3", "4"], ["徐铭喜负责的任务（3项）："]),
    ("铭喜同志的任务", ["1", "3", "4"], []),                       # a given name
    ("徐铭希负责什么", ["1", "3", "4"], ["按 徐铭喜 回答"]),          # a sound slip, said
    ("徐平牵头哪些", ["1", "2", "3", "4", "5"], ["徐平牵头的任务（5项）："]),
    ("徐平负责什么", ["1", "2", "3", "4", "5"], ["徐平没有作为责任人的任务，以下是其牵头的任务"]),
    ("王勇负责什么", ["6"], ["其协管、督办的任务"]),                  # a supervisor owns no share
    ("区统计局要配合哪些", ["1", "3", "4", "5", "6"], []),
    ("统计局涉及哪些", ["1", "3", "4", "5", "6"], []),                 # the unit without its 区
    ("徐铭喜负责几项", ["1", "3", "4"], ["一共3项"]),
    ("一共多少项", [], ["一共6项"]),
])
def test_taizhang(taizhang, question, refs, mentions):
    text = taizhang.say(question).text
    assert listed(text) == refs, text
    for words in mentions:
        assert words in text


@pytest.mark.parametrize(("question", "refs", "mentions"), [
    ("人行天桥什么时候建成", ["2"], ["9月投入使用（2016年9月30日），还有143天"]),
    ("老年大学什么时候开工", ["5.2"], ["12月底前（2016年12月31日）"]),
    ("农贸市场谁负责", ["10"], ["责任单位：县商务局"]),
    ("住建局有哪些任务", ["1", "2", "9"], ["涉及县住建局的任务（3项）："]),
    ("县民政局负责几项", ["5.1", "5.2"], ["一共2项"]),
    ("本月到期", ["4", "5.1"], []),
    ("9月到期的", ["2"], []),
    ("12月底前要完成的有几项", [], ["一共11项"]),
    ("县水务局和县住建局都参与的", ["1"], ["同时涉及县水务局、县住建局"]),
    ("逾期的有哪些", [], ["没有逾期未完成的"]),
])
def test_minsheng(minsheng, question, refs, mentions):
    text = minsheng.say(question).text
    assert listed(text) == refs, text
    for words in mentions:
        assert words in text


def test_minsheng_refs_are_the_plans_own(minsheng):
    assert minsheng.say("5.2是什么").refs == ["5.2"]
    assert minsheng.say("第5项").refs == ["5.1", "5.2"]  # the sub-rows under the merged number 5
    assert minsheng.say("6").refs == ["6"]


@pytest.mark.parametrize(("question", "refs", "mentions"), [
    ("68谁负责", ["68"], ["牵头：区教育局"]),
    ("区教育局牵头哪些", ["68", "69"], ["区教育局牵头的任务（2项）："]),
    ("区教育局负责什么", ["3", "68", "69"], ["涉及区教育局的任务（3项）："]),
    ("固定资产投资谁牵头", ["3"], ["牵头：区发改委"]),
    ("海亮集团合作谁负责", ["69"], ["配合：区投资促进中心"]),
    ("区发改委负责几项", ["3"], ["一共1项"]),
])
def test_qiaocheng(qiaocheng, question, refs, mentions):
    text = qiaocheng.say(question).text
    assert listed(text) == refs, text
    for words in mentions:
        assert words in text


def test_qiaocheng_numbers_are_refs_only_when_the_plan_has_them(qiaocheng):
    assert qiaocheng.say("68").refs == ["68"]
    assert qiaocheng.say("任务68").refs == ["68"]
    assert qiaocheng.say("67").refs == []  # the plan has 3, 68 and 69 only


def test_help_uses_this_plans_words(taizhang, qiaocheng):
    text = taizhang.say("帮助").text
    assert "徐铭喜负责什么 / 徐平牵头哪些" in text and "发任务编号，如 N" in text
    assert "严众能" not in text and "科普部" not in text
    units_only = qiaocheng.say("帮助").text
    assert "负责什么 /" not in units_only and "区教育局的任务" in units_only
