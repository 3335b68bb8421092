"""Benchmark, run by hand (`make bench-questions`): understanding questions (issue 12 "Speed").

* a new question once the plan is in memory, on the seed (the 248 questions of
  tests/data/questions/dev.json, each asked once) and on bench_plan.py's 1,400-task plan;
* the first question after the plan data changed (the plan's index is rebuilt);
* bad input: a 2,000-character paste, only punctuation or emoji, 500 names in one message;
* `duban ask` on a warm store (a process per question, as the CLI is used);
* peak resident memory of `duban serve` after answering questions that load every library
  (OpenCC for traditional characters, pypinyin for slips).

Prints one line per measurement. Not a test: nothing here asserts a timing.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date, datetime
from datetime import time as dtime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_plan import big_plan, invalidate  # noqa: E402
from bot.clock import SHANGHAI, FrozenClock  # noqa: E402
from bot.config import PROJECT_DIR, parse_config  # noqa: E402
from bot.runtime import Bot  # noqa: E402

DEV = json.loads((ROOT / "tests" / "data" / "questions" / "dev.json").read_text(encoding="utf-8"))
DUBAN = Path(sys.executable).parent / "duban"
BIG_QUESTIONS = [
    "责任人3负责什么", "责任人12的任务", "领导4牵头哪些", "领导7负责什么", "本月到期", "逾期几项", "下个月到期的",
    "第3部分有几项", "第五部分第十二条", "3.12", "5.7谁负责", "科普部的任务", "学会部有几项", "一共多少项",
    "第2部分第7项任务谁负责", "第4部分第9项任务什么时候截止", "责任人3本月到期的", "责任人5和责任人6一起负责的",
    "县科协主席负责几项", "12月到期的任务", "上半年要完成的", "two weeks", "责任人三负责什么", "领导四牵头的",
    "第6部分第30项任务", "推进重点工作落实谁负责", "严众能负责什么", "机器人竞赛谁负责",
]


def bot_on(plan: Path, folder: Path, on: date) -> Bot:
    config = parse_config({"bot": {"database": str(folder / f"{plan.stem}.db"), "plan": str(plan)}}, "bench",
                          PROJECT_DIR, env={})
    bot = Bot(config, FrozenClock(datetime.combine(on, dtime(10, 0), tzinfo=SHANGHAI)))
    bot.ensure_plan()
    return bot


def percentiles(label: str, samples: list[float]) -> None:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    print(f"{label:<58} p50 {statistics.median(ms):7.2f} ms  p95 {p95:7.2f} ms  max {ms[-1]:7.2f} ms  (n={len(ms)})")


def once(label: str, fn) -> None:
    start = time.perf_counter()
    fn()
    print(f"{label:<58} {(time.perf_counter() - start) * 1000:9.2f} ms")


# Each question is asked as a new one several times: a trailing mark makes it new to the answer cache.
ENDINGS = ("", "？", "?", "。", "！")


def new_questions(bot: Bot, questions: list[tuple[str, str | None, date | None]]) -> list[float]:
    samples = []
    for text, person, on in questions:
        if on:
            bot.clock.set(on)
        for ending in ENDINGS:
            start = time.perf_counter()
            bot.say(text + ending, as_=person)
            samples.append(time.perf_counter() - start)
    return samples


def bench_answers(folder: Path) -> None:
    seed = bot_on(ROOT / "data" / "longyan-kexie-2020.txt", folder, date(2020, 11, 2))
    invalidate(seed)
    once("seed: first question (plan index built)", lambda: seed.say("机器人比赛谁负责"))
    once("seed: first slip (loads pypinyin, sound index)", lambda: seed.say("严中能负责啥"))
    questions = [(q["q"], q.get("as"), date.fromisoformat(q.get("today", "2020-11-02"))) for q in DEV
                 if not q.get("must_not_change")]
    percentiles("seed: a new question, plan in memory (dev.json)", new_questions(seed, questions))
    seed.clock.set(date(2020, 11, 2))
    paste = ("关于印发《龙岩市科协2020年度工作要点》的通知，各县（市、区）科协、机关各部室：" * 60)[:2000]
    people = ["严众能", "林丽", "林永禄", "梁伟坚", "钟晓鹏", "童聪良", "徐锦清", "陈家国"]
    bad = {"a 2,000-character paste": paste, "only punctuation": "，，，。。。！！！？？？" * 20,
           "only emoji": "🙂👍🏻🎉" * 50, "500 names": "、".join(people[i % 8] for i in range(500)),
           "60 names (a question)": "、".join(people[i % 8] for i in range(60)) + "负责什么",
           "500 unknown names": "王建国、" * 500, "1,000 typo'd names": "严中能" * 1000}
    for label, text in bad.items():
        once(f"seed: bad input, {label}", lambda text=text: seed.say(text))
    seed.close()

    big = bot_on(big_plan(folder / "big.txt"), folder, date(2020, 11, 2))
    invalidate(big)
    once("1,400 tasks: first question (plan index built)", lambda: big.say("责任人3负责什么"))
    once("1,400 tasks: first slip (sound index of the plan)", lambda: big.say("推进重点工作洛实谁负责"))
    percentiles("1,400 tasks: a new question, plan in memory", new_questions(big, [(q, None, None)
                                                                                 for q in BIG_QUESTIONS]))
    for label, text in bad.items():
        once(f"1,400 tasks: bad input, {label}", lambda text=text: big.say(text))
    big.close()


def bench_ask(folder: Path) -> None:
    config = folder / "ask.toml"
    config.write_text(f'[bot]\ndatabase = "{folder / "ask.db"}"\n', encoding="utf-8")
    subprocess.run([str(DUBAN), "--config", str(config), "ask", "进度"], capture_output=True, check=True)
    for question in ("机器人比赛谁负责", "严中能负责啥"):
        samples = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run([str(DUBAN), "--config", str(config), "--today", "2020-11-02", "ask", question],
                           capture_output=True, check=True)
            samples.append(time.perf_counter() - start)
        percentiles(f"duban ask {question!r}, warm store", samples)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bench_serve(folder: Path) -> None:
    port = free_port()
    config = folder / "serve.toml"
    config.write_text(f'[bot]\ndatabase = "{folder / "serve.db"}"\n[server]\nhost = "127.0.0.1"\nport = {port}\n',
                      encoding="utf-8")
    server = subprocess.Popen([str(DUBAN), "--config", str(config), "serve"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/people", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        for text in ["机器人比赛谁负责", "嚴眾能負責什麼", "严中能负责啥", "学术年汇什么时候截止", "yanzhongneng",
                     "闽西职院相关的任务", "一共多少项", "本月到期", "3.3"] + [q["q"] for q in DEV[:60]]:
            request = urllib.request.Request(f"http://127.0.0.1:{port}/api/messages", method="POST",
                                             data=json.dumps({"as": "", "text": text}).encode(),
                                             headers={"content-type": "application/json"})
            urllib.request.urlopen(request, timeout=10).read()
        status = Path(f"/proc/{server.pid}/status").read_text()
        peak = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
        print(f"{'duban serve: peak resident memory after 69 questions':<58} {peak / 1024:9.1f} MiB")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=10)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        bench_answers(Path(folder))
        bench_ask(Path(folder))
        bench_serve(Path(folder))


if __name__ == "__main__":
    main()
