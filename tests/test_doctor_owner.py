"""``duban doctor`` on who can write the store (issue 15): run as root, "can I write this folder" is always yes,
so it judges by owner — the store folder's owner is the service's user, a file of the store owned by someone else
(a ``duban ask`` run with sudo makes root's files) is a 问题, a folder owned by root cannot be judged (跳过).
Run as another user, the write test on the folder and on each file of the store."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from bot.clock import DayClock
from bot.ops import doctor
from tests.conftest import make_bot

SERVICE_UID = 4321  # no passwd entry: doctor says 用户4321
needs_root = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="chown needs root")


@pytest.fixture
def office(tmp_path):
    (tmp_path / "config.toml").write_text('[bot]\ndatabase = "data/duban.db"\n[log]\nfile = "logs/duban.log"\n',
                                          encoding="utf-8")
    (tmp_path / "data").mkdir()
    make_bot(tmp_path / "data").close()
    (tmp_path / "data" / "duban.db.lock").touch()  # what a duban serve leaves
    return tmp_path


def lines(config: Path, part: str) -> list[str]:
    report = doctor.run(config, lambda c: DayClock(date(2020, 11, 2), c.tz))
    return [f"{c.status} {c.text}" for c in report.checks if c.part == part]


def give(uid: int, *paths: Path) -> None:
    for path in paths:
        os.lchown(path, uid, uid)


@needs_root
def test_as_root_a_store_file_owned_by_another_user_than_its_folder_is_a_problem(office):
    data = office / "data"
    give(SERVICE_UID, office, data, *data.iterdir())
    assert lines(office / "config.toml", "任务库")[0].startswith("ok ")  # all the service's: no owner line
    assert lines(office / "config.toml", "日志") == [
        f"ok {office / 'logs'} 可写（属于 用户{SERVICE_UID}：体检以 root 运行，按属主判断，"
        f"服务要以 用户{SERVICE_UID} 运行）"]
    give(0, data / "duban.db", data / "duban.db.lock")  # `sudo duban ask` / a serve run as root
    assert lines(office / "config.toml", "任务库")[0] == (
        f"problem {data} 属于 用户{SERVICE_UID}（服务用户），但 duban.db、duban.db.lock 属于 root："
        f"以 用户{SERVICE_UID} 运行的服务写不了它们（多半是用 root 运行过 duban）\n"
        f"  → chown {SERVICE_UID} {data / 'duban.db'} {data / 'duban.db.lock'}")


@needs_root
def test_as_root_a_folder_owned_by_root_cannot_be_judged(office):
    give(0, office, office / "data")
    cannot = ("skip 体检以 root 运行：root 什么都能写，看不出运行服务的用户能否写 {folder}（它属于 root）\n"
              "  → 用运行服务的用户再体检一次（如 sudo -u duban duban doctor --config …）；服务不要以 root 运行，"
              "把文件夹交给服务用户：chown -R duban:duban {folder}")
    assert lines(office / "config.toml", "任务库")[0] == cannot.format(folder=office / "data")
    assert lines(office / "config.toml", "日志") == [cannot.format(folder=office)]  # logs/ not made yet: its parent
    report = doctor.run(office / "config.toml", lambda c: DayClock(date(2020, 11, 2), c.tz))
    assert report.exit_code == 0  # not a problem: only not known


def test_as_another_user_a_store_file_it_cannot_write_is_a_problem(office, monkeypatch):
    data = office / "data"
    monkeypatch.setattr(doctor, "_euid", lambda: SERVICE_UID)
    readonly = {data / "duban.db", data / "duban.db.lock"}
    monkeypatch.setattr(doctor.os, "access", lambda path, mode: Path(path) not in readonly)
    assert lines(office / "config.toml", "任务库")[0] == (
        f"problem 运行 duban 的用户（用户{SERVICE_UID}）不能写 duban.db、duban.db.lock（多半是用 root 运行过 duban）\n"
        f"  → 把它们交给运行服务的用户：chown {SERVICE_UID} {data / 'duban.db'} {data / 'duban.db.lock'}")
    assert lines(office / "config.toml", "日志") == [f"ok {office / 'logs'} 可写"]
