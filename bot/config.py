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
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from bot.config_checks import ConfigError, check_semantics, section_of
from bot.config_checks import fail as _fail
from bot.text import clean_name

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the same parser, as a package (pyproject's tomli marker)
    import tomli as tomllib

# The source tree's root (a checkout; in an installed wheel, site-packages): tests use it as a base.
PROJECT_DIR = Path(__file__).resolve().parent.parent
# The bundled plan is package data, so it is there wherever the wheel is installed (DESIGN §1).
BUNDLED_PLAN = Path(__file__).resolve().parent / "bundled" / "longyan-kexie-2020.txt"


def is_sample(source: str) -> bool:
    """Whether a plan's ``source`` (its file's path as imported) is the bundled sample plan,
    wherever duban is installed."""
    path = Path(source)
    return path.name == BUNDLED_PLAN.name and path.parent.name == BUNDLED_PLAN.parent.name


# Section → key → default. The default's type is the key's type (a list holds strings or ints).
SCHEMA: dict[str, dict[str, Any]] = {
    "bot": {"name": "督办助手", "database": "data/duban.db", "plan": str(BUNDLED_PLAN),
            "admins": [], "timezone": "Asia/Shanghai", "synchronous": "FULL"},
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
    for (name, key), variable in SECRET_ENV.items():
        target = section_of(config, name)
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
    check_semantics(where, config)
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
        # utf-8-sig: Windows Notepad may start the file with a BOM (EF BB BF), which TOML does not allow.
        text = path.read_text(encoding="utf-8-sig")
        data = tomllib.loads(text)
    except FileNotFoundError:
        raise _fail(str(path), "no_file") from None
    except IsADirectoryError:
        raise _fail(str(path), "is_folder") from None
    except tomllib.TOMLDecodeError as error:
        from bot.ops.toml_help import explain

        raise ConfigError(explain(path, text, error)) from None
    except UnicodeDecodeError:
        raise _fail(str(path), "not_utf8") from None
    config = parse_config(data, str(path), path.parent)
    config.source = path
    return config
