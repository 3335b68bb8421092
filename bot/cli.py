"""``duban``: the command line (DESIGN §8).

Every command takes ``--config F`` and ``--today D`` (a clock fixed to day D at the real
time of day). Errors go to stderr with exit code 2. With ``--json`` stdout holds only
JSON; import reports and logs go to stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import socket
import sqlite3
import sys
from datetime import date
from pathlib import Path

from bot.clock import DayClock, SystemClock
from bot.config import ConfigError, load_config
from bot.export import ExportError, export
from bot.plan import PlanError
from bot.runtime import Bot, UnknownPerson
from bot.store import StoreError

log = logging.getLogger("duban")


class UsageError(ValueError):
    """A command-line value that is wrong (``--today 2020-13-01``)."""


def _day(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date YYYY-MM-DD") from None
    if not 1900 < day.year < 2200:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day this bot can plan for (years 1901-2199)")
    return day


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port (1-65535)")
    return int(text)


def _year(text: str) -> int:
    if not text.isdigit() or not 1900 < int(text) < 2200:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year such as 2020")
    return int(text)


def _common(default: object) -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", type=Path, default=default,
                        help="config file (default ./config.toml, else built-in)")
    common.add_argument("--today", type=_day, default=default,
                        help="pretend today is this date (YYYY-MM-DD, Asia/Shanghai)")
    return common


def _parser() -> argparse.ArgumentParser:
    # The options work before or after the command; SUPPRESS keeps a subcommand's
    # unset default from overwriting a value given before it.
    common = _common(argparse.SUPPRESS)
    parser = argparse.ArgumentParser(prog="duban", parents=[_common(None)],
                                     description="督办助手: the work plan as a living task list in group chats")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser("serve", parents=[common], help="run the bot (web app, local chat)")
    serve.add_argument("--host", help="override server.host")
    serve.add_argument("--port", type=_port, help="override server.port")
    imp = commands.add_parser("import", parents=[common], help="import a plan file")
    imp.add_argument("file", type=Path)
    imp.add_argument("--year", type=_year, help="plan year, when the title does not say")
    imp.add_argument("--preview", action="store_true",
                     help="print the reading (tasks, who, deadlines) and every warning; store nothing")
    tasks = commands.add_parser("tasks", parents=[common], help="list every task")
    tasks.add_argument("--json", action="store_true", help="JSON: one object a task (DESIGN §8 keys)")
    ask = commands.add_parser("ask", parents=[common], help="print the bot's reply to one message")
    ask.add_argument("text")
    ask.add_argument("--as", dest="as_", metavar="NAME", help="speak as this person")
    chat = commands.add_parser("chat", parents=[common], help="talk to the bot in this terminal")
    chat.add_argument("--as", dest="as_", metavar="NAME", help="speak as this person")
    remind = commands.add_parser("remind", parents=[common], help="show what the reminder ticks send")
    which = remind.add_mutually_exclusive_group(required=True)
    which.add_argument("--on", type=_day, metavar="D", help="the tick of day D (with --dry-run)")
    which.add_argument("--simulate", type=_period, metavar="D1..D2", help="every push from D1 to D2, in order")
    remind.add_argument("--dry-run", action="store_true", help="print, send nothing (required with --on)")
    remind.add_argument("--json", action="store_true",
                        help='JSON: a list of {"date", "chat", "text", "refs", "mentions"}')
    export = commands.add_parser("export", parents=[common],
                                 help="write the progress table (.xlsx) or the deadlines calendar (.ics)")
    export.add_argument("file", type=Path, help="FILE.xlsx (完成情况表) or FILE.ics (calendar)")
    export.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    commands.add_parser("outbox", parents=[common], help="list pushes not yet delivered, and failed ones")
    commands.add_parser("people", parents=[common], help="who is mapped to which WeCom/DingTalk id, and who is not")
    return parser


def _period(text: str) -> tuple[date, date]:
    first, sep, last = text.partition("..")
    if not sep:
        raise argparse.ArgumentTypeError(f"{text!r} is not a period D1..D2")
    start, end = _day(first), _day(last)
    if end < start:
        raise argparse.ArgumentTypeError(f"{text!r} ends before it starts")
    if (end - start).days > 800:
        raise argparse.ArgumentTypeError(f"{text!r} is longer than two years")
    return start, end


def _remind(bot: Bot, args: argparse.Namespace) -> int:
    from datetime import timedelta

    from reminders.tick import plan_day

    if args.on and not args.dry_run:
        raise UsageError("remind --on D needs --dry-run: duban serve sends the reminders")
    start, end = (args.on, args.on) if args.on else args.simulate
    pushes = []
    day = start
    while day <= end:
        pushes += plan_day(bot, day)
        day += timedelta(days=1)
    if args.json:
        print(json.dumps([p.to_json() for p in pushes], ensure_ascii=False, indent=2))
    else:
        for push in pushes:
            print(f"=== {push.date} · {push.chat} ===\n{push.text}\n")
        if not pushes:  # say so: an empty output looks like a failure
            print(bot.render("remind_none.j2", start=start, end=end))
    return 0


def _outbox(bot: Bot) -> int:
    from bot.store import outbox

    pending = outbox.rows(bot.store, ("pending", "failed"))
    if not pending:
        print(bot.render("outbox_empty.j2"))
    for row in pending:
        first = row.text.split("\n", 1)[0]
        print(f"{row.id}\t{row.status}\t{row.chat}\t{row.on_date}\t{row.part}/{row.parts}\t"
              f"tries {row.attempts}\tnext {row.next_attempt_at[:16]}\t{row.last_error or ''}\t{first}")
    return 0


def _people(bot: Bot) -> int:
    from bot.store.completion import bindings

    bound = bindings(bot.store)
    for name in bot.people():
        ids = bot.config.people.get(name)
        cells = []
        for platform in ("wecom", "dingtalk"):
            configured = getattr(ids, platform, "") if ids else ""
            chat = [b["sender_id"] for b in bound if b["person"] == name and b["platform"] == platform]
            cells.append(f"{platform}: {configured or (chat[-1] + ' (bound in chat)' if chat else '-')}")
        mobile = ids.mobile if ids and ids.mobile else "-"
        print(f"{name}\t" + "\t".join(cells) + f"\tmobile: {mobile}")
    return 0


def _bot(args: argparse.Namespace, *, ensure_plan: bool = True) -> Bot:
    """The bot of ``--config`` on ``--today``'s clock; the plan imported first when the store is empty."""
    config = load_config(args.config)
    clock = DayClock(args.today, config.tz) if args.today else SystemClock(config.tz)
    bot = Bot(config, clock)
    imported = bot.ensure_plan() if ensure_plan else None
    if imported:
        print(imported.report, file=sys.stderr)
    return bot


def _run(args: argparse.Namespace) -> int:
    if args.command == "import" and args.preview:  # no Bot: the store is not even opened
        from bot.plan import read_plan
        from bot.plan.preview import preview

        print(preview(read_plan(args.file, args.year)))
        return 0
    if args.command == "import":
        print(_bot(args, ensure_plan=False).import_plan(args.file, args.year).report)
        return 0
    bot = _bot(args)
    if args.command == "tasks":
        plan = bot.store.active_plan()
        tasks = bot.store.tasks(plan.id)
        if args.json:
            print(json.dumps([t.to_json() for t in tasks], ensure_ascii=False, indent=2))
        else:
            for t in tasks:
                due = t.due.isoformat() if t.due else "—"
                print(f"{t.ref}\t{due}\t{t.deadline_text}\t{'、'.join(t.owners)}\t{t.content[:30]}")
        return 0
    if args.command == "ask":
        print(bot.say(args.text, args.as_).text)
        return 0
    if args.command == "chat":
        return _chat(bot, args.as_)
    if args.command == "serve":
        return _serve(bot, args)
    if args.command == "remind":
        return _remind(bot, args)
    if args.command == "export":
        print(export(bot, args.file, force=args.force))
        return 0
    if args.command == "outbox":
        return _outbox(bot)
    if args.command == "people":
        return _people(bot)
    raise UsageError(f"unknown command {args.command}")  # pragma: no cover (argparse checks)


_EXIT_WORDS = {"退出", "再见", "exit", "quit", "q"}


def _chat(bot: Bot, as_: str | None) -> int:
    person = bot.person(as_)  # an unknown name stops here, before the first prompt
    plan = bot.store.active_plan()
    print(bot.render("chat_banner.j2", who=person, plan=plan, today=bot.clock.today(),
                     archived=plan.archived_on(bot.clock.today()),
                     example=f"{person}负责什么" if person else "本月到期"), end="\n\n")
    prompt = f"{person or '我'}> "
    while True:
        try:
            text = input(prompt)
        except EOFError:
            print()
            return 0
        if text.strip().lower() in _EXIT_WORDS:
            return 0
        if text.strip():
            print(bot.say(text, as_).text, end="\n\n", flush=True)


def listen_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host``:``port`` for uvicorn; UsageError when the port is taken.

    Made with IPPROTO_TCP, not the default 0: asyncio sets TCP_NODELAY only on sockets that
    say they are TCP, and without it every response's body waited ~40 ms behind its headers
    (Nagle + delayed ACK), measured by bench/webhook.py."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as error:
        sock.close()
        raise UsageError(f"cannot listen on {host}:{port}: {error.strerror} "
                         "(another duban serve? try --port)") from None
    return sock


def _serve(bot: Bot, args: argparse.Namespace) -> int:
    import uvicorn

    from bot.web import create_app

    host = args.host or bot.config.server.host
    port = args.port or bot.config.server.port
    if args.host:
        bot.config.server.host = host
        if not bot.config.loopback and not bot.config.server.token:
            raise ConfigError(f"--host {host}: server.token is required when not serving on loopback")
    sock = listen_socket(host, port)
    log.info("local chat on http://%s:%d/", host, port)
    app = create_app(bot, reminders=True, demo_day=args.today is not None)
    # No access log: a line per callback (with its msg_signature) would cost a tenth of the
    # callback path's time (bench/webhook.py) and tell nothing the bot's own log does not.
    server = uvicorn.Server(uvicorn.Config(app, log_level="info", access_log=False))
    server.run(sockets=[sock])
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``duban`` console script; returns the exit code."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s",
                        stream=sys.stderr)
    # APScheduler logs each run of the 5-second delivery job at INFO: 34,000 lines a day of nothing.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except (ConfigError, ExportError, PlanError, UnknownPerson, UsageError) as error:
        print(f"duban: {error}", file=sys.stderr)
        return 2
    except StoreError as error:
        print(f"duban: bot.database: {error}", file=sys.stderr)
        return 2
    except sqlite3.DatabaseError as error:
        print(f"duban: the database cannot be used: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
