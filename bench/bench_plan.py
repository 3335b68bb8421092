"""Benchmark, run by hand (`make bench`): plan import and question answering.

Measures the seed plan and a synthetic plan 40x its size (1,400 tasks, 8 sections):
read, first import, re-import (no change), and answering questions; peak memory from
the OS. Prints one line per measurement. Not a test: nothing here asserts a timing.
"""

from __future__ import annotations

import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.clock import DayClock  # noqa: E402
from bot.config import PROJECT_DIR, parse_config  # noqa: E402
from bot.plan import read_plan  # noqa: E402
from bot.runtime import Bot  # noqa: E402

SEED = ROOT / "bot" / "bundled" / "longyan-kexie-2020.txt"
NUMERALS = "一二三四五六七八"


def big_plan(path: Path, copies: int = 40) -> Path:
    """The seed's table repeated: 8 sections of 175 tasks (1,400), names varied per copy."""
    text = SEED.read_text(encoding="utf-8")
    start = text.index("\t工作内容")
    header = text[start: text.index("\t相关部室、单位\n", start) + len("\t相关部室、单位\n")]
    parts = [text[:start], header]  # the notice, and the table's header row (its columns are read by it)
    per_section = copies * 35 // 8
    for section in range(8):
        parts.append(f"\t{NUMERALS[section]}、第{section + 1}部分\n")
        for number in range(1, per_section + 1):
            parts.append(f"\t{number}.第{section}部分第{number}项任务，推进重点工作落实。\n\t{number % 12 + 1}月底前\n"
                         f"\t领导{number % 9}\n\t责任人{number % 25}、县（市、区）科协主席\n\t科普部、学会部\n\n\t\n")
    parts.append("抄送：省科协。\n")
    path.write_text("".join(parts), encoding="utf-8")
    return path


def invalidate(bot: Bot) -> None:
    """A write that changes nothing: the plan-data version moves, so every cached read is dropped."""
    with bot.store.write():
        pass


def timed(label: str, fn, repeat: int = 1, setup=None) -> object:
    samples, result = [], None
    for _ in range(repeat):
        if setup is not None:
            setup()
        start = time.perf_counter()
        result = fn()
        samples.append(time.perf_counter() - start)
    median = statistics.median(samples) * 1000
    print(f"{label:<48} {median:9.2f} ms" + (f"  (median of {repeat})" if repeat > 1 else ""))
    return result


def main() -> None:
    from datetime import date

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        for name, plan in (("seed (35 tasks)", SEED), ("synthetic (1,400 tasks)", big_plan(folder / "big.txt"))):
            draft = timed(f"read {name}", lambda plan=plan: read_plan(plan), repeat=5)
            config = parse_config({"bot": {"database": str(folder / f"{len(draft.tasks)}.db")}}, "bench",
                                  PROJECT_DIR, env={})
            bot = Bot(config, DayClock(date(draft.year, 11, 2), config.tz))
            timed(f"first import {name}", lambda bot=bot, plan=plan: bot.import_plan(plan))
            timed(f"re-import, unchanged, {name}", lambda bot=bot, plan=plan: bot.import_plan(plan), repeat=3)
            person = "严众能" if plan == SEED else "责任人3"
            for question in (f"{person}负责什么", "本月到期", "3.3", "机器人竞赛"):
                # After a write (here an empty one) the store's caches are empty: the cost of the
                # first question after a 完成 or an import. Asked again, it comes from memory.
                timed(f"answer {question!r} on {name}", lambda bot=bot, q=question: bot.say(q), repeat=20,
                      setup=lambda bot=bot: invalidate(bot))
                timed(f"  tasks in memory, new question, {name}", lambda bot=bot, q=question: bot.say(q), repeat=20,
                      setup=lambda bot=bot: (invalidate(bot), bot.say("进度")))
                timed(f"  same again (from memory) on {name}", lambda bot=bot, q=question: bot.say(q), repeat=20)
            bot.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak resident memory':<48} {peak:9.1f} MiB")


if __name__ == "__main__":
    main()
