"""A small table of field words that mean the same in a work plan (issue 12 item 3).

General words of 督办 work, not the questions of any sample: a word typed in a question is
looked for in the task contents as any word of its group. Question words (截止/到期/ddl, 搞/弄/
办) are read by :mod:`handlers.understanding.asks`, not here. "N大" (五大) is the Nth 代表大会,
a general abbreviation of congress names.
"""

from __future__ import annotations

import re

GROUPS: tuple[tuple[str, ...], ...] = (
    ("比赛", "竞赛", "大赛", "赛事", "比武", "竞技"),
    ("开展", "举办", "举行", "开办"),
    ("会议", "大会"),
    ("代表大会", "代表会", "代会"),
    ("培训", "培训班", "轮训", "训练"),
    ("调研", "调查", "研究"),
    ("宣传", "宣讲", "传播", "推广"),
    ("合作", "协作", "配合", "对接"),
    ("建设", "建立", "建成", "筹建", "新建", "组建"),
    ("志愿者", "志愿服务", "志愿"),
    ("检查", "督查", "督导", "督办"),
    ("方案", "规划", "计划"),
    ("制度", "办法", "规定", "规则", "机制"),
    ("修订", "修改", "完善", "修正"),
    ("学校", "校园", "中小学"),
    ("企业", "公司"),
    ("农村", "乡村", "农业"),
    ("扶贫", "脱贫", "帮扶"),
    ("年会", "学术年会"),
    ("活动", "系列活动"),
    ("展览", "展会", "巡展", "展示", "展区"),
    ("科技馆", "科普馆"),
    ("老年人", "老人", "长者"),
    ("青少年", "学生", "中小学生"),
    ("奖项", "评选", "表彰", "评奖"),
    ("党建", "党的建设"),
)
_NUMERALS = "一二三四五六七八九十"
# 五大 → 第五次代表大会 (also 十九大 → 第十九次代表大会).
CONGRESS = re.compile(
    rf"(?<![{_NUMERALS}第])([{_NUMERALS}]{{1,3}})大(?!项|块|类|部分|会|赛|学|篷|型|力|幅|概|约|于|家)")


def synonym_index() -> dict[str, tuple[str, ...]]:
    """word → every word of its group (the word itself first)."""
    index: dict[str, tuple[str, ...]] = {}
    for group in GROUPS:
        for word in group:
            index[word] = (word, *[w for w in group if w != word])
    return index
