"""Help, and the answer to anything not understood: short usage with examples, never
silence (DESIGN §4). Examples use placeholders, never real refs."""

from __future__ import annotations

import re

from bot.messages import Reply
from handlers import Context, intent
from handlers.query import examples
from handlers.understanding import Query

_HELP = re.compile(r"^(?:(?:帮助|help|怎么用|如何使用|使用说明|说明|菜单|menu|功能|有什么功能|"
                   r"你能做什么|你能干什么|你能干啥|"
                   r"你会做什么|你会干什么|你会干啥|你会什么|你是谁|你是干什么的|你是做什么的|你叫什么|hi|hello|你好|您好|"
                   r"在吗|在不在|在么)[?？!！。.~～]*|[?？])?$")
_THANKS_WORDS = "谢谢|多谢|感谢|谢了|谢啦|thanks|thankyou|收到|好的|好|ok|okay|明白|知道了|辛苦了|辛苦|👍|啦|了|哈"
_THANKS = re.compile(rf"^(({_THANKS_WORDS})[,，!！。.~～]*)+$")


@intent("help", priority=10)
def help_(ctx: Context, query: Query) -> Reply | None:
    """帮助 / help / ? / a bare @bot → usage."""
    words = query.words.strip()
    if query.names or query.refs or query.window or query.sections or query.ambiguous or query.unknown_refs:
        return None
    if not _HELP.match(words) or (not words and query.text.strip()):  # "啊啊啊": only fillers is not 帮助
        return None
    return ctx.render("help.j2", understood=True, examples=examples(ctx))


@intent("thanks", priority=11)
def thanks(ctx: Context, query: Query) -> Reply | None:
    """谢谢 / 收到 / 好的 → a short word back, not a search for "收到"."""
    if query.names or query.refs or not _THANKS.match(query.words.strip()):
        return None
    return ctx.render("thanks.j2")


@intent("not_understood", priority=1000)
def not_understood(ctx: Context, query: Query) -> Reply:
    """Anything no other intent took: usage with examples, saying so."""
    return ctx.render("help.j2", understood=False, text=query.text, examples=examples(ctx),
                      terms=[t.written for t in query.terms], unused=query.unused)
