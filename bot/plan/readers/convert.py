"""Reader for the formats many government offices still save: .doc, .wps, .et (DESIGN §3.1).

LibreOffice converts them headless (``soffice --headless --convert-to docx|xlsx``) into a
temporary folder, with a profile of its own there (a second LibreOffice, or the user's open
one, would otherwise block it), and the .docx or .xlsx reader reads the result. The
conversion has a time limit (``CONVERT_SECONDS``): a file LibreOffice hangs on is refused
and its processes are ended. Without LibreOffice the error names the Debian packages that
provide it (libreoffice-writer-nogui for .doc/.wps, libreoffice-calc-nogui for .et).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from bot.plan.document import Document
from bot.plan.errors import PlanError

CONVERT_SECONDS = 60.0
# What each format becomes, and the Debian package that converts it.
TARGETS = {".doc": ("docx", "libreoffice-writer-nogui"), ".wps": ("docx", "libreoffice-writer-nogui"),
           ".et": ("xlsx", "libreoffice-calc-nogui")}


def soffice() -> str | None:
    """The LibreOffice program on PATH (``soffice``, else ``libreoffice``), or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def read(path: Path) -> Document:
    """Convert ``path`` with LibreOffice and read the result; the document keeps ``path`` as
    its source. Raises :class:`PlanError` when LibreOffice is missing, takes longer than
    ``CONVERT_SECONDS``, or produces nothing (a damaged or password-protected file)."""
    target, package = TARGETS[path.suffix.lower()]
    program = soffice()
    if program is None:
        raise PlanError("no_soffice", path, package=package, target=f".{target}")
    with tempfile.TemporaryDirectory(prefix="duban-convert-") as folder:
        work = Path(folder)
        # A plain name: LibreOffice writes <stem>.<target>; a copy keeps odd file names out of its way.
        source = work / f"plan{path.suffix.lower()}"
        shutil.copyfile(path, source)
        command = [program, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--norestore",
                   "--nologo", "--nodefault", "--convert-to", target, "--outdir", str(work / "out"), str(source)]
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
        try:
            _, errors = process.communicate(timeout=CONVERT_SECONDS)
        except subprocess.TimeoutExpired:
            _end(process)
            raise PlanError("convert_timeout", path, seconds=f"{CONVERT_SECONDS:g}", target=f".{target}") from None
        converted = work / "out" / f"plan.{target}"
        if process.returncode != 0 or not converted.is_file():
            detail = errors.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit {process.returncode}"]
            raise PlanError("convert_failed", path, target=f".{target}", detail=detail[0][:200])
        from bot.plan.readers import excel, word

        document = (word if target == "docx" else excel).read(converted)
    document.source = str(path)
    return document


def _end(process: subprocess.Popen) -> None:
    """End the conversion and every process it started (its own session), then reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.communicate()
