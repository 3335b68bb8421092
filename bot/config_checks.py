"""The checks of a parsed configuration beyond types: times, days, platforms, chats, people and
the server token (DESIGN §8). Each raises :class:`ConfigError` naming the key, its message from
``bot/templates/config_errors.j2`` (Chinese first, then English).
"""

from __future__ import annotations

import re
from datetime import date
from types import SimpleNamespace
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

if TYPE_CHECKING:
    from bot.config import Config

PLATFORMS = ("local", "wecom", "dingtalk")
MIN_TOKEN = 16  # characters of server.token when the bot listens beyond this machine


class ConfigError(ValueError):
    """A config mistake; the message names the file and the key (``server.port``)."""


def fail(where: str, mistake: str, **data: object) -> ConfigError:
    """The ConfigError for ``mistake`` (a macro of ``bot/templates/config_errors.j2``, Chinese first, then
    English) in ``where`` (the file), filled with ``data``: "config.toml：没有这个键：server.prot… / unknown key…"."""
    from bot.ops.words import phrase

    return ConfigError(f"{where}：{phrase('config_errors.j2', mistake, **data)}")


def section_of(config: Config, name: str) -> SimpleNamespace:
    """The section ``name`` of ``config``, dotted names reaching into a nested one ("wecom.aibot")."""
    head, _, tail = name.partition(".")
    section = getattr(config, head)
    return getattr(section, tail) if tail else section


def _is_url(text: str) -> bool:
    import httpx

    try:
        url = httpx.URL(text)
    except Exception:  # httpx.InvalidURL and friends
        return False
    return url.scheme in ("http", "https") and bool(url.host)


def _check_days(where: str, key: str, values: list[str]) -> None:
    for value in values:
        try:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise ValueError(value)
            date.fromisoformat(value)
        except ValueError:
            raise fail(where, "bad_days", key=key, value=repr(value)) from None


def _check_reminders(where: str, reminders: SimpleNamespace) -> None:
    if not re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d", reminders.time):
        raise fail(where, "bad_time", key="reminders.time", value=repr(reminders.time))
    reminders.time = reminders.time.zfill(5)  # "9:00" is 09:00
    for key in ("lead_days", "milestone_lead_days"):
        if any(not 1 <= day <= 366 for day in getattr(reminders, key)):
            raise fail(where, "bad_lead_days", key=f"reminders.{key}", value=getattr(reminders, key))
    if reminders.overdue_every_days < 1:
        raise fail(where, "bad_overdue_every", value=reminders.overdue_every_days)
    _check_days(where, "reminders.holidays", reminders.holidays)
    _check_days(where, "reminders.workdays", reminders.workdays)


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
# FULL: a commit is on disk before the answer leaves; NORMAL: it survives the process, not a power cut.
SYNCHRONOUS = ("FULL", "NORMAL")


def _check_ops(where: str, config: Config) -> None:
    """[backup] and [log] (issue 15)."""
    if config.backup.keep < 0:
        raise fail(where, "bad_backup_keep", value=config.backup.keep)
    if not re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d", config.backup.time):
        raise fail(where, "bad_time", key="backup.time", value=repr(config.backup.time))
    config.backup.time = config.backup.time.zfill(5)
    config.bot.synchronous = config.bot.synchronous.upper()
    if config.bot.synchronous not in SYNCHRONOUS:
        raise fail(where, "bad_choice", key="bot.synchronous", choices='"FULL" or "NORMAL"',
                    value=repr(config.bot.synchronous))
    config.log.level = config.log.level.upper()
    if config.log.level not in LOG_LEVELS:
        raise fail(where, "bad_log_level", value=repr(config.log.level), levels=", ".join(LOG_LEVELS))
    if config.log.keep < 0:
        raise fail(where, "bad_log_keep", value=config.log.keep)


def _check_platforms(where: str, config: Config) -> None:
    for section, key in (("wecom", "encoding_aes_key"), ("wecom.aibot", "encoding_aes_key")):
        value = section_of(config, section).__dict__[key]
        if value and not re.fullmatch(r"[A-Za-z0-9]{43}", value):
            odd = list(dict.fromkeys(c for c in value if not (c.isascii() and c.isalnum())))
            raise fail(where, "bad_aes_key", key=f"{section}.{key}", length=len(value), odd=odd)
    if not 0 < config.wecom.reply_deadline_s < 5:
        raise fail(where, "bad_reply_deadline", value=config.wecom.reply_deadline_s)
    if config.wecom.aibot.mode not in ("callback", "websocket"):
        raise fail(where, "bad_choice", key="wecom.aibot.mode", choices='"callback" or "websocket"',
                    value=repr(config.wecom.aibot.mode))
    if config.wecom.aibot.mode == "websocket":
        for key in ("bot_id", "secret"):
            if not getattr(config.wecom.aibot, key):
                raise fail(where, "ws_needs", key=key)
        _check_ws_url(where, config.wecom.aibot.ws_url)
    if config.dingtalk.mode not in ("stream", "http"):
        raise fail(where, "bad_choice", key="dingtalk.mode", choices='"stream" or "http"',
                    value=repr(config.dingtalk.mode))
    if bool(config.dingtalk.app_key) != bool(config.dingtalk.app_secret):
        missing = "dingtalk.app_secret" if config.dingtalk.app_key else "dingtalk.app_key"
        raise fail(where, "dingtalk_pair", missing=missing)
    wecom_app = all(getattr(config.wecom, key) for key in ("corp_id", "agent_id", "secret"))
    dingtalk_app = bool(config.dingtalk.app_key and config.dingtalk.app_secret)
    if config.reminders.private and not (wecom_app or dingtalk_app):
        empty = [f"wecom.{key}" for key in ("corp_id", "agent_id", "secret") if not getattr(config.wecom, key)]
        raise fail(where, "private_needs_app", empty=", ".join(empty))
    for section in ("wecom", "dingtalk"):
        base = section_of(config, section).api_base
        if not re.match(r"https?://[^\s/]+", base):
            raise fail(where, "bad_api_base", key=f"{section}.api_base", value=repr(base))


def _check_ws_url(where: str, url: str) -> None:
    """wss://host[:port][/path]: WeCom's SDK always connects with TLS, so ws:// cannot work."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 — raises ValueError for a port out of range or not a number
    except ValueError as error:
        raise fail(where, "bad_ws_url", value=repr(url), reason=str(error)) from None
    if parts.scheme != "wss" or not parts.hostname:
        raise fail(where, "ws_url_not_wss", value=repr(url))


def _check_chats(where: str, config: Config) -> None:
    names: set[str] = set()
    for index, chat in enumerate(config.chats):
        if chat.platform not in PLATFORMS:
            raise fail(where, "chat_platform", index=index, platforms=", ".join(PLATFORMS), value=repr(chat.platform))
        if not chat.name:
            raise fail(where, "chat_no_name", index=index)
        if chat.name in names:
            raise fail(where, "chat_name_taken", index=index, name=repr(chat.name))
        names.add(chat.name)
        long_connection = chat.platform == "wecom" and config.wecom.aibot.mode == "websocket"
        if long_connection and not chat.webhook and not chat.chat_id:
            raise fail(where, "chat_needs_address", index=index)
        if chat.platform in ("wecom", "dingtalk") and not chat.webhook and not long_connection:
            raise fail(where, "chat_needs_webhook", index=index, platform=chat.platform)
        if chat.webhook and not _is_url(chat.webhook):
            raise fail(where, "chat_bad_webhook", index=index, value=repr(chat.webhook))


def _check_people(where: str, config: Config) -> None:
    seen: dict[tuple[str, str], str] = {}
    for name, ids in config.people.items():
        if not name:
            raise fail(where, "no_name", table="people")
        for platform in ("wecom", "dingtalk", "mobile"):
            value = getattr(ids, platform)
            if value and (platform, value) in seen:
                raise fail(where, "id_twice", name=name, platform=platform, value=repr(value),
                            other=seen[platform, value])
            seen[platform, value] = name
    for kind, groups in (("roles", config.roles), ("units", config.units)):
        if "" in groups:
            raise fail(where, "no_name", table=kind)


def check_semantics(where: str, config: Config) -> None:
    try:
        ZoneInfo(config.bot.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise fail(where, "bad_timezone", value=repr(config.bot.timezone)) from None
    _check_reminders(where, config.reminders)
    _check_ops(where, config)
    _check_host(where, config.server.host)
    if not 0 < config.server.port < 65536:
        raise fail(where, "bad_port", value=config.server.port)
    check_token(where, config)
    if config.server.token and not (config.server.token.isascii() and config.server.token.isprintable()):
        raise fail(where, "token_ascii")
    _check_platforms(where, config)
    _check_chats(where, config)
    _check_people(where, config)


def _check_host(where: str, host: str) -> None:
    """server.host: an address or a host name alone, not empty, no scheme, port or path."""
    if not host.strip() or host != host.strip() or any(c in host for c in "/ ") or host.count(":") == 1:
        raise fail(where, "bad_host", value=repr(host))


def short_loopback_token(config: Config) -> int | None:
    """The length of ``server.token`` when it is set but shorter than ``MIN_TOKEN`` on a loopback server
    (a warning, not an error: only this machine reaches the server, but the token still guards /admin
    and /status there), else None."""
    token = config.server.token
    return len(token) if config.loopback and token and len(token) < MIN_TOKEN else None


def check_token(where: str, config: Config) -> None:
    """A server not on loopback needs ``server.token`` of at least ``MIN_TOKEN`` characters (the
    local chat lets anyone speak as anyone, /status shows every task). Raises ConfigError
    saying how to make one (bot/templates/config_errors.j2)."""
    if config.loopback:
        return
    token = config.server.token
    if not token:
        raise fail(where, "token_required", host=config.server.host)
    if len(token) < MIN_TOKEN:
        raise fail(where, "token_short", host=config.server.host, length=len(token), minimum=MIN_TOKEN)
