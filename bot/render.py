"""Jinja2 environments for chat text and for web pages.

Chat templates are plain text and markdown, so autoescape is OFF there: HTML escaping
would show &gt; &amp; &quot; literally in the group (cases/bug21). Web pages (``*.html``)
are escaped as HTML should be.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import jinja2

from bot.text import shorten

ROOT = Path(__file__).resolve().parent.parent


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def environment(*folders: Path) -> jinja2.Environment:
    """An environment over ``folders`` with the filters every template may use:
    ``short(n)`` (cut with …), ``day`` (ISO date or ""); the function ``unit_columns(task, labels)``
    (bot.export.columns: which of the plan's own columns each unit of a task is in); ``plan_limits``
    (bot.plan.readers.width.LIMITS: the import's caps on columns and cell length)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(f) for f in folders]),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False,
                                            default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["short"] = shorten
    env.filters["day"] = _day
    from bot.export.columns import unit_columns

    env.globals["unit_columns"] = unit_columns
    from bot.plan.readers.width import LIMITS

    env.globals["plan_limits"] = LIMITS  # the import's caps, for the warnings that name them
    return env


def words(template: str):
    """``bot/templates/<template>`` as a module of macros: names the bot makes up (a plan's
    made-up title, a title's number), rendered with ``str(words(...).macro(...))``."""
    return _bot_env().get_template(template).module


_BOT_ENV: jinja2.Environment | None = None


def _bot_env() -> jinja2.Environment:
    global _BOT_ENV
    if _BOT_ENV is None:
        _BOT_ENV = environment(ROOT / "bot" / "templates")
    return _BOT_ENV
