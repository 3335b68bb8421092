"""Plan files uploaded on the admin page: checked, kept in ``<store folder>/uploads/<id>/`` until they
are imported (then moved to ``<store folder>/plans/``) or thrown away. An upload never touches the store.

An upload previewed and never imported is removed once it is older than :data:`KEEP_UNIMPORTED`
(when the next upload comes, and when the page starts): its age is the bot's clock's, written as the
kept file's modification time, so it follows ``--today`` and the tests' clock. An imported file is
in ``plans/`` and never swept.

A file name with path parts (``../../x.docx``, ``C:\\x.docx``) is refused, not cleaned: a browser sends a
bare name, so anything else is not a person choosing a file. The size is refused from Content-Length
before the body is read (MAX_PLAN_BYTES, the importer's own limit).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from bot.plan.readers import MAX_PLAN_BYTES

# Room for the multipart framing and the form's other fields around the file.
MAX_UPLOAD_BYTES = MAX_PLAN_BYTES + 64 * 1024
_UPLOAD_ID = re.compile(r"[0-9a-f]{32}")
KEEP_UNIMPORTED = timedelta(days=1)
log = logging.getLogger("duban.admin")


class UploadError(ValueError):
    """An upload refused; ``code`` names the reason (a macro of admin.j2), ``data`` fills it in;
    ``status`` is the HTTP status to answer (4xx). Nothing was kept."""

    def __init__(self, code: str, status: int = 400, **data: object):
        super().__init__(code)
        self.code, self.status, self.data = code, status, data


@dataclass(frozen=True)
class Upload:
    """A kept upload: ``id`` (32 hex digits) and the file's ``path``."""

    id: str
    path: Path


def check_name(name: str | None) -> str:
    """The uploaded file's name as it may be kept; :class:`UploadError` for none, or one with path parts,
    control characters or a name over 200 characters."""
    if not name or not name.strip():
        raise UploadError("no_file")
    if any(part in name for part in ("/", "\\", "\x00")) or name.strip() in (".", "..") or re.match(
            r"^[A-Za-z]:", name):
        raise UploadError("path_in_name", name=name)
    if any(ord(c) < 32 for c in name) or len(name) > 200:
        raise UploadError("bad_name", name=name[:60])
    return name.strip()


def check_size(content_length: str | None) -> None:
    """Refuse a body over :data:`MAX_UPLOAD_BYTES` (413), or one that does not say its size (411)."""
    if not content_length or not content_length.isdigit():
        raise UploadError("no_length", status=411)
    if int(content_length) > MAX_UPLOAD_BYTES:
        raise UploadError("too_big", status=413, megabytes=round(int(content_length) / 1024 / 1024),
                          limit=MAX_PLAN_BYTES // 1024 // 1024)


def keep(folder: Path, name: str, data: bytes, at: datetime) -> Upload:
    """Write ``data`` as ``<folder>/uploads/<new id>/<name>``, kept at ``at`` (the bot's clock, aware)."""
    upload_id = uuid.uuid4().hex
    path = folder / "uploads" / upload_id / name
    path.parent.mkdir(parents=True)
    path.write_bytes(data)
    os.utime(path, (at.timestamp(), at.timestamp()))
    return Upload(upload_id, path)


def sweep(folder: Path, now: datetime) -> list[str]:
    """Remove the uploads in ``<folder>/uploads/`` kept before ``now - KEEP_UNIMPORTED`` (previewed,
    never imported: an imported one is no longer there); the ids removed. A folder that is not an
    upload's (no 32-hex name) is left alone."""
    uploads = folder / "uploads"
    if not uploads.is_dir():
        return []
    cutoff = (now - KEEP_UNIMPORTED).timestamp()
    removed = []
    for kept in uploads.iterdir():
        if not (_UPLOAD_ID.fullmatch(kept.name) and kept.is_dir()):
            continue
        try:
            newest = max((f.stat().st_mtime for f in kept.iterdir()), default=0.0)
        except OSError:  # taken by an import meanwhile
            continue
        if newest < cutoff:
            shutil.rmtree(kept, ignore_errors=True)
            removed.append(kept.name)
    if removed:
        log.info("admin: removed %d upload(s) previewed and not imported for a day: %s", len(removed),
                 ", ".join(removed))
    return removed


def find(folder: Path, upload_id: str) -> Upload:
    """The kept upload ``upload_id``; :class:`UploadError` ("upload_gone") for a malformed or unknown id."""
    if not _UPLOAD_ID.fullmatch(upload_id or ""):
        raise UploadError("upload_gone")
    files = sorted((folder / "uploads" / upload_id).glob("*")) if (folder / "uploads" / upload_id).is_dir() else []
    if len(files) != 1:
        raise UploadError("upload_gone")
    return Upload(upload_id, files[0])


def discard(upload: Upload) -> None:
    shutil.rmtree(upload.path.parent, ignore_errors=True)


def archive(folder: Path, upload: Upload) -> Path:
    """Move an imported upload to ``<folder>/plans/`` (a number added when the name is taken); its path."""
    target_folder = folder / "plans"
    target_folder.mkdir(parents=True, exist_ok=True)
    target = target_folder / upload.path.name
    number = 2
    while target.exists():
        target = target_folder / f"{upload.path.stem}-{number}{upload.path.suffix}"
        number += 1
    shutil.move(str(upload.path), target)
    discard(upload)
    return target
