"""The built wheel, installed as an office would install it (issue 15, "Install"): a fresh venv, the
runtime dependencies only, no network, run from an empty folder. The wheel is built once per session.

No network in tests, so the fresh venv sees this venv's installed runtime dependencies through a
folder of links to exactly those distributions (duban's Requires-Dist without extras, followed
transitively, markers evaluated): a dependency missing from the wheel's metadata fails here, and
the dev extra (pytest, ruff, playwright) is not importable there.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from email.parser import Parser
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("pyproject.toml", "README.md", "bot", "handlers", "reminders")


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    """duban's wheel, built from a copy of the sources (the checkout gets no build/ folder)."""
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    # No build isolation: the build backend comes from this venv (setuptools is pinned in the dev extra).
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
                    "--no-index", "--wheel-dir", str(out), str(source)], check=True, capture_output=True, timeout=300)
    (built,) = out.glob("duban-*.whl")
    return built


def _metadata(wheel: Path):
    with zipfile.ZipFile(wheel) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        return Parser().parsestr(archive.read(name).decode()), archive.namelist()


def test_the_wheel_carries_the_plan_and_templates_and_marks_the_speedups(wheel):
    meta, names = _metadata(wheel)
    assert "bot/bundled/longyan-kexie-2020.txt" in names
    templates = {"bot/templates/status.html", "handlers/templates/task_list.j2", "reminders/templates/digest.j2"}
    assert templates <= set(names)
    requires = {Requirement(r).name: Requirement(r) for r in meta.get_all("Requires-Dist")}
    uvloop = requires["uvloop"].marker
    assert not uvloop.evaluate({"sys_platform": "win32", "platform_python_implementation": "CPython"})
    assert uvloop.evaluate({"sys_platform": "linux", "platform_python_implementation": "CPython"})
    assert not requires["httptools"].marker.evaluate({"platform_python_implementation": "PyPy"})
    assert requires["tomli"].marker.evaluate({"python_version": "3.10"})
    assert not requires["tomli"].marker.evaluate({"python_version": "3.11"})
    for dev in ("pytest", "ruff", "playwright"):
        assert not requires[dev].marker.evaluate({"extra": ""}), f"{dev} is installed without the dev extra"
    assert meta["Requires-Python"] == ">=3.10"


def _runtime_closure() -> list[metadata.Distribution]:
    """This venv's distributions that duban needs at run time (no extras), transitively."""
    seen: dict[str, metadata.Distribution] = {}
    todo = [r for r in metadata.requires("duban") or []]
    while todo:
        requirement = Requirement(todo.pop())
        if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
            continue
        key = requirement.name.lower().replace("_", "-")
        if key in seen:
            continue
        seen[key] = metadata.distribution(requirement.name)
        todo += seen[key].requires or []
    return list(seen.values())


def _runtime_folder(target: Path) -> Path:
    """A folder of links to the top-level files of the runtime closure's distributions."""
    target.mkdir()
    for dist in _runtime_closure():
        site = Path(dist.locate_file(""))
        for top in {f.parts[0] for f in dist.files or [] if f.parts[0] != ".."}:
            if not (target / top).exists() and (site / top).exists():
                (target / top).symlink_to(site / top)
    return target


@pytest.fixture(scope="session")
def installed(wheel, tmp_path_factory) -> Path:
    """A fresh venv with the wheel installed by pip, its runtime dependencies linked in; its bin folder."""
    home = tmp_path_factory.mktemp("office")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(home / "venv")], check=True, timeout=120)
    python = home / "venv" / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-index",
                    "--no-deps", str(wheel)], check=True, capture_output=True, timeout=300)
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               check=True, capture_output=True, text=True).stdout.strip())
    (site / "runtime-deps.pth").write_text(f"{_runtime_folder(home / 'deps')}\n", encoding="utf-8")
    return home / "venv" / "bin"


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(cwd)})


def test_pip_finds_every_runtime_dependency_and_no_dev_tool(installed, tmp_path):
    check = _run([sys.executable, "-m", "pip", "--python", str(installed / "python"), "check"], tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    for tool in ("pytest", "ruff", "playwright"):
        assert _run([str(installed / "python"), "-c", f"import {tool}"], tmp_path).returncode == 1, tool


def test_duban_ask_from_an_empty_folder_answers_from_the_bundled_plan(installed, tmp_path):
    where = _run([str(installed / "python"), "-c", "import bot; print(bot.__file__)"], tmp_path)
    assert where.stdout.startswith(str(installed.parent)), where  # the wheel's copy, not the checkout
    result = _run([str(installed / "duban"), "ask", "严众能负责什么", "--today", "2020-11-02"], tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "严众能负责的任务（5项）："
    assert [line.split(" ")[0] for line in lines[1:]] == ["2.8", "3.1", "3.4", "3.6", "3.8"]
    assert (tmp_path / "data" / "duban.db").is_file()  # the store is made where it runs
