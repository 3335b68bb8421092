"""``duban doctor``: a checklist an office's IT person can act on (issue 15). Each line is OK, 问题 (with
what to do) or 跳过 (could not be checked here, e.g. no network); the exit code is 0 only when no line is
a 问题. What it checks: the config; the store (SQLite's integrity_check, write access); the plan and its
year's holiday data (chinesecalendar); the names in config against the plan and half-finished platform
setups (bot/ops/checks.py); each platform app's credentials (a token request, ``timeout_s`` at most);
each group robot's webhook shape; the clock and zone; the log and backup folders. It changes nothing.
"""

from __future__ import annotations

import asyncio
import os
import re
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from bot import plan_choice
from bot.config import Config, ConfigError, load_config
from bot.ops.words import phrase

TIMEOUT_S = 5.0
WECOM_WEBHOOK = ("qyapi.weixin.qq.com", "/cgi-bin/webhook/send", "key",
                 re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"))
DINGTALK_WEBHOOK = ("oapi.dingtalk.com", "/robot/send", "access_token", re.compile(r"[0-9a-f]{64}"))


@dataclass(frozen=True)
class Check:
    """One line: ``status`` "ok", "problem" or "skip"; ``part`` what was checked; ``text`` the finding
    and, for a problem, what to do."""

    status: str
    part: str
    text: str


@dataclass
class Report:
    """The checklist in order; ``exit_code`` 0 when nothing is a problem."""

    checks: list[Check] = field(default_factory=list)

    def add(self, status: str, part: str, macro: str, **data: object) -> None:
        self.checks.append(Check(status, part, phrase("doctor.j2", macro, **data)))

    @property
    def exit_code(self) -> int:
        return 1 if any(c.status == "problem" for c in self.checks) else 0

    def render(self) -> str:
        return phrase("doctor.j2", "report", checks=self.checks)


def run(config_path: Path | None, clock_for, *, timeout_s: float = TIMEOUT_S) -> Report:
    """The checklist for the config at ``config_path`` (None: ./config.toml or the embedded default).
    ``clock_for(config)`` gives the clock (``--today`` or the real one) in the config's zone."""
    report = Report()
    try:
        config = load_config(config_path)
    except ConfigError as error:
        report.add("problem", "配置", "config_broken", error=str(error))
        return report
    report.add("ok", "配置", "config_ok", source=config.source)
    clock = clock_for(config)
    years = _store(report, config, clock.today())
    _plan(report, config, years)
    _config_against_plan(report, config)
    _credentials(report, config, clock, timeout_s)
    _webhooks(report, config)
    _clock(report, config, clock)
    _folders(report, config)
    return report


def _store(report: Report, config: Config, today: date) -> list[tuple[int, bool]]:
    """The store's line(s) and one per plan questions and reminders use on ``today`` (the plan
    questions go to first, then the other active ones); returns the years those plans push
    in (to their active_until), each with whether it is only their last January, [] when the
    store has no plan."""
    from bot.store.maintenance import NotAStore, check_file

    path = Path(config.bot.database)
    _store_writable(report, path)
    if not path.exists():
        report.add("ok", "任务库", "store_new", path=path)
        return []
    try:
        checked = check_file(path)
    except NotAStore as error:
        from bot.ops.backups import store_reason

        report.add("problem", "任务库", "store_not_ours", path=path, reason=store_reason(error))
        return []
    if checked.problems:
        report.add("problem", "任务库", "store_damaged", path=path, problems=checked.problems)
        return []
    report.add("ok", "任务库", "store_ok", path=path, check=checked)
    from bot.store import Store

    store = Store(path)
    try:
        default = store.active_plan(today)
        if default is None:
            return []
        plans = [default, *(p for p in plan_choice.active(store.plans(), today) if p.id != default.id)]
        for plan in plans:
            report.add("ok", "计划", "plan_in_store", plan=plan, tasks=len(store.tasks(plan.id)),
                       default=plan is default and len(plans) > 1)
        live = [plan for plan in plans if plan.active_on(today)]
        if not live:  # nothing pushes any more (an archived plan answers only)
            return [(default.year, False)]
        own = {plan.year for plan in live}
        # A year no live plan is of is only the January its plans still push in.
        return [(year, year not in own)
                for year in range(today.year, max(plan.active_until for plan in live).year + 1)]
    finally:
        store.close()


def _plan(report: Report, config: Config, years: list[tuple[int, bool]]) -> None:
    """The configured plan file when the store has none yet; each year's holiday data either way
    (missing data is a 问题 for a plan's own year; for the January a plan still pushes in, the
    statutory days off stand in and it is said, not failed: the arrangement comes out late in
    the year before)."""
    if not years:
        from bot.plan import PlanError, read_plan

        try:
            draft = read_plan(Path(config.bot.plan))
        except PlanError as error:
            report.add("problem", "计划", "plan_unreadable", path=config.bot.plan, error=str(error))
            return
        fresh = not Path(config.bot.database).exists()
        report.add("ok", "计划", "plan_to_import" if fresh else "plan_file_ok", plan=draft, path=config.bot.plan)
        years = [(draft.year, False)]
    import chinese_calendar

    for year, spill in years:
        try:
            chinese_calendar.is_workday(date(year, 6, 1))
            report.add("ok", "节假日", "holidays_ok", year=year)
        except NotImplementedError:
            extra = [d for d in config.reminders.holidays if str(d).startswith(f"{year}-")]
            macro = "holidays_from_config" if extra else ("holidays_january" if spill else "holidays_missing")
            report.add("ok" if extra or spill else "problem", "节假日", macro, year=year, days=len(extra))


def _config_against_plan(report: Report, config: Config) -> None:
    from bot.ops.checks import half_setups, name_slips, weak_token

    plan_names: set[str] = set()
    if Path(config.bot.database).is_file():
        from bot.store import Store, StoreError
        from bot.store.maintenance import plan_people

        try:
            store = Store(Path(config.bot.database))
        except StoreError:
            store = None
        if store is not None:
            plan_names = plan_people(store)
            store.close()
    if not plan_names:  # no store yet: the plan the first start would import
        from bot.plan import PlanError, read_plan

        try:
            draft = read_plan(Path(config.bot.plan))
            plan_names = {name for task in draft.tasks for name in (*task.lead, *task.owners)}
        except PlanError:
            pass
    findings = name_slips(config, plan_names) + half_setups(config) + weak_token(config)
    for finding in findings:
        report.add("problem", "配置与计划", "finding", text=finding)
    if not findings:
        report.add("ok", "配置与计划", "names_ok", admins=config.bot.admins, people=len(config.people))


def _credentials(report: Report, config: Config, clock, timeout_s: float) -> None:
    """A token request for each configured app; no network → 跳过."""
    import httpx

    async def check() -> None:
        async with httpx.AsyncClient(timeout=timeout_s) as http:
            wecom = config.wecom
            if wecom.corp_id and wecom.secret:
                from bot.platforms.wecom_push import AppClient

                try:
                    await AppClient(config, clock, http).token()
                    report.add("ok", "企业微信自建应用", "token_ok", host=wecom.api_base)
                except httpx.TransportError as error:
                    report.add("skip", "企业微信自建应用", "no_network", host=wecom.api_base, error=_short(error))
                except (RuntimeError, httpx.HTTPError, ValueError) as error:
                    report.add("problem", "企业微信自建应用", "wecom_token_refused", error=_short(error))
            dingtalk = config.dingtalk
            if dingtalk.app_key and dingtalk.app_secret:
                from bot.platforms.dingtalk_push import OtoClient, TokenRefused

                try:
                    await OtoClient(config, clock, http).token()
                    report.add("ok", "钉钉应用", "token_ok", host=dingtalk.api_base)
                except TokenRefused as refused:
                    result = refused.result
                    if result.code == -1:
                        report.add("skip", "钉钉应用", "no_network", host=dingtalk.api_base, error=result.detail)
                    else:
                        report.add("problem", "钉钉应用", "dingtalk_token_refused",
                                   error=f"{result.code} {result.detail}".strip())

    asyncio.run(check())
    aibot = config.wecom.aibot
    if aibot.mode == "websocket" and aibot.bot_id and aibot.secret:
        report.add("skip", "企业微信智能机器人", "aibot_ws_untested", bot_id=aibot.bot_id)
    elif aibot.mode == "callback" and aibot.token and aibot.encoding_aes_key:
        report.add("ok", "企业微信智能机器人", "aibot_callback_ok")
    if not (config.wecom.corp_id or config.dingtalk.app_key or aibot.token or aibot.bot_id or config.chats):
        report.add("ok", "平台", "local_only")


def _short(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:200]


def _webhooks(report: Report, config: Config) -> None:
    for chat in config.chats:
        if not chat.webhook:
            continue
        host, path, key, shape = WECOM_WEBHOOK if chat.platform == "wecom" else DINGTALK_WEBHOOK
        url = urlsplit(chat.webhook)
        value = (parse_qs(url.query).get(key) or [""])[0]
        part = f"群 {chat.name}"
        if chat.platform not in ("wecom", "dingtalk"):
            continue
        if url.scheme != "https" or url.hostname != host or url.path != path or not shape.fullmatch(value):
            report.add("problem", part, "webhook_shape", chat=chat, host=host, path=path, key=key)
        elif chat.platform == "dingtalk" and chat.secret and not chat.secret.startswith("SEC"):
            report.add("problem", part, "dingtalk_secret_shape", chat=chat)
        else:
            report.add("ok", part, "webhook_ok", chat=chat)


def _clock(report: Report, config: Config, clock) -> None:
    now = clock.now()
    host_zone = time.tzname[0]
    if now.year < 2020:  # a machine whose clock was never set starts in 1970 or 2000
        report.add("problem", "时钟", "clock_unset", now=now, zone=config.bot.timezone, host_zone=host_zone)
    else:
        report.add("ok", "时钟", "clock_ok", now=now, zone=config.bot.timezone, host_zone=host_zone)


def _euid() -> int | None:
    """The effective user id (None on Windows, which has none)."""
    return os.geteuid() if hasattr(os, "geteuid") else None


def _login(uid: int) -> str:
    """The user name of ``uid`` as chown takes it (the number when it has none)."""
    try:
        import pwd

        return pwd.getpwuid(uid).pw_name
    except (ImportError, KeyError):
        return str(uid)


def _user(uid: int) -> str:
    """The user ``uid`` for a sentence: its name, or 用户<uid>."""
    login = _login(uid)
    return f"用户{uid}" if login == str(uid) else login


def _existing(folder: Path) -> Path:
    return next(p for p in (folder, *folder.parents) if p.exists())


def _store_writable(report: Report, path: Path) -> None:
    """Whether the service's user can write the store's folder and files (the store, -wal, -shm, lock);
    a line only when it cannot, or when it cannot be told.

    As root the write test says nothing (root writes anywhere; the service runs as its own user,
    deploy/systemd): the folder's owner is taken as the service's user, and a file of the store owned
    by someone else (a ``duban ask`` run as root makes root's files) is a 问题; a folder owned by root
    cannot be judged (跳过). As any other user: the write test on the folder and on each file."""
    from bot.ops.lock import lock_path

    folder = _existing(path.parent)
    files = [f for f in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"),
                         lock_path(path)) if f.exists()]
    if _euid() == 0:
        owner = folder.stat().st_uid
        if owner == 0:
            report.add("skip", "任务库", "root_cannot_tell", folder=folder)
            return
        others = [(f, _user(f.stat().st_uid)) for f in files if f.stat().st_uid != owner]
        if others:
            report.add("problem", "任务库", "store_files_other_owner", folder=folder, owner=_user(owner),
                       login=_login(owner), files=others)
        return
    if not os.access(folder, os.W_OK):
        report.add("problem", "任务库", "store_folder_readonly", folder=folder)
    unwritable = [f for f in files if not os.access(f, os.W_OK)]
    if unwritable:
        euid = _euid()
        report.add("problem", "任务库", "store_files_readonly", files=unwritable,
                   user=_user(euid) if euid is not None else "", login=_login(euid) if euid is not None else "")


def _folders(report: Report, config: Config) -> None:
    """The log and backup folders: writable by the service's user (as root: owned by a user other than
    root, the way _store_writable judges it)."""
    for part, folder, wanted in (("日志", Path(config.log.file).parent if config.log.file else None, True),
                                 ("备份", Path(config.backup.folder), config.backup.keep > 0)):
        if folder is None or not wanted:
            continue
        keep = config.backup.keep if part == "备份" else None
        existing = _existing(folder)
        if _euid() == 0:
            owner = existing.stat().st_uid
            if owner == 0:
                report.add("skip", part, "root_cannot_tell", folder=existing)
            else:
                report.add("ok", part, "folder_ok", folder=folder, keep=keep, owner=_user(owner))
        elif not os.access(existing, os.W_OK):
            report.add("problem", part, "folder_readonly", folder=folder)
        else:
            report.add("ok", part, "folder_ok", folder=folder, keep=keep, owner=None)
