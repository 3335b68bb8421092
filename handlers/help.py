"""Help, and the answer to anything not understood: short usage with examples, never
silence (DESIGN §4). Examples use placeholders, never real refs."""

from __future__ import annotations

import re

from bot.messages import Reply
from handlers import Context, intent
from handlers.parse import Query

_HELP = re.compile(r"^(帮助|help|\?|？|怎么用|使用说明|说明|菜单|menu|功能|你能做什么|hi|hello|你好|在吗)?$")


@intent("help", priority=10)
def help_(ctx: Context, query: Query) -> Reply | None:
    """帮助 / help / ? / a bare @bot → usage."""
    if query.names or query.refs or query.window or not _HELP.match(query.words.strip()):
        return None
    return ctx.render("help.j2", understood=True)


@intent("not_understood", priority=1000)
def not_understood(ctx: Context, query: Query) -> Reply:
    """Anything no other intent took: usage with examples, saying so."""
    return ctx.render("help.j2", understood=False, text=query.text)
