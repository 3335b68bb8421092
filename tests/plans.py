"""Plan files for tests, written in the seed's TAB-led format (DESIGN §3)."""

from __future__ import annotations

import json
from pathlib import Path

SEED = Path(__file__).resolve().parent.parent / "bot" / "bundled" / "longyan-kexie-2020.txt"
# Copies of ../shared/seeds/*.expected.json and ../shared/cases/ so a clone tests on its own.
DATA = Path(__file__).resolve().parent / "data"
EXPECTED = DATA / "000_f0aa2ea22da83b28.expected.json"
CASES = DATA / "cases"
EXPECTED_TASKS = json.loads(EXPECTED.read_text(encoding="utf-8"))["tasks"]
HEADER = ["工作内容", "完成 时间", "牵头\n\n领导", "责任人", "相关部室、单位"]


def tab_plan(path: Path, rows: list[dict], *, title: str = "测试市科协2027年度工作要点",
             section: str = "一、测试部分") -> Path:
    """Write ``rows`` (the cases' baseline_table shape: 工作内容, 完成时间, 牵头领导, 责任人,
    相关部室、单位; "task" the number) as one section of a TAB-led plan at ``path``."""
    lines = [title, "", "附件", title.replace("工作要点", "重点工作任务分解表"), ""]
    lines += ["\t" + cell for cell in HEADER] + [""]
    for index, row in enumerate(rows):
        cells = [
            section if index == 0 else "",
            f"{row.get('task', index + 1)}.{row['工作内容']}",
            row["完成时间"], row.get("牵头领导", ""), row.get("责任人", ""), row.get("相关部室、单位", ""),
        ]
        lines += ["\t" + cell for cell in cells] + [""]
    lines += ["抄送：测试。"]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def case(name: str) -> dict:
    """The shared case ``name`` ("bug09") as parsed JSON."""
    return json.loads((CASES / f"{name}.json").read_text(encoding="utf-8"))


SEED_TITLE = "龙岩市科协2020年度工作要点"


def expected_json(task: dict, *, with_state: bool = True) -> dict:
    """A task of the seed's expected.json as ``duban tasks --json`` writes it (DESIGN §8 keys),
    open with no share done; ``with_state=False`` leaves out status and shares."""
    mapped = {
        "ref": task["id"], "section": f"{task['section_number']}、{task['section_title']}",
        "content": task["content"], "deadline_text": task["deadline_phrase"], "due": task["due_date"],
        "lead": task["lead_leaders"], "owners": task["responsible"], "units": task["units"],
        "cooperating": [], "plan": SEED_TITLE,
        "milestones": [{"date": e["date"], "text": e["text"]} for e in task["event_dates"]],
    }
    if with_state:
        mapped["status"] = "open"
        mapped["shares"] = [{"owner": owner, "done": False, "at": None} for owner in task["responsible"]]
    return mapped


def seed_as(path: Path, year: int, *, issued: str | None = None, title: str | None = None) -> Path:
    """The seed plan rewritten as ``year``'s (every "2020" in it becomes ``year``), issued on ``issued``
    ("2026年12月28日") instead of March 16, its title replaced by ``title`` when given; at ``path``."""
    text = SEED.read_text(encoding="utf-8").replace("2020", str(year))
    if issued:
        text = text.replace(f"{year}年3月16日", issued)
    if title:
        for written in (f"龙岩市科协{year}年度工作要点", f"龙岩市科协{year}年重点工作任务分解表"):
            text = text.replace(written, title)
    path.write_text(text, encoding="utf-8")
    return path
