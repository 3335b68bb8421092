"""The commands of running duban, added to ``duban``'s parser by bot/cli.py: ``backup FILE``,
``restore FILE``, ``doctor``; and ``people --remove NAME``. Each prints its result and returns the exit code."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.clock import SystemClock
from bot.config import load_config
from bot.ops.words import word


def add_parsers(commands, common: argparse.ArgumentParser) -> None:
    """Add ``backup``, ``restore`` and ``doctor`` to the subparsers ``commands``."""
    backup = commands.add_parser("backup", parents=[common],
                                 help="copy the store to FILE while it may be serving (SQLite online backup)")
    backup.add_argument("file", type=Path, help="the backup file to write, e.g. backups/duban-2020-11-28.db")
    backup.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    restore = commands.add_parser("restore", parents=[common],
                                  help="replace the store with a backup (duban serve must be stopped)")
    restore.add_argument("file", type=Path, help="a file written by duban backup")
    commands.add_parser("doctor", parents=[common],
                        help="check config, store, plan, credentials, clock (exit 1 on a problem)")


def run(args: argparse.Namespace) -> int | None:
    """Run ``args.command`` when it is one of these; None for the others."""
    from bot.ops.backups import backup_to, restore_from

    if args.command == "backup":
        config = load_config(args.config)
        check = backup_to(config, args.file, force=args.force)
        print(word("backup_done", path=args.file.resolve(), check=check))
        return 0
    if args.command == "restore":
        config = load_config(args.config)
        check, kept = restore_from(config, args.file, SystemClock(config.tz).now())
        print(word("restore_done", path=config.bot.database, check=check, kept=kept))
        return 0
    if args.command == "doctor":
        from bot.clock import DayClock
        from bot.ops import doctor

        report = doctor.run(args.config, lambda config: DayClock(args.today, config.tz) if args.today
                            else SystemClock(config.tz))
        print(report.render())
        return report.exit_code
    return None


def remove_person(bot, name: str) -> int:
    """``duban people --remove NAME``: the chat bindings of NAME removed (config's [people] stays)."""
    from bot.store.maintenance import remove_bindings
    from bot.text import clean_name

    name = clean_name(name)
    rows = remove_bindings(bot.store, name, actor="cli", at=bot.clock.now().isoformat())
    if rows:
        print(word("people_removed", name=name, rows=rows))
    else:
        print(word("people_remove_none", name=name, in_config=name in bot.config.people))
    return 0
