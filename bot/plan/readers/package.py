"""What the .docx and .xlsx readers check before a library opens the file.

Both formats are zip archives. A password-protected Word or Excel file is not: Office
encrypts it into an OLE compound file (magic bytes D0 CF 11 E0), the same container as
the old .doc/.xls formats, so neither library can say what is wrong. A damaged or
truncated zip, or one that unpacks to far more than a plan (a zip bomb), is refused here
with the reason, before the library reads it.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from bot.plan.errors import PlanError

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
# A 1,400-task workbook unpacks to a few MB; 200 MB of XML is no plan.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
_OLD_FORMAT = {".docx": ".doc", ".xlsx": ".xls"}


def check_package(path: Path, kind: str) -> None:
    """Make sure ``path`` is an intact zip, as a ``kind`` (".docx", ".xlsx") must be.

    Raises :class:`PlanError` naming the problem: password-protected (or an old .doc/.xls
    under a new name), not a zip (damaged, truncated, or another format renamed), a member
    whose checksum fails, or more than ``MAX_UNPACKED_BYTES`` unpacked.
    """
    with path.open("rb") as file:
        head = file.read(len(OLE_MAGIC))
    if head == OLE_MAGIC:
        raise PlanError("encrypted", path, kind=kind, old=_OLD_FORMAT[kind])
    if not zipfile.is_zipfile(path):
        raise PlanError("not_zip", path, kind=kind)
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
            if unpacked > MAX_UNPACKED_BYTES:
                raise PlanError("zip_bomb", path, size=f"{unpacked:,}")
            broken = archive.testzip()
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as error:
        raise PlanError("damaged", path, kind=kind, detail=str(error)) from None
    if broken is not None:
        raise PlanError("damaged", path, kind=kind, detail=f"{broken} fails its checksum")
