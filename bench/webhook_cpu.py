"""Benchmark, run by hand (`.venv/bin/python bench/webhook_cpu.py`): the CPU one 智能机器人
callback costs the bot, in process, with no HTTP server and no wrk — a figure that does not
depend on what else the shared machine is doing (bench/webhook.py's wall-clock figures do).

The same callbacks as bench/webhook.py ("@督办助手 严众能负责什么", each with its own msgid,
sealed beforehand by the test suite's independent WeCom peer) are sent straight into the
Starlette app (ASGI scope/receive/send), ``--clients`` at a time, through the whole path:
verify, decrypt, claim and answer and record on the writer thread (group commits with the
configured ``synchronous``), encrypt and sign the reply. Prints the process's CPU time per
request (all threads: event loop, writer, SQLite) and the wall time; ``--profile`` adds the
functions that cost most (cProfile of the event loop thread and of the writer thread,
merged). Not a test: nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import pstats
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import wecom_peer  # noqa: E402

TOKEN, KEY = "benchtoken", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
QUESTION = "@督办助手 严众能负责什么"


def sealed(run: str, count: int) -> list[tuple[bytes, bytes]]:
    """``count`` (query string, body) pairs with msgids unique to ``run``, signed now."""
    now, out = str(int(time.time())), []
    for n in range(count):
        message = {"msgid": f"{run}-{n}", "aibotid": "AIBOT", "chatid": "wrkBENCH", "chattype": "group",
                   "from": {"userid": "YanZhongNeng"}, "response_url": "", "msgtype": "text",
                   "text": {"content": QUESTION}}
        query, body = wecom_peer.aibot_post(message, TOKEN, KEY, timestamp=now, nonce=f"n{n}")
        out.append((urlencode(query).encode(), body))
    return out


async def call(app, query: bytes, body: bytes) -> int:
    """One POST /wecom/aibot through the ASGI app; returns the status (the body is dropped)."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": "/wecom/aibot", "raw_path": b"/wecom/aibot", "root_path": "",
             "query_string": query, "server": ("127.0.0.1", 8000), "client": ("127.0.0.1", 5000),
             "headers": [(b"host", b"127.0.0.1"), (b"content-type", b"application/json"),
                         (b"content-length", str(len(body)).encode())]}
    sent = False
    status = 0

    async def receive():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()  # a disconnect never comes

    async def send(message):
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def drive(app, requests: list[tuple[bytes, bytes]], clients: int) -> list[int]:
    """Send ``requests`` with ``clients`` in flight at a time; their statuses."""
    queue = list(reversed(requests))
    statuses: list[int] = []

    async def client():
        while queue:
            statuses.append(await call(app, *queue.pop()))

    await asyncio.gather(*(client() for _ in range(clients)))
    return statuses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--clients", default="1,64")
    parser.add_argument("--synchronous", default="FULL", help="[bot] synchronous (FULL or NORMAL)")
    parser.add_argument("--profile", action="store_true", help="print the costliest functions (slower)")
    parser.add_argument("--stats", type=Path, help="with --profile: also write the pstats file here")
    args = parser.parse_args()

    import logging

    from bot.config import load_config
    from bot.runtime import Bot
    from bot.web import create_app
    from bot.writer import Writer

    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        config_path = folder / "config.toml"
        config_path.write_text(
            f'[bot]\ndatabase = "{folder / "duban.db"}"\nsynchronous = "{args.synchronous}"\n'
            f'[wecom.aibot]\ntoken = "{TOKEN}"\nencoding_aes_key = "{KEY}"\n'
            f'[people."严众能"]\nwecom = "YanZhongNeng"\n')
        bot = Bot(load_config(config_path))
        bot.ensure_plan()
        app = create_app(bot)
        profiles: list[cProfile.Profile] = []
        if args.profile:
            run = Writer._run

            def profiled(self):
                profile = cProfile.Profile(time.thread_time)
                profiles.append(profile)
                profile.runcall(run, self)

            Writer._run = profiled
        loop = asyncio.new_event_loop()
        try:
            assert loop.run_until_complete(drive(app, sealed("warm", 200), 8)) == [200] * 200
            print(f"{'clients':>7} {'requests':>8} {'CPU ms/req':>10} {'wall ms/req':>11}"
                  f"  (synchronous={args.synchronous})")
            for clients in (int(c) for c in args.clients.split(",")):
                requests = sealed(f"c{clients}", args.requests)
                main_profile = cProfile.Profile(time.thread_time) if args.profile else None
                cpu, wall = time.process_time(), time.perf_counter()
                if main_profile:
                    main_profile.enable()
                statuses = loop.run_until_complete(drive(app, requests, clients))
                if main_profile:
                    main_profile.disable()
                    profiles.append(main_profile)
                cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
                bad = len([s for s in statuses if s != 200])
                print(f"{clients:>7} {len(requests):>8} {cpu / len(requests) * 1000:>10.3f} "
                      f"{wall / len(requests) * 1000:>11.3f}" + (f"  {bad} not 200" if bad else ""), flush=True)
        finally:
            loop.close()
            bot.close()
        if profiles:
            out = io.StringIO()
            stats = pstats.Stats(*profiles, stream=out)
            stats.sort_stats("tottime").print_stats(35)
            if args.stats:
                stats.dump_stats(args.stats)
            print(out.getvalue())


if __name__ == "__main__":
    main()
