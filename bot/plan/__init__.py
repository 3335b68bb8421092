"""Plan import: a file → :class:`~bot.plan.model.PlanDraft` (DESIGN §3).

``read_plan(path, year)`` picks the reader by the file's extension (.txt, .docx, .xlsx,
.csv); every reader only cuts its file into a :class:`~bot.plan.raw.RawTable`, and
:func:`~bot.plan.table.build_plan` applies the rules once.
"""

from __future__ import annotations

from pathlib import Path

from bot.plan.csv_reader import read_csv
from bot.plan.docx_reader import read_docx
from bot.plan.model import PlanDraft
from bot.plan.raw import NotAPlan
from bot.plan.table import PlanError, build_plan
from bot.plan.text_reader import read_text
from bot.plan.xlsx_reader import read_xlsx

__all__ = ["PlanDraft", "PlanError", "read_plan"]

_READERS = {".txt": read_text, ".text": read_text, ".docx": read_docx, ".xlsx": read_xlsx, ".csv": read_csv}
# Formats people have that no reader takes, and what to do about them.
_SAVE_AS = {".doc": ".docx", ".wps": ".docx", ".xls": ".xlsx", ".et": ".xlsx", ".xlsm": ".xlsx"}
MAX_PLAN_BYTES = 20 * 1024 * 1024  # a 35-task plan is 20 KB; 1,400 tasks are under 1 MB


def read_plan(path: Path, year: int | None = None) -> PlanDraft:
    """Read the plan at ``path`` (.txt, .docx, .xlsx, .csv) for ``year`` (None: from the title).

    Raises :class:`PlanError` for a missing file, one the system will not let us read (no
    permission, a name too long: the system's reason is given), a file over 20 MB, an unknown
    extension, or a file that is not a plan (no table, no header row, damaged,
    password-protected); row-level problems do not raise, they are listed in ``PlanDraft.problems``.
    """
    try:
        return _read_plan(path, year)
    except OSError as error:
        raise PlanError(f"{path}: cannot read the file: {error.strerror or error}") from None


def _read_plan(path: Path, year: int | None) -> PlanDraft:
    if path.is_dir():
        raise PlanError(f"{path} is a folder, not a plan file")
    if not path.is_file():
        raise PlanError(f"{path}: no such file")
    size = path.stat().st_size
    if size > MAX_PLAN_BYTES:
        raise PlanError(f"{path}: {size / 1024 / 1024:.0f} MB is not a plan (a year's 分解表 is well under "
                        f"{MAX_PLAN_BYTES // 1024 // 1024} MB)")
    reader = _READERS.get(path.suffix.lower())
    if reader is None and path.suffix.lower() in _SAVE_AS:
        raise PlanError(f"{path}: cannot read {path.suffix} files; open it and save it as "
                        f"{_SAVE_AS[path.suffix.lower()]}")
    if reader is None:
        known = ", ".join(sorted(_READERS))
        raise PlanError(f"{path}: cannot read {path.suffix or 'files without an extension'} (known: {known})")
    try:
        raw = reader(path)
    except NotAPlan as error:
        raise PlanError(str(error)) from None
    return build_plan(raw, year)
