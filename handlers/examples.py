"""Examples for help and hints, made from the active plan (issue 12 item 7): a person who owns
tasks, one who leads, a unit, and a topic phrase taken from a task's own content, so that
every example works on the plan the office imported. Never a ref (DESIGN §4)."""

from __future__ import annotations

import re
from collections import Counter

from bot.model import TaskView

# Words a task's content opens with that say what is done, not what it is about.
_OPENING = re.compile(r"^(?:(?:举办|承办|开展|组织|推进|推动|加强|召开|办好|启动|实施|完成|新建|深化|积极|全面|持续|"
                      r"进一步|继续|认真|切实|着力|做好|抓好|落实|力争|争取|加快|强化|围绕|结合|按照|指导)\s*)+")
_ORDINAL = re.compile(r"^第[\d一二三四五六七八九十百]+[届次期批]")
_PLACEHOLDER = {"person": "张三", "lead": "李四", "unit": "办公室", "topic": "某项工作"}
_LEADING_MARKS = re.compile(r"^[^\w\u4e00-\u9fff]+")


def _topic(tasks: list[TaskView]) -> str:
    """A phrase of four to ten characters from the start of a dated task's content."""
    for task in sorted(tasks, key=lambda t: (t.ongoing or t.due is None, t.position)):
        text = _ORDINAL.sub("", _OPENING.sub("", _LEADING_MARKS.sub("", task.content.strip())))
        phrase = re.split(r"[，,。；;：:、（(“\"《\s]", text)[0]
        if 4 <= len(phrase) <= 10 and not re.search(r"\d", phrase):
            return phrase
    return ""


def plan_examples(tasks: list[TaskView]) -> dict[str, str | bool]:
    """{"person", "lead", "unit", "topic", "ref", "people"}: names and words of this plan, with a neutral
    placeholder where the plan has none of that kind; "ref" is a placeholder shaped like the
    plan's refs ("X.Y" or "N"), never a real one."""
    roles = {share.owner for t in tasks for share in t.shares if share.is_role}
    owners = Counter(name for t in tasks for name in t.owners if name not in roles)
    leads = Counter(name for t in tasks for name in t.lead if name not in t.lead_units)
    units = Counter(unit for t in tasks for unit in t.units
                    if "（" not in unit and "、" not in unit and not unit.startswith("各"))
    return {
        "person": owners.most_common(1)[0][0] if owners else _PLACEHOLDER["person"],
        "lead": leads.most_common(1)[0][0] if leads else _PLACEHOLDER["lead"],
        "unit": units.most_common(1)[0][0] if units else _PLACEHOLDER["unit"],
        "topic": _topic(tasks) or _PLACEHOLDER["topic"],
        "ref": "X.Y" if any("." in t.ref for t in tasks) else "N",
        "people": bool(owners or leads),
    }
