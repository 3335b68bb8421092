"""Stage 4: what a message asks, and the filter words it uses (DESIGN §4 "what is asked").

Each phrase below is taken out of the text once found, so what is left is the topic. The ask is
one of ``who`` (谁负责, 找谁, 哪个领导牵头, who is in charge of), ``when`` (什么时候截止, 哪天,
ddl, deadline), ``count`` (几项, 多少, how many), ``status`` (完成了吗, 办完了没, 进展到哪了,
啥状态), ``detail`` (是什么, 具体内容, show me), ``progress`` (进度, 完成情况 with nothing
else named) or ``list`` (the rest). Filters: ``status`` open/done (没完成, 已完成), ``ongoing``
(全年开展 → True; 不是全年开展, 有具体截止时间 → False), ``written`` (完成时间写12月底前: the
phrase as written), ``every`` (每季度, 按月: a recurring deadline, its unit "季度"), ``together``
(共同, 一起, 都有份: the tasks of all the people named).

``question`` is True when the message asks rather than tells: a question never writes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers.understanding.names import GAP

_DONE_VERB = r"(?:完成|办完|做完|干完|搞完|弄完|搞定|办结|结束|落实)"
_Q_TAIL = r"(?:了)?(?:吗|么|没有|没|了没|了没有|没呢|与否|否|\s*[?？])"
_WHO = re.compile(
    r"负责人是谁|责任人是谁|牵头人是谁|"
    r"(?:牵头|分管|负责|责任)(?:领导|人|单位|部门|科室)(?:是谁|是哪个|是哪位|是哪些|有谁|是什么)?|"
    r"(?:是)?(?:哪个|哪位|哪些|什么)(?:领导|人|同志|部门|单位|科室)(?:在)?(?:牵头|分管|负责|管|抓|跟|办)?(?:的)?|"
    r"归哪个领导管|归谁管|归谁|找谁(?:对接|问|联系|咨询|落实|办)?|问谁|由谁(?:负责|牵头|来做|来办)?|"
    r"(?:是)?谁(?:在|来|去)?(?:负责|管|抓|弄|搞|办|做|跟进|跟|牵头|分管|对接|主抓|落实|承办|执行|组织|推进)?(?:的)?|"
    r"(?<![a-z])who(?:'s| is| are)?"
    r"(?: in charge of| in charge| responsible for| responsible| owns| leads| runs| handles| does)?(?![a-z])"
)
_WHEN = re.compile(
    r"(?:要在|在|到)?(?:什么|啥|哪个)时候(?:之前)?(?:截止|到期|完成|要交|交|开|办|弄|搞|结束)?(?:完)?|何时|"
    r"(?:要在|在)?哪(?:一)?天(?:之前|以前|前)?|几号|几月(?:份)?|(?:最晚|最迟)|多久|(?:还)?(?:有|剩)?(?:几|多少)天|"
    r"(?<![a-z])(?:when(?: is| are| does| do)?|what date|which day)(?![a-z])"
)
_DUE = re.compile(r"截止(?:时间|日期|期限)?(?:到)?|到期(?:日|时间)?|期限|时限|要交|"
                  r"(?<![a-z])(?:deadline(?: for)?|ddl|due date|due)(?![a-z])")
_COUNT = re.compile(
    r"(?:一共|总共|共计|合计|总计|共)?(?:有)?(?:多少|(?<!哪)几)(?![号月天时点])(?:项|个|条|件|类|份)?(?:任务|工作|事项|事)?|"
    r"(?<![a-z])(?:how many(?: tasks)?(?: are)?(?: there)?|number of(?: tasks)?|count)(?![a-z])"
)
_TOTAL = re.compile(r"一共|总共|共计|合计|总计|(?<![a-z])(?:in total|total)(?![a-z])")
_STATUS = re.compile(
    rf"是不是(?:已经)?{_DONE_VERB}(?:了)?|有没有{_DONE_VERB}|{_DONE_VERB}{_Q_TAIL}|"
    rf"{_DONE_VERB}(?:得)?(?:怎么样|如何|咋样|情况|进度)(?:了)?|(?:办|搞|做|弄)(?:得)?(?:怎么样|如何)(?:了)?|"
    r"进展(?:到)?(?:哪|哪里|哪儿|哪一步|什么程度|如何|怎么样|怎样|情况)?(?:了)?|有(?:什么|啥)进展|"
    r"(?:召开|举办|举行|开|办|搞|做|弄|发|报|交|建|印)(?:了|过)(?:吗|么|没有|没)|"
    r"(?:啥|什么)状态|状态|(?:怎么样|如何|咋样)(?:了)?|(?<![a-z])(?:status|is it done)(?![a-z])"
)
_DETAIL = re.compile(
    r"(?:说的|讲的|指的|写的)?是(?:啥|什么)(?:内容|意思|任务)?|(?:具体|详细)(?:的)?(?:内容|情况|说说|讲讲|介绍)?|详情|"
    r"什么内容|内容是什么|看下|看看|查看|说说|讲讲|(?<![a-z])(?:show me|show|details?|what is|what's)(?![a-z])"
)
_PROGRESS = re.compile(r"(?:整体|总体|全部|总的|工作)?(?:进度|完成情况|进展情况|统计|总体情况)|"
                       r"(?<![a-z])(?:progress|stats|summary)(?![a-z])")
_OPEN = re.compile(rf"(?:还)?(?:没有|没|未|尚未){_DONE_VERB}(?:的)?|未办结|没办结|"
                   r"(?<![a-z])(?:not done|open|pending|unfinished)(?![a-z])")
_DONE = re.compile(rf"已(?:经)?{_DONE_VERB}(?:的)?|{_DONE_VERB}了的|{_DONE_VERB}了(?=哪)|(?<=哪些){_DONE_VERB}了|"
                   rf"(?<=哪几项){_DONE_VERB}了|(?<![a-z])done|finished|completed")
_DATED = re.compile(r"(?:不是|不属于|非|除了|除去|不含|不包括)全年(?:开展|推进)?(?:的)?|"
                    r"(?:有)?(?:具体|明确|确定|固定)(?:的)?(?:截止|完成|到期)?(?:时间|日期|月份|期限|时限|月)|"
                    r"有(?:截止|完成|到期)(?:时间|日期|月份|期限|时限)(?=的)")
_ONGOING = re.compile(r"全年(?:开展|推进|性)|长期坚持|持续推进|常态化|(?<![a-z])(?:ongoing|all year)(?![a-z])")
_WRITTEN = re.compile(r"(?:完成时间|时间|期限|时限|截止时间)?(?:写|写的是|写着|标的是|标着|填的|填的是|写作|注明)"
                      r"(?:的是)?\s*([^\s的，,。？?]{2,10}?)(?=的|$|\s)")
_EVERYTHING = re.compile(r"(?:所有|全部|全体|一切|整个计划)(?:的)?(?:任务|工作|事项|事情)?|"
                         r"(?<![a-z])(?:all|every|whole)(?: the)?(?: tasks?| plan)(?![a-z])")
_TOGETHER = re.compile(r"共同|一起|一块儿?|一同|都有份|都负责|都参与|都在|同时负责|"
                       r"(?<![a-z])(?:both|together|jointly)(?![a-z])")
# How often a task recurs, as its deadline is written (每季度末, 按月报送): never a window or a name.
_EVERY = re.compile(r"(?:每|按|逐)(?:个|一)?(半年|季度|季|月|周|星期|旬|年)(?:度)?(?:都|也)?")
_EVERY_UNIT = {"季": "季度", "星期": "周"}
# Finishing verbs left once the ask is known ("哪天要完成", "要在哪天之前开完"): never a topic.
_FINISH = re.compile(rf"(?:要|得|能|会)?(?:{_DONE_VERB}|开完|开好|交)(?:了)?")
_MINE = re.compile(r"^我(?!们)|我的|(?<![a-z])(?:my|i)(?![a-z])|^mine")
_LEAD = re.compile(r"牵头|分管|领导|leads?(?![a-z])")
# Words that only say "list them": taken out so they are never searched for.
_LIST = re.compile(
    r"(?:都|还|现在|目前)?(?:有|要|在)?(?:哪些|啥|什么|哪几项|哪几个)(?:任务|工作|事情|事项|事儿|事|活儿|活)?|"
    r"负责(?:的)?(?:什么|啥|哪些|哪几项)?|牵头(?:的)?(?:什么|啥|哪些)?|分管(?:的)?(?:什么|啥|哪些)?|"
    r"要干|干啥|干什么|做什么|做哪些|要做|在跟|在管|在搞|在做|在忙|跟进|手上|手里|名下|身上|下面|里面|"
    r"分别|各自|分头|涉及(?:到)?|相关(?=的|任务|工作|事|$|\s)(?:的)?|有关(?=的|任务|工作|事|$|\s)(?:的)?|关于|"
    r"(?:要|需要)?(?:配合|参与)(?=什么|啥|哪些|的|$|\s)|都有份|有份|对应|"
    r"清单|列表|一览|列出|列一下|列举|查询|查找|搜索|搜一下|"
    r"(?<![a-z])(?:list|tasks?|todo|to-do|to do|items?|what does|what do|owns?|have|has|for|of|the|me|is|are|about|"
    r"in|on|my|mine|what|which|all|any|there|does|do|did|have|has|had|i|we|you|to|be|will|should|need|needs|with|"
    r"please|pls|plz|can|could|get|give|tell|us|am|was|were|its|it's|it|a|an)(?![a-z])"
)
_QUESTION_END = re.compile(r"(?:吗|么|呢|没有|没|否|不)\s*[?？!！。.]*$|[?？]|什么|啥|哪|谁|几|多少|"
                           r"(?<![a-z])(?:what|when|who|how|which)(?![a-z])")


@dataclass
class Asked:
    """What a message asks (see the module docstring) and the text left for topic words."""

    what: str = "list"
    lead: bool = False
    question: bool = False
    status: str | None = None
    ongoing: bool | None = None
    written: str | None = None
    every: str | None = None
    together: bool = False
    mine: bool = False
    total: bool = False
    due_word: bool = False
    listy: bool = False
    everything: bool = False
    progress_word: bool = False
    detail_word: bool = False
    rest: str = ""


def find_written(text: str) -> tuple[str | None, str]:
    """A deadline phrase the question quotes as written ("完成时间写12月底前的" → "12月底前"),
    read before date windows so it is not taken for one."""
    match = _WRITTEN.search(text)
    if not match:
        return None, text
    return match[1], text[: match.start()] + f" {GAP} " + text[match.end():]


def find_asks(text: str, *, normal: str) -> Asked:
    """What ``text`` (names, refs and the window taken out) asks; ``normal`` is the whole
    message in normal form, read for who is meant (我的) and whether it is a question."""
    asked = Asked(mine=bool(_MINE.search(normal.strip())))
    asked.question = bool(_QUESTION_END.search(normal))
    asked.lead = bool(_LEAD.search(text))
    asked.together = bool(_TOGETHER.search(text))
    asked.total = bool(_TOTAL.search(text))

    def take(pattern: re.Pattern[str], source: str) -> tuple[bool, str]:
        found = False

        def cut(match: re.Match[str]) -> str:
            nonlocal found
            if match[0].strip():
                found = True
            return f" {GAP} "

        rest = pattern.sub(cut, source)
        return found, rest

    every = _EVERY.search(text)
    if every:
        asked.every = _EVERY_UNIT.get(every[1], every[1])
        text = text[: every.start()] + f" {GAP} " + text[every.end():]
    dated, text = take(_DATED, text)
    if dated:
        asked.ongoing = False
    counted, text = take(_COUNT, text)
    who, text = take(_WHO, text)
    when, text = take(_WHEN, text)
    status, text = take(_STATUS, text)
    open_, text = take(_OPEN, text)
    done, text = take(_DONE, text)
    ongoing, text = take(_ONGOING, text)
    if ongoing and asked.ongoing is None:
        asked.ongoing = True
    asked.due_word, text = take(_DUE, text)
    asked.progress_word, text = take(_PROGRESS, text)
    asked.detail_word, text = take(_DETAIL, text)
    asked.everything, text = take(_EVERYTHING, text)
    _, text = take(_FINISH, text)
    _, text = take(_TOGETHER, text)
    _, text = take(_TOTAL, text)
    asked.listy, text = take(_LIST, text)
    asked.status = "open" if open_ else "done" if done else None
    if counted:
        asked.what = "count"
    elif who:
        asked.what = "who"
    elif when:
        asked.what = "when"
    elif status:
        asked.what = "status"
    asked.question = asked.question or counted or who or when or status or asked.detail_word
    asked.rest = text
    return asked
