"""``duban``: the command line (DESIGN §8).

Every command takes ``--config F`` and ``--today D`` (a clock fixed to day D at the real
time of day). Errors go to stderr with exit code 2. With ``--json`` stdout holds only
JSON; import reports and logs go to stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import socket
import sqlite3
import sys
from datetime import date
from pathlib import Path

from bot.clock import SHANGHAI, DayClock, SystemClock
from bot.config import ConfigError, load_config
from bot.config_checks import check_token
from bot.export import ExportError, export
from bot.ops import commands as ops_commands
from bot.ops import logs
from bot.ops.words import OpsError, phrase
from bot.plan import PlanError
from bot.runtime import Bot, UnknownPerson
from bot.store import StoreError

log = logging.getLogger("duban")


class UsageError(ValueError):
    """A command-line value that is wrong (``--today 2020-13-01``)."""


def _say(mistake: str, **data: object) -> str:
    """The command line's message ``mistake`` (``bot/templates/cli.j2``), Chinese first, then English."""
    return phrase("cli.j2", mistake, **data)


class _Parser(argparse.ArgumentParser):
    """argparse with its error line in Chinese first (the usage line stays as argparse writes it)."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {_say('argument_error', message=message)}\n")


def _day(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_say("bad_date", text=repr(text))) from None
    if not 1900 < day.year < 2200:
        raise argparse.ArgumentTypeError(_say("day_out_of_range", text=repr(text)))
    return day


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(_say("bad_port", text=repr(text)))
    return int(text)


def _year(text: str) -> int:
    if not text.isdigit() or not 1900 < int(text) < 2200:
        raise argparse.ArgumentTypeError(_say("bad_year", text=repr(text)))
    return int(text)


def _common(default: object) -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument("--config", type=Path, default=default,
                        help="config file (default ./config.toml, else built-in)")
    common.add_argument("--today", type=_day, default=default,
                        help="pretend today is this date (YYYY-MM-DD, Asia/Shanghai)")
    return common


def _parser() -> argparse.ArgumentParser:
    # The options work before or after the command; SUPPRESS keeps a subcommand's
    # unset default from overwriting a value given before it.
    common = _common(argparse.SUPPRESS)
    parser = _Parser(prog="duban", parents=[_common(None)],
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
    which_plan = tasks.add_mutually_exclusive_group()
    which_plan.add_argument("--plan", metavar="YEAR|TITLE",
                            help="the tasks of this plan (its year, title or words of its title), "
                                 "not of the plan questions go to")
    which_plan.add_argument("--all", action="store_true", help="the tasks of every plan")
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
    people = commands.add_parser("people", parents=[common],
                                 help="who is mapped to which WeCom/DingTalk id, and who is not")
    people.add_argument("--remove", metavar="NAME", help="remove the ids NAME was bound to in chat (我是…/确认…)")
    ops_commands.add_parsers(commands, common)
    return parser


def _period(text: str) -> tuple[date, date]:
    first, sep, last = text.partition("..")
    if not sep:
        raise argparse.ArgumentTypeError(_say("bad_period", text=repr(text)))
    start, end = _day(first), _day(last)
    if end < start:
        raise argparse.ArgumentTypeError(_say("period_backwards", text=repr(text)))
    if (end - start).days > 800:
        raise argparse.ArgumentTypeError(_say("period_too_long", text=repr(text)))
    return start, end


def _remind(bot: Bot, args: argparse.Namespace) -> int:
    from datetime import timedelta

    from reminders.tick import plan_day

    if args.on and not args.dry_run:
        raise UsageError(_say("remind_needs_dry_run"))
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


def _tasks(bot: Bot, args: argparse.Namespace) -> int:
    """``duban tasks``: the plan questions go to today, the one ``--plan`` names, or ``--all``."""
    from bot import plan_choice

    plans = bot.store.plans()
    if args.all:
        chosen = plans
    elif args.plan:
        chosen = plan_choice.named(plans, args.plan)
        if len(chosen) != 1:
            raise UsageError(bot.render("plan_not_one.j2", name=args.plan, plans=chosen or plans, nothing=not chosen))
    else:
        chosen = [bot.store.active_plan(bot.clock.today())]
    rows = [(plan, task) for plan in chosen for task in bot.store.tasks(plan.id)]
    if args.json:
        print(json.dumps([dict(task.to_json(), plan=plan.title) for plan, task in rows], ensure_ascii=False, indent=2))
    else:
        for plan, t in rows:
            due = t.due.isoformat() if t.due else "—"
            head = f"{plan.title}\t" if len(chosen) > 1 else ""
            print(f"{head}{t.ref}\t{due}\t{t.deadline_text}\t{'、'.join(t.owners)}\t{t.content[:30]}")
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
    logs.configure(config.log.level, config.tz)  # the console; serve adds [log] file
    clock = DayClock(args.today, config.tz) if args.today else SystemClock(config.tz)
    bot = Bot(config, clock)
    imported = bot.ensure_plan() if ensure_plan else None
    if imported:
        print(imported.report, file=sys.stderr)
    return bot


def _run(args: argparse.Namespace) -> int:
    done = ops_commands.run(args)
    if done is not None:
        return done
    if args.command == "import" and args.preview:  # no Bot: the store is only read, and only if it exists
        from bot.plan import read_plan
        from bot.plan.preview import preview

        draft = read_plan(args.file, args.year)
        print(preview(draft, _outlook(args, draft)))
        return 0
    if args.command == "import":
        print(_bot(args, ensure_plan=False).import_plan(args.file, args.year).report)
        return 0
    bot = _bot(args)
    if args.command == "tasks":
        return _tasks(bot, args)
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
        return ops_commands.remove_person(bot, args.remove) if args.remove else _people(bot)
    raise UsageError(args.command)  # pragma: no cover (argparse checks the command)


def _outlook(args: argparse.Namespace, draft):
    """What importing ``draft`` would do to the configured store (bot.store.outlook), or None when
    there is no store yet to compare with: the preview then reads the file alone."""
    from bot.store import Store
    from bot.store.outlook import outlook

    path = Path(load_config(args.config).bot.database)
    if not path.is_file():
        return None
    store = Store(path)
    try:
        return outlook(store, draft)
    finally:
        store.close()


_EXIT_WORDS = {"退出", "再见", "exit", "quit", "q"}


def _chat(bot: Bot, as_: str | None) -> int:
    person = bot.person(as_)  # an unknown name stops here, before the first prompt
    plan = bot.store.active_plan(bot.clock.today())
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
        raise UsageError(_say("port_taken", host=host, port=port, reason=error.strerror)) from None
    return sock


def _warn_at_start(bot: Bot) -> None:
    """Config read against the plan and itself (bot/ops/checks.py): each finding a warning."""
    from bot.ops.checks import startup_warnings
    from bot.store.maintenance import plan_people

    for warning in startup_warnings(bot.config, plan_people(bot.store)):
        log.warning("%s", warning)


def _serve(bot: Bot, args: argparse.Namespace) -> int:
    from bot.http_server import serve
    from bot.ops.lock import StoreLock
    from bot.ops.words import word
    from bot.web import create_app

    host = args.host or bot.config.server.host
    port = args.port or bot.config.server.port
    if args.host:
        bot.config.server.host = host
        check_token(f"--host {host}", bot.config)
    # Held while serving: duban restore is refused meanwhile (bot/ops/lock.py).
    lock = StoreLock(Path(bot.config.bot.database), shared=True)
    if not lock.acquire():
        raise OpsError(word("serve_during_restore", path=bot.config.bot.database))
    try:
        logs.configure_from(bot.config)
    except OSError as error:
        raise OpsError(word("log_file_unwritable", path=bot.config.log.file, reason=error.strerror or error)) from None
    sock = listen_socket(host, port)
    _warn_at_start(bot)
    log.info("local chat on http://%s:%d/", host, port)
    app = create_app(bot, reminders=True, demo_day=args.today is not None)
    try:
        serve(app, sock)
    finally:
        lock.release()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``duban`` console script; returns the exit code."""
    logs.configure("INFO", SHANGHAI)  # until the config says otherwise (bot/ops/logs.py)
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except (ConfigError, ExportError, OpsError, PlanError, UnknownPerson, UsageError) as error:
        print(f"duban: {error}", file=sys.stderr)
        return 2
    except StoreError as error:
        print(f"duban: {_say('store_unusable', error=error)}", file=sys.stderr)
        return 2
    except sqlite3.DatabaseError as error:
        print(f"duban: {_say('database_broken', error=error)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # "duban tasks | head": the reader left; say nothing more (Python docs' recipe)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
