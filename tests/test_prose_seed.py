"""The seed read as prose (issue 14 "Must show"): its 工作要点 text before 附件 alone, and its
table rewritten as numbered prose with inline annotations, which must read as the table does."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from bot.plan import read_plan
from bot.plan.prose import interpret
from tests.plans import EXPECTED, SEED
from tests.prose_plans import text_document

ROOT = Path(__file__).resolve().parent.parent
SEED_TEXT = SEED.read_text(encoding="utf-8")
EXPECTED_DATA = json.loads(EXPECTED.read_text(encoding="utf-8"))


def seed_prose() -> str:
    """The seed's text before its 附件 line: the notice and the 工作要点 prose, no table."""
    lines = SEED_TEXT.split("\n")
    return "\n".join(lines[:next(i for i, line in enumerate(lines) if line.startswith("附件"))])


def test_the_seed_prose_alone_gives_five_sections_and_twenty_tasks_with_no_owners():
    plan = interpret(text_document(SEED, seed_prose()), None)
    assert (plan.title, plan.year, str(plan.issued)) == ("龙岩市科协2020年度工作要点", 2020, "2020-03-16")
    assert [s.heading for s in plan.sections] == [
        "一、进一步强化政治引领", "二、进一步服务创新驱动", "三、进一步塑造科普品牌", "四、进一步激发学会活力",
        "五、进一步深化科协改革"]
    assert [(t.ref, t.section, t.content.split("。")[0]) for t in plan.tasks] == [
        ("1.1", 1, "压实政治责任"), ("1.2", 1, "抓好学会党建"), ("1.3", 1, "强化正面引导"),
        ("2.1", 2, "争创示范工作站"), ("2.2", 2, "主推一批本土人才"), ("2.3", 2, "突出项目精准对接"),
        ("2.4", 2, "深化对台合作与交流"), ("2.5", 2, "广泛组织科技志愿服务"),
        ("3.1", 3, "主打三大科普活动"), ("3.2", 3, "办好两项科技竞赛"), ("3.3", 3, "全力抓好科普场馆建设"),
        ("3.4", 3, "科普传播提质增效"), ("3.5", 3, "助力乡村振兴"),
        ("4.1", 4, "突破学会发展瓶颈"), ("4.2", 4, "推动学术成果转化"), ("4.3", 4, "开展学会“承能”试点"),
        ("5.1", 5, "加强内部机制建设"), ("5.2", 5, "组织开好市科协“五大”"),
        ("5.3", 5, "巩固深化市科协个人会员制度"), ("5.4", 5, "引领“三长”发挥作用")]
    assert [(t.lead, t.lead_units, t.owners, t.units, t.cooperating, t.deadline.text, t.deadline.due)
            for t in plan.tasks] == [([], [], [], [], [], "", None)] * 20
    # Dates named in the text are milestones, not due dates ("5.30" 全国科技工作者日, the "6.18" fair).
    assert [(t.ref, str(m.date), m.text) for t in plan.tasks for m in t.milestones] == [
        ("1.3", "2020-05-30", "5.30"), ("2.3", "2020-06-18", "6.18")]
    # What was not read as a task, and why: the notice, the preamble, section 三's lead-in.
    assert [(p.code, p.line, p.value, p.count) for p in plan.context] == [
        ("skipped_front", 1, "龙岩市科学技术协会关于印发", 7),
        ("skipped_preamble", 15, "2020年是全面建成小康社会和“十三五”", 1),
        ("skipped_text", 39, "深入实施《龙岩市全民科学素质行动计划纲要", 1),
    ]


def _as_prose(numbered: bool = True) -> str:
    """The seed's table (as the table interpreter reads it) rewritten as a 工作要点 in prose: 一、
    section headings, then "1.工作内容（牵头领导：X；责任人：A、B；相关部室、单位：…；完成时间：…）"."""
    table = read_plan(SEED)
    lines = [table.title, ""]
    for section in table.sections:
        lines += [section.heading, ""]
        for task in (t for t in table.tasks if t.section == section.position):
            number = task.ref.split(".")[1]
            lines += [f"{number}.{task.content}（牵头领导：{'、'.join(task.lead)}；责任人：{'、'.join(task.owners)}；"
                      f"相关部室、单位：{'、'.join(task.units)}；完成时间：{task.deadline.text}）", ""]
    lines += ["抄送：省科协。", "龙岩市科学技术协会                  2020年3月16日印发"]
    return "\n".join(lines)


def _reading(plan) -> list[dict]:
    headings = {s.position: s.heading for s in plan.sections}
    return [{
        "ref": t.ref, "section": headings[t.section], "content": t.content, "deadline_text": t.deadline.text,
        "due": t.deadline.due.isoformat(), "lead": t.lead, "owners": t.owners, "units": t.units,
        "milestones": [{"date": m.date.isoformat(), "text": m.text} for m in t.milestones],
    } for t in plan.tasks]


def _expected(task: dict) -> dict:
    """The seed's hand-checked row (tests/data/000_….expected.json) in the same keys."""
    return {
        "ref": task["id"], "section": f"{task['section_number']}、{task['section_title']}",
        "content": task["content"], "deadline_text": task["deadline_phrase"], "due": task["due_date"],
        "lead": task["lead_leaders"], "owners": task["responsible"], "units": task["units"],
        "milestones": [{"date": e["date"], "text": e["text"]} for e in task["event_dates"]],
    }


def test_the_seed_table_written_as_prose_reads_as_the_table(tmp_path):
    path = tmp_path / "工作要点.txt"
    path.write_text(_as_prose(), encoding="utf-8")
    plan = interpret(text_document(path), None)
    assert _reading(plan) == [_expected(t) for t in EXPECTED_DATA["tasks"]]
    assert [t.deadline.ongoing for t in plan.tasks] == [t.deadline.ongoing for t in read_plan(SEED).tasks]
    assert (plan.title, plan.year) == ("龙岩市科协2020年度工作要点", 2020)
    assert [(p.code, p.value) for p in plan.context] == [("skipped_closing", "抄送：省科协。")]


def test_the_seed_file_reads_its_table_and_says_its_prose_was_context():
    plan = read_plan(SEED)
    table_only = [(t.ref, t.content, t.deadline, t.lead, t.owners, t.units) for t in plan.tasks]
    assert len(table_only) == 35 and [t.ref for t in plan.tasks] == [t["id"] for t in EXPECTED_DATA["tasks"]]
    assert plan.problems == []
    assert [(p.code, p.line, p.value, p.count) for p in plan.context] == [
        ("skipped_beside_table", 1, "龙岩市科学技术协会关于印发", 38),
        ("skipped_beside_table", 442, "抄送：省科协，市委办、市政府办，市委副书", 3),
    ]


def _duban(*args: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})


def test_reminders_over_2020_are_the_same_for_the_table_and_its_prose(tmp_path):
    pushes = []
    for name, plan in (("table", SEED), ("prose", tmp_path / "工作要点.txt")):
        if name == "prose":
            plan.write_text(_as_prose(), encoding="utf-8")
        folder = tmp_path / name
        folder.mkdir()
        (folder / "config.toml").write_text(f'[bot]\ndatabase = "duban.db"\nplan = "{plan}"\n', encoding="utf-8")
        result = _duban("remind", "--simulate", "2020-01-01..2020-12-31", "--json", cwd=folder)
        assert result.returncode == 0, result.stderr
        pushes.append(json.loads(result.stdout))
    assert len(pushes[0]) == 73 and pushes[1] == pushes[0]  # every push: date, chat, text, refs, mentions
