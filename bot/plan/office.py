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

from bot.plan.raw import NotAPlan

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
# A 1,400-task workbook unpacks to a few MB; 200 MB of XML is no plan.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
_OLD_FORMAT = {".docx": ".doc", ".xlsx": ".xls"}


def check_package(path: Path, kind: str) -> None:
    """Make sure ``path`` is an intact zip, as a ``kind`` (".docx", ".xlsx") must be.

    Raises :class:`NotAPlan` naming the problem: password-protected (or an old .doc/.xls
    under a new name), not a zip (damaged, truncated, or another format renamed), a member
    whose checksum fails, or more than ``MAX_UNPACKED_BYTES`` unpacked.
    """
    with path.open("rb") as file:
        head = file.read(len(OLE_MAGIC))
    if head == OLE_MAGIC:
        raise NotAPlan(f"{path}: password-protected, or an old {_OLD_FORMAT[kind]} file named {kind} "
                       f"(it is an OLE compound file, not a {kind} zip archive); remove the password, "
                       f"or open it and save it as {kind}")
    if not zipfile.is_zipfile(path):
        raise NotAPlan(f"{path}: not a readable {kind} file: it is damaged, truncated, or not really "
                       f"a {kind} (a {kind} is a zip archive and this file has no zip directory)")
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
            if unpacked > MAX_UNPACKED_BYTES:
                raise NotAPlan(f"{path}: unpacks to {unpacked:,} bytes, which is not a plan "
                               f"(a zip bomb, or far more than a year's 分解表)")
            broken = archive.testzip()
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError) as error:
        raise NotAPlan(f"{path}: not a readable {kind} file: it is damaged ({error})") from None
    if broken is not None:
        raise NotAPlan(f"{path}: not a readable {kind} file: it is damaged ({broken} fails its checksum)")
