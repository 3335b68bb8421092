"""Benchmark, run by hand (`.venv/bin/python bench/bench_prose.py`): reading plans written as prose.

Measures the prose interpreter alone (no file reader, no store) on the seed's 工作要点 text,
on plan 09 (a notice and bracketed owners), and on a synthetic plan of 1,400 tasks in 8
sections with an owner line after each (2,809 paragraphs), and one of 5,000 paragraphs; peak
memory from the OS. Prints one line per measurement. Not a test: nothing here asserts a timing.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.plan.document import Document, Paragraph, Place  # noqa: E402
from bot.plan.prose import interpret  # noqa: E402

SEED = ROOT / "bot" / "bundled" / "longyan-kexie-2020.txt"
PLAN_09 = ROOT / "tests" / "data" / "plans" / "09_guangzhou_2006_sfb19" / "source.txt"
NUMERALS = "一二三四五六七八九十"


def document(text: str) -> Document:
    return Document("bench.txt", [Paragraph(line, Place(line=n)) for n, line in enumerate(text.split("\n"), 1)])


def synthetic(sections: int, per_section: int) -> str:
    lines = ["测试市2024年重点工作任务分解方案"]
    for section in range(sections):
        lines.append(f"{NUMERALS[section]}、第{section + 1}部分重点工作")
        for number in range(1, per_section + 1):
            lines += [f"（{number}）推进第{section + 1}部分第{number}项工作，{number % 12 + 1}月底前完成阶段任务，"
                      f"推动各县（市、区）于年底前全面推开。",
                      f"责任单位：市发改委、财政局、第{number % 30}局（列第一位的为牵头单位，下同）"]
    return "\n".join(lines)


def timed(label: str, fn, repeat: int) -> object:
    samples, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - start)
    print(f"{label:<52} {statistics.median(samples) * 1000:9.2f} ms  (median of {repeat})")
    return result


def main() -> None:
    seed_text = SEED.read_text(encoding="utf-8")
    seed_prose = seed_text[:seed_text.index("附件：")]
    cases = [
        ("seed 工作要点 prose (20 tasks)", document(seed_prose), 50),
        ("plan 09 (8 tasks, notice, bracketed owners)", document(PLAN_09.read_text(encoding="utf-8")), 50),
        ("synthetic 1,400 tasks (2,809 paragraphs)", document(synthetic(8, 175)), 5),
        ("synthetic 2,490 tasks (4,991 paragraphs)", document(synthetic(10, 249)), 5),
    ]
    for label, doc, repeat in cases:
        plan = timed(label, lambda doc=doc: interpret(doc, None), repeat)
        print(f"{'':<52} {len(plan.tasks)} tasks, {len(plan.problems)} report entries")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak memory (RSS)':<52} {peak:9.1f} MB")


if __name__ == "__main__":
    main()
