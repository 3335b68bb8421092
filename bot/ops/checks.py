"""Config read against the plan and against itself, at start-up and by ``duban doctor`` (issue 15):

- a name in ``bot.admins`` or ``[people."X"]`` that no plan names but that is one slip (a character
  changed, added, dropped or two swapped) from one that a plan does: 朱明升 for 朱明生 left an office with
  no admin and no word. Members of ``[roles]`` and ``[units]`` are people outside the plan: not checked.
- a platform set up halfway: what works and what does not ("钉钉群 科协工作群 有 webhook 没有 app_key：
  能收到提醒，群里提问收不到").
- a short ``server.token`` on a loopback server (refused beyond loopback, bot/config_checks.py).
Each finding is a sentence from ``bot/templates/ops.j2``.
"""

from __future__ import annotations

from bot.config import Config
from bot.ops.words import word


def one_slip(a: str, b: str) -> bool:
    """True when ``a`` and ``b`` differ by exactly one character changed, added or dropped, or two
    neighbours swapped (朱明升/朱明生, 林丽/林丽丽, 严能众/严众能)."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1
                                  and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]])
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def name_slips(config: Config, plan_names: set[str]) -> list[str]:
    """One warning per configured name (``bot.admins``, ``[people]``) that no plan names but that is one
    slip from a name a plan does, naming both."""
    found = []
    for key, names in (("bot.admins", config.bot.admins), ("people", list(config.people))):
        for name in names:
            if name in plan_names:
                continue
            near = sorted(n for n in plan_names if one_slip(name, n))
            if near:
                found.append(word("name_slip", key=key, name=name, near=near))
    return found


def _aibot_ready(config: Config) -> bool:
    aibot = config.wecom.aibot
    if aibot.mode == "websocket":
        return bool(aibot.bot_id and aibot.secret)
    return bool(aibot.token and aibot.encoding_aes_key)


def half_setups(config: Config) -> list[str]:
    """One sentence per platform set up halfway: what works and what does not."""
    found = []
    wecom, aibot, dingtalk = config.wecom, config.wecom.aibot, config.dingtalk
    for chat in config.chats:
        if chat.platform == "dingtalk" and chat.webhook and not dingtalk.app_key:
            found.append(word("half_dingtalk_chat", chat=chat.name))
        if chat.platform == "wecom" and chat.webhook and not _aibot_ready(config):
            found.append(word("half_wecom_chat", chat=chat.name, mode=aibot.mode))
    if aibot.mode == "callback" and bool(aibot.token) != bool(aibot.encoding_aes_key):
        found.append(word("half_aibot", missing="encoding_aes_key" if aibot.token else "token"))
    app = {key: bool(getattr(wecom, key)) for key in ("corp_id", "token", "encoding_aes_key", "agent_id", "secret")}
    if any(app.values()) and not all(app.values()):
        receive = [k for k in ("corp_id", "token", "encoding_aes_key") if not app[k]]
        send = [k for k in ("corp_id", "agent_id", "secret") if not app[k]]
        found.append(word("half_wecom_app", have=[k for k, v in app.items() if v], receive=receive, send=send))
    if dingtalk.app_key and not any(c.platform == "dingtalk" for c in config.chats):
        found.append(word("dingtalk_without_chats"))
    if _aibot_ready(config) and not any(c.platform == "wecom" for c in config.chats):
        found.append(word("aibot_without_chats"))
    return found


def weak_token(config: Config) -> list[str]:
    """A ``server.token`` set but shorter than 16 characters on a loopback server: a warning (beyond
    loopback config refuses it, issue 13). Only this machine reaches the server, but the token is
    what guards /admin and /status there (issue 15 §8)."""
    from bot.config_checks import MIN_TOKEN, short_loopback_token

    length = short_loopback_token(config)
    return [] if length is None else [word("short_token", host=config.server.host, length=length, minimum=MIN_TOKEN)]


def startup_warnings(config: Config, plan_names: set[str]) -> list[str]:
    """Everything :func:`name_slips`, :func:`half_setups` and :func:`weak_token` find, in that order."""
    return name_slips(config, plan_names) + half_setups(config) + weak_token(config)
