"""The office's files out of the store (issue 7): ``duban export FILE.xlsx`` writes the
完成情况表, ``duban export FILE.ics`` the deadlines and milestones as a calendar.

A file is written whole or not at all: into a temporary file in the target's folder, then
moved into place; an existing file is replaced only with ``force``.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.runtime import Bot


class ExportError(ValueError):
    """The export cannot be written where asked; the message names the file and the reason."""


def _fail(mistake: str, **data: object) -> ExportError:
    """The ExportError ``mistake`` (a macro of ``bot/templates/cli.j2``), Chinese first, then English."""
    from bot.ops.words import phrase

    return ExportError(phrase("cli.j2", mistake, **data))


FORMATS = (".xlsx", ".ics")


def export(bot: Bot, path: Path, *, force: bool = False) -> Path:
    """Write the export ``path``'s extension names (.xlsx or .ics) from ``bot``'s store, dated by
    ``bot.clock``; returns ``path``. Raises :class:`ExportError` for an unknown extension, a
    missing folder, an existing file without ``force``, or a file that cannot be written."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise _fail("export_unknown_format", path=path, suffix=suffix, formats=FORMATS)
    if not bot.store.plans():
        raise _fail("export_no_plan", path=path)
    if suffix == ".xlsx":
        from bot.export.xlsx import workbook

        book = workbook(bot)
        write_atomic(path, lambda temp: book.save(temp), force=force)
    else:
        from bot.export.ics import calendar

        data = calendar(bot)
        write_atomic(path, lambda temp: temp.write_bytes(data), force=force)
    return path


def labels() -> Any:
    """The words of the exports: ``bot/templates/report_labels.j2`` as a module (its ``columns``
    and macros), so no Chinese label is written in Python."""
    from bot.render import ROOT, environment

    return environment(ROOT / "bot" / "templates").get_template("report_labels.j2").module


def write_atomic(path: Path, write: Callable[[Path], None], *, force: bool = False) -> None:
    """Call ``write(temp)`` on a new file beside ``path``, then move it to ``path`` in one step.

    Without ``force`` an existing ``path`` is never replaced, even one created meanwhile (a hard
    link cannot overwrite). Raises :class:`ExportError`; on any failure ``path`` is untouched
    and the temporary file removed."""
    folder = path.parent
    try:
        if path.is_dir():
            raise _fail("export_is_folder", path=path, example=path / "progress.xlsx")
        if path.exists() and not force:
            raise _fail("export_exists", path=path)
        if folder.exists() and not folder.is_dir():
            raise _fail("export_parent_is_file", path=path, folder=folder)
        if not folder.is_dir():
            raise _fail("export_no_folder", path=path, folder=folder)
    except OSError as error:  # a name too long, a folder we may not look into
        raise _fail("export_cannot_write", path=path, reason=error.strerror or error) from None
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=f"{path.suffix}.part", dir=folder)
    except OSError as error:
        raise _fail("export_cannot_write", path=path, reason=f"{folder}: {error.strerror}") from None
    os.close(handle)
    temp = Path(name)
    try:
        write(temp)
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes it private; an export is an ordinary file
        if force:
            os.replace(temp, path)
        else:
            _move_new(temp, path)
    except OSError as error:
        raise _fail("export_cannot_write", path=path, reason=error.strerror or error) from None
    finally:
        temp.unlink(missing_ok=True)


def _move_new(temp: Path, path: Path) -> None:
    try:
        os.link(temp, path)
    except FileExistsError:
        raise _fail("export_exists", path=path) from None
    except OSError:
        # A file system without hard links (FAT, some shares): checked above, so replace.
        if path.exists():
            raise _fail("export_exists", path=path) from None
        os.replace(temp, path)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
