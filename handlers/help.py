"""Help, and the answer to anything not understood: short usage with examples, never
silence (DESIGN §4). Examples use placeholders, never real refs."""

from __future__ import annotations

import re

from bot.messages import Reply
from handlers import Context, intent
from handlers.parse import Query

_HELP = re.compile(r"^(帮助|help|\?|？|怎么用|使用说明|说明|菜单|menu|功能|你能做什么|hi|hello|你好|在吗)?$")
_THANKS_WORDS = "谢谢|多谢|感谢|谢了|thanks|thankyou|收到|好的|好|ok|okay|明白|知道了|辛苦了|👍"
_THANKS = re.compile(rf"^(({_THANKS_WORDS})[,，!！。.~～]*)+$")


@intent("help", priority=10)
def help_(ctx: Context, query: Query) -> Reply | None:
    """帮助 / help / ? / a bare @bot → usage."""
    if query.names or query.refs or query.window or not _HELP.match(query.words.strip()):
        return None
    return ctx.render("help.j2", understood=True)


@intent("thanks", priority=11)
def thanks(ctx: Context, query: Query) -> Reply | None:
    """谢谢 / 收到 / 好的 → a short word back, not a search for "收到"."""
    if query.names or query.refs or not _THANKS.match(query.words.strip()):
        return None
    return ctx.render("thanks.j2")


@intent("not_understood", priority=1000)
def not_understood(ctx: Context, query: Query) -> Reply:
    """Anything no other intent took: usage with examples, saying so."""
    return ctx.render("help.j2", understood=False, text=query.text)
