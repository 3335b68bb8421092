"""Configuration: TOML read with tomllib, checked key by key (DESIGN §8).

Where it comes from: ``--config F``, else ``./config.toml`` if present, else the embedded
default (local platform, ``data/duban.db`` in the current folder, the bundled plan, which
ships inside the package). Relative paths resolve against the config file's folder (the
embedded default: the folder it runs in). Secrets may
come from the environment under the names in :data:`SECRET_ENV`. A wrong key or value
raises :class:`ConfigError` naming the key, so start-up stops with a message an admin can act on.
"""

from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.text import clean_name

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the same parser, as a package (pyproject's tomli marker)
    import tomli as tomllib

# The source tree's root (a checkout; in an installed wheel, site-packages): tests use it as a base.
PROJECT_DIR = Path(__file__).resolve().parent.parent
# The bundled plan is package data, so it is there wherever the wheel is installed (DESIGN §1).
BUNDLED_PLAN = Path(__file__).resolve().parent / "bundled" / "longyan-kexie-2020.txt"


class ConfigError(ValueError):
    """A config mistake; the message names the file and the key (``server.port``)."""


def _fail(where: str, mistake: str, **data: object) -> ConfigError:
    """The ConfigError for ``mistake`` (a macro of ``bot/templates/config_errors.j2``, Chinese first, then
    English) in ``where`` (the file), filled with ``data``: "config.toml：没有这个键：server.prot… / unknown key…"."""
    from bot.ops.words import phrase

    return ConfigError(f"{where}：{phrase('config_errors.j2', mistake, **data)}")


# Section → key → default. The default's type is the key's type (a list holds strings or ints).
SCHEMA: dict[str, dict[str, Any]] = {
    "bot": {"name": "督办助手", "database": "data/duban.db", "plan": str(BUNDLED_PLAN),
            "admins": [], "timezone": "Asia/Shanghai"},
    "server": {"host": "127.0.0.1", "port": 8080, "token": ""},
    "reminders": {"time": "09:00", "lead_days": [14, 7, 3, 1], "overdue_every_days": 7,
                  "milestone_lead_days": [14, 7, 1], "holidays": [], "workdays": [],
                  "private": False},
    "wecom": {"corp_id": "", "token": "", "encoding_aes_key": "", "agent_id": 0, "secret": "",
              "api_base": "https://qyapi.weixin.qq.com", "reply_deadline_s": 4.0},
    "wecom.aibot": {"mode": "callback", "token": "", "encoding_aes_key": "", "bot_id": "",
                    "secret": "", "ws_url": "wss://openws.work.weixin.qq.com"},
    "dingtalk": {"mode": "stream", "app_key": "", "app_secret": "",
                 "api_base": "https://api.dingtalk.com", "trust_sender_nick": False},
    "backup": {"keep": 0, "folder": "data/backups", "time": "03:00"},
    "log": {"file": "", "level": "INFO", "keep": 30},
}
CHAT_KEYS = {"name": "", "platform": "local", "chat_id": "", "webhook": "", "secret": "", "keyword": "", "plans": []}
PERSON_KEYS = {"wecom": "", "dingtalk": "", "mobile": ""}
ROLE_KEYS = {"members": []}
PLATFORMS = ("local", "wecom", "dingtalk")
# Environment names for secrets: (section, key) → variable. Documented in config.example.toml.
SECRET_ENV = {
    ("server", "token"): "DUBAN_SERVER_TOKEN",
    ("wecom", "token"): "DUBAN_WECOM_TOKEN",
    ("wecom", "encoding_aes_key"): "DUBAN_WECOM_ENCODING_AES_KEY",
    ("wecom", "secret"): "DUBAN_WECOM_SECRET",
    ("wecom.aibot", "token"): "DUBAN_WECOM_AIBOT_TOKEN",
    ("wecom.aibot", "encoding_aes_key"): "DUBAN_WECOM_AIBOT_ENCODING_AES_KEY",
    ("wecom.aibot", "secret"): "DUBAN_WECOM_AIBOT_SECRET",
    ("dingtalk", "app_secret"): "DUBAN_DINGTALK_APP_SECRET",
}
# What the items of each list key are (an empty default cannot say).
_LIST_ITEMS = {"admins": str, "lead_days": int, "milestone_lead_days": int, "holidays": str, "workdays": str,
               "members": str, "plans": str}
MIN_TOKEN = 16  # characters of server.token when the bot listens beyond this machine



@dataclass
class Config:
    """The checked configuration. Sections are namespaces (``config.server.port``);
    ``chats`` a list of namespaces, ``people`` name → namespace, ``roles`` and ``units`` name →
    member list (DESIGN §1: the people who answer for a role or a unit).
    ``source`` is the file read (None for the embedded default); paths are absolute."""

    bot: SimpleNamespace
    server: SimpleNamespace
    reminders: SimpleNamespace
    wecom: SimpleNamespace
    dingtalk: SimpleNamespace
    backup: SimpleNamespace = field(default_factory=lambda: SimpleNamespace(**SCHEMA["backup"]))
    log: SimpleNamespace = field(default_factory=lambda: SimpleNamespace(**SCHEMA["log"]))
    chats: list[SimpleNamespace] = field(default_factory=list)
    people: dict[str, SimpleNamespace] = field(default_factory=dict)
    roles: dict[str, list[str]] = field(default_factory=dict)
    source: Path | None = None
    units: dict[str, list[str]] = field(default_factory=dict)

    def members(self, owner: str) -> list[str]:
        """The people who answer for ``owner`` when it is a role or a unit (config ``[roles]``,
        ``[units]``): @-mentioned for it, may complete its share. Empty for anyone else."""
        return self.roles.get(owner) or self.units.get(owner) or []

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.bot.timezone)

    @property
    def loopback(self) -> bool:
        """True when the server listens only on this machine (the local chat needs no token)."""
        host = self.server.host
        if host == "localhost":
            return True
        try:
            return ipaddress.ip_address(host).is_loopback
        except ValueError:
            return False


def _check_value(where: str, key: str, value: Any, default: Any) -> Any:
    kind = type(default)
    ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value, ok = float(value), True
    if not ok:
        raise _fail(where, "wrong_type", key=key, kind=kind.__name__, value=repr(value))
    item = _LIST_ITEMS.get(key.rsplit(".", 1)[-1])
    if kind is list and item is str:
        # An unquoted TOML date (2020-10-01) is a day too.
        value = [v.isoformat() if isinstance(v, date) else v for v in value]
    if kind is list and item and not all(isinstance(v, item) and not isinstance(v, bool) for v in value):
        raise _fail(where, "wrong_items", key=key, kind=item.__name__, value=repr(value))
    return value


def _table(where: str, prefix: str, data: Any, keys: dict[str, Any], nested: tuple[str, ...] = ()) -> SimpleNamespace:
    if not isinstance(data, dict):
        raise _fail(where, "not_a_table", prefix=prefix, value=repr(data))
    values = dict(keys)
    for key, value in data.items():
        if key in nested:
            continue
        if key not in keys:
            known = ", ".join(keys)
            raise _fail(where, "unknown_key", key=f"{prefix}.{key}", section=prefix, known=known)
        values[key] = _check_value(where, f"{prefix}.{key}", value, keys[key])
    return SimpleNamespace(**values)


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
            raise _fail(where, "bad_days", key=key, value=repr(value)) from None


def _check_reminders(where: str, reminders: SimpleNamespace) -> None:
    if not re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d", reminders.time):
        raise _fail(where, "bad_time", key="reminders.time", value=repr(reminders.time))
    reminders.time = reminders.time.zfill(5)  # "9:00" is 09:00
    for key in ("lead_days", "milestone_lead_days"):
        if any(not 1 <= day <= 366 for day in getattr(reminders, key)):
            raise _fail(where, "bad_lead_days", key=f"reminders.{key}", value=getattr(reminders, key))
    if reminders.overdue_every_days < 1:
        raise _fail(where, "bad_overdue_every", value=reminders.overdue_every_days)
    _check_days(where, "reminders.holidays", reminders.holidays)
    _check_days(where, "reminders.workdays", reminders.workdays)


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def _check_ops(where: str, config: Config) -> None:
    """[backup] and [log] (issue 15)."""
    if config.backup.keep < 0:
        raise _fail(where, "bad_backup_keep", value=config.backup.keep)
    if not re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d", config.backup.time):
        raise _fail(where, "bad_time", key="backup.time", value=repr(config.backup.time))
    config.backup.time = config.backup.time.zfill(5)
    config.log.level = config.log.level.upper()
    if config.log.level not in LOG_LEVELS:
        raise _fail(where, "bad_log_level", value=repr(config.log.level), levels=", ".join(LOG_LEVELS))
    if config.log.keep < 0:
        raise _fail(where, "bad_log_keep", value=config.log.keep)


def _check_platforms(where: str, config: Config) -> None:
    for section, key in (("wecom", "encoding_aes_key"), ("wecom.aibot", "encoding_aes_key")):
        value = _section(config, section).__dict__[key]
        if value and not re.fullmatch(r"[A-Za-z0-9]{43}", value):
            raise _fail(where, "bad_aes_key", key=f"{section}.{key}", length=len(value))
    if not 0 < config.wecom.reply_deadline_s < 5:
        raise _fail(where, "bad_reply_deadline", value=config.wecom.reply_deadline_s)
    if config.wecom.aibot.mode not in ("callback", "websocket"):
        raise _fail(where, "bad_choice", key="wecom.aibot.mode", choices='"callback" or "websocket"',
                    value=repr(config.wecom.aibot.mode))
    if config.wecom.aibot.mode == "websocket":
        for key in ("bot_id", "secret"):
            if not getattr(config.wecom.aibot, key):
                raise _fail(where, "ws_needs", key=key)
        _check_ws_url(where, config.wecom.aibot.ws_url)
    if config.dingtalk.mode not in ("stream", "http"):
        raise _fail(where, "bad_choice", key="dingtalk.mode", choices='"stream" or "http"',
                    value=repr(config.dingtalk.mode))
    if bool(config.dingtalk.app_key) != bool(config.dingtalk.app_secret):
        missing = "dingtalk.app_secret" if config.dingtalk.app_key else "dingtalk.app_key"
        raise _fail(where, "dingtalk_pair", missing=missing)
    wecom_app = all(getattr(config.wecom, key) for key in ("corp_id", "agent_id", "secret"))
    dingtalk_app = bool(config.dingtalk.app_key and config.dingtalk.app_secret)
    if config.reminders.private and not (wecom_app or dingtalk_app):
        empty = [f"wecom.{key}" for key in ("corp_id", "agent_id", "secret") if not getattr(config.wecom, key)]
        raise _fail(where, "private_needs_app", empty=", ".join(empty))
    for section in ("wecom", "dingtalk"):
        base = _section(config, section).api_base
        if not re.match(r"https?://[^\s/]+", base):
            raise _fail(where, "bad_api_base", key=f"{section}.api_base", value=repr(base))


def _check_ws_url(where: str, url: str) -> None:
    """wss://host[:port][/path]: WeCom's SDK always connects with TLS, so ws:// cannot work."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 — raises ValueError for a port out of range or not a number
    except ValueError as error:
        raise _fail(where, "bad_ws_url", value=repr(url), reason=str(error)) from None
    if parts.scheme != "wss" or not parts.hostname:
        raise _fail(where, "ws_url_not_wss", value=repr(url))


def _check_chats(where: str, config: Config) -> None:
    names: set[str] = set()
    for index, chat in enumerate(config.chats):
        if chat.platform not in PLATFORMS:
            raise _fail(where, "chat_platform", index=index, platforms=", ".join(PLATFORMS), value=repr(chat.platform))
        if not chat.name:
            raise _fail(where, "chat_no_name", index=index)
        if chat.name in names:
            raise _fail(where, "chat_name_taken", index=index, name=repr(chat.name))
        names.add(chat.name)
        long_connection = chat.platform == "wecom" and config.wecom.aibot.mode == "websocket"
        if long_connection and not chat.webhook and not chat.chat_id:
            raise _fail(where, "chat_needs_address", index=index)
        if chat.platform in ("wecom", "dingtalk") and not chat.webhook and not long_connection:
            raise _fail(where, "chat_needs_webhook", index=index, platform=chat.platform)
        if chat.webhook and not _is_url(chat.webhook):
            raise _fail(where, "chat_bad_webhook", index=index, value=repr(chat.webhook))


def _check_people(where: str, config: Config) -> None:
    seen: dict[tuple[str, str], str] = {}
    for name, ids in config.people.items():
        if not name:
            raise _fail(where, "no_name", table="people")
        for platform in ("wecom", "dingtalk", "mobile"):
            value = getattr(ids, platform)
            if value and (platform, value) in seen:
                raise _fail(where, "id_twice", name=name, platform=platform, value=repr(value),
                            other=seen[platform, value])
            seen[platform, value] = name
    for kind, groups in (("roles", config.roles), ("units", config.units)):
        if "" in groups:
            raise _fail(where, "no_name", table=kind)


def _check_semantics(where: str, config: Config) -> None:
    try:
        ZoneInfo(config.bot.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise _fail(where, "bad_timezone", value=repr(config.bot.timezone)) from None
    _check_reminders(where, config.reminders)
    _check_ops(where, config)
    if not 0 < config.server.port < 65536:
        raise _fail(where, "bad_port", value=config.server.port)
    check_token(where, config)
    if config.server.token and not (config.server.token.isascii() and config.server.token.isprintable()):
        raise _fail(where, "token_ascii")
    _check_platforms(where, config)
    _check_chats(where, config)
    _check_people(where, config)


def check_token(where: str, config: Config) -> None:
    """A server not on loopback needs ``server.token`` of at least ``MIN_TOKEN`` characters (the
    local chat lets anyone speak as anyone, /status shows every task). Raises ConfigError
    saying how to make one (bot/templates/config_errors.j2)."""
    if config.loopback:
        return
    token = config.server.token
    if not token:
        raise _fail(where, "token_required", host=config.server.host)
    if len(token) < MIN_TOKEN:
        raise _fail(where, "token_short", host=config.server.host, length=len(token), minimum=MIN_TOKEN)


def _section(config: Config, name: str) -> SimpleNamespace:
    head, _, tail = name.partition(".")
    section = getattr(config, head)
    return getattr(section, tail) if tail else section


def parse_config(data: dict[str, Any], where: str, base: Path, env: dict[str, str] | None = None) -> Config:
    """Check ``data`` (parsed TOML) against :data:`SCHEMA`; ``where`` names it in errors.

    Relative paths resolve against ``base``. ``env`` (default ``os.environ``) fills empty
    secrets. Raises :class:`ConfigError` naming the first wrong key.
    """
    env = os.environ if env is None else env
    known = {*SCHEMA, "chats", "people", "roles", "units"}
    for key in data:
        if key not in known and key.split(".")[0] not in known:
            raise _fail(where, "unknown_section", section=key, known=", ".join(sorted(known - {"wecom.aibot"})))
    wecom_data = data.get("wecom", {})
    sections = {
        "bot": _table(where, "bot", data.get("bot", {}), SCHEMA["bot"]),
        "server": _table(where, "server", data.get("server", {}), SCHEMA["server"]),
        "reminders": _table(where, "reminders", data.get("reminders", {}), SCHEMA["reminders"]),
        "wecom": _table(where, "wecom", wecom_data, SCHEMA["wecom"], nested=("aibot",)),
        "dingtalk": _table(where, "dingtalk", data.get("dingtalk", {}), SCHEMA["dingtalk"]),
        "backup": _table(where, "backup", data.get("backup", {}), SCHEMA["backup"]),
        "log": _table(where, "log", data.get("log", {}), SCHEMA["log"]),
    }
    aibot_data = wecom_data.get("aibot", {}) if isinstance(wecom_data, dict) else {}
    sections["wecom"].aibot = _table(where, "wecom.aibot", aibot_data, SCHEMA["wecom.aibot"])
    chats_data = data.get("chats", [])
    if not isinstance(chats_data, list):
        raise _fail(where, "chats_not_array", value=repr(chats_data))
    chats = [_table(where, f"chats[{i}]", chat, CHAT_KEYS) for i, chat in enumerate(chats_data)]
    # Names are compared as the plan stores them: "林  丽" is 林丽, "县(市、区)" is "县（市、区）".
    people = {clean_name(name): _table(where, f'people."{name}"', value, PERSON_KEYS)
              for name, value in _mapping(where, "people", data).items()}
    groups = {kind: {clean_name(name): list(dict.fromkeys(
        clean_name(m) for m in _table(where, f'{kind}."{name}"', value, ROLE_KEYS).members))
        for name, value in _mapping(where, kind, data).items()} for kind in ("roles", "units")}
    config = Config(**sections, chats=chats, people=people, roles=groups["roles"], units=groups["units"])
    for (section, key), variable in SECRET_ENV.items():
        target = _section(config, section)
        if not getattr(target, key) and env.get(variable):
            setattr(target, key, env[variable])
    for key in ("database", "plan"):
        path = Path(getattr(config.bot, key))
        setattr(config.bot, key, path if path.is_absolute() else (base / path).resolve())
    for section, key in (("backup", "folder"), ("log", "file")):
        value = getattr(getattr(config, section), key)
        if value:
            path = Path(value)
            setattr(getattr(config, section), key, path if path.is_absolute() else (base / path).resolve())
    _check_semantics(where, config)
    return config


def _mapping(where: str, name: str, data: dict[str, Any]) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise _fail(where, "not_names", table=name, value=repr(value))
    return value


def load_config(path: Path | None = None, cwd: Path | None = None) -> Config:
    """Load ``path``, else ``./config.toml`` in ``cwd``, else the embedded default.

    Raises :class:`ConfigError` for a missing file, bad TOML (with its line) or a wrong key.
    """
    cwd = cwd or Path.cwd()
    if path is None and (cwd / "config.toml").is_file():
        path = cwd / "config.toml"
    if path is None:
        return parse_config({}, "embedded default", cwd)
    path = path.resolve()
    try:
        text = path.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except FileNotFoundError:
        raise _fail(str(path), "no_file") from None
    except tomllib.TOMLDecodeError as error:
        from bot.ops.toml_help import explain

        raise ConfigError(explain(path, text, error)) from None
    except UnicodeDecodeError:
        raise _fail(str(path), "not_utf8") from None
    config = parse_config(data, str(path), path.parent)
    config.source = path
    return config
