"""确认 严众能 <账号>: an admin confirms which of several accounts asking to be one person is them
(issue 13: two claims for one name left "确认 严众能" nothing to confirm). The account is the
sender id the bot listed when it asked ("有2个账号申请为严众能（a、b）"). A plain "确认 X" with
one account waiting is the bind intent's (handlers/complete.py).
"""

from __future__ import annotations

import re

from bot.messages import Reply
from bot.store import completion
from bot.store.completion import Meta
from bot.text import clean_id, clean_name
from handlers import Context, intent
from handlers.understanding import Query

_CONFIRM_ACCOUNT = re.compile(r"^\s*确认\s*(\S+?)\s+(?:账号\s*[:：]?\s*)?([A-Za-z0-9_.@$:\-]+)\s*$")


@intent("confirm_account", priority=4, writes=True)
def confirm_account(ctx: Context, query: Query) -> Reply | None:
    """确认 严众能 ZhangSan → the waiting request of account ZhangSan to be 严众能 is confirmed."""
    message = ctx.message
    text = re.sub(rf"@\s*{re.escape(ctx.bot_name)}", "", message.text).strip()
    match = _CONFIRM_ACCOUNT.match(text)
    if not match or message.platform == "local":
        return None
    person, account = clean_name(match[1]), clean_id(match[2])
    if person not in ctx.store.directory().people:
        return None
    if ctx.person not in ctx.admins:
        return ctx.render("binding.j2", code="not_admin", admins=ctx.admins)
    senders = completion.pending_bindings(ctx.store, message.platform, person)
    if account not in senders:
        return ctx.render("confirm_account.j2", person=person, account=account, senders=senders)
    completion.confirm_binding(ctx.store, message.platform, person, account, ctx.person,
                               Meta(message.platform, message.chat_id, message.msg_id, message.received_at.isoformat()))
    return ctx.render("binding.j2", code="confirmed", person=person, sender=account)
