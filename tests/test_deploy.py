"""deploy/ (issue 15): the systemd unit (checked by systemd-analyze where it exists), the container files
and the Windows service file say what the README says, and their configs load. No image is built here
(no Docker engine on these machines); the Dockerfile's install step is checked against the Makefile's."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from bot.config import load_config
from tests.conftest import make_bot

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def _unit() -> configparser.ConfigParser:
    unit = configparser.ConfigParser(strict=False, interpolation=None, comment_prefixes=("#", ";"))
    unit.optionxform = str  # systemd keys are case-sensitive
    unit.read(DEPLOY / "systemd" / "duban.service", encoding="utf-8")
    return unit


def test_the_systemd_unit_runs_as_its_own_user_restarts_and_has_its_folders():
    service = _unit()["Service"]
    assert service["User"] == service["Group"] == "duban"
    assert service["ExecStart"] == "/opt/duban/venv/bin/duban serve --config /etc/duban/config.toml"
    assert (service["Restart"], service["EnvironmentFile"]) == ("on-failure", "-/etc/duban/duban.env")
    assert (service["StateDirectory"], service["LogsDirectory"]) == ("duban", "duban")
    assert _unit()["Install"]["WantedBy"] == "multi-user.target"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed here")
def test_systemd_analyze_verify_finds_nothing(tmp_path):
    # The unit as installed, but starting this venv's duban (verify checks that the program exists).
    text = (DEPLOY / "systemd" / "duban.service").read_text(encoding="utf-8")
    duban = Path(sys.executable).parent / "duban"
    (tmp_path / "duban.service").write_text(text.replace("/opt/duban/venv/bin/duban", str(duban)), encoding="utf-8")
    result = subprocess.run(["systemd-analyze", "verify", str(tmp_path / "duban.service")], capture_output=True,
                            text=True, timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_the_deploy_configs_load_with_their_paths_in_the_service_folders(monkeypatch):
    systemd = load_config(DEPLOY / "systemd" / "config.toml")
    assert (str(systemd.bot.database), str(systemd.backup.folder), str(systemd.log.file)) == (
        "/var/lib/duban/duban.db", "/var/lib/duban/backups", "/var/log/duban/duban.log")
    assert systemd.loopback and systemd.backup.keep == 14
    monkeypatch.setenv("DUBAN_SERVER_TOKEN", "t0ken-0123456789abc")  # required (16+): the container listens on 0.0.0.0
    docker = load_config(DEPLOY / "docker" / "config.toml")
    assert (str(docker.bot.database), str(docker.log.file), docker.server.host) == (
        "/data/duban.db", "/data/logs/duban.log", "0.0.0.0")
    env_names = re.findall(r"^(DUBAN_\w+)=", (DEPLOY / "systemd" / "duban.env.example").read_text(), re.M)
    from bot.config import SECRET_ENV

    assert sorted(env_names) == sorted(SECRET_ENV.values())


def test_the_dockerfile_is_non_root_with_a_volume_a_healthcheck_and_the_makefiles_install():
    text = (DEPLOY / "docker" / "Dockerfile").read_text(encoding="utf-8")
    users = re.findall(r"^USER (\S+)", text, re.M)
    assert users == ["duban"]
    assert 'VOLUME ["/data"]' in text and "TZ=Asia/Shanghai" in text
    assert re.search(r"^HEALTHCHECK .*\n.*http://127\.0\.0\.1:8080/healthz", text, re.M)
    # The runtime install is the Makefile's (without -e and the dev extra): what make run and CI install.
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "pip install --quiet --disable-pip-version-check -c constraints.txt -e .\n" in makefile
    assert "/opt/duban/venv/bin/pip install --quiet -c constraints.txt ." in text
    compose = (DEPLOY / "docker" / "compose.yaml").read_text(encoding="utf-8")
    for line in ("dockerfile: deploy/docker/Dockerfile", "TZ: Asia/Shanghai", "- duban-data:/data", "restart: "):
        assert line in compose


def test_the_healthcheck_command_passes_against_a_running_bot(tmp_path, serve):
    text = (DEPLOY / "docker" / "Dockerfile").read_text(encoding="utf-8")
    code = re.search(r'"-c", "(import sys, urllib.request;[^"]+)"', text).group(1)
    base = serve(make_bot(tmp_path))
    check = subprocess.run([sys.executable, "-c", code.replace("http://127.0.0.1:8080", base)], timeout=30)
    assert check.returncode == 0
    down = subprocess.run([sys.executable, "-c", code.replace("http://127.0.0.1:8080", "http://127.0.0.1:9")],
                          capture_output=True, timeout=30)
    assert down.returncode != 0


def test_the_windows_service_file_restarts_duban_serve():
    service = ET.parse(DEPLOY / "windows" / "duban-service.xml").getroot()
    assert service.findtext("executable") == r"C:\duban\venv\Scripts\duban.exe"
    assert service.findtext("arguments") == r"serve --config C:\duban\config.toml"
    assert [f.get("action") for f in service.findall("onfailure")] == ["restart", "restart"]
    assert service.findtext("serviceaccount/username") == r"NT AUTHORITY\LocalService"
