"""Plan import: a file → :class:`~bot.plan.model.PlanDraft` (DESIGN §3, §3.1).

``file ──reader──▶ Document ──table interpreter (else prose interpreter)──▶ PlanDraft``

* :mod:`bot.plan.readers` cut a file into a :class:`~bot.plan.document.Document`;
* :mod:`bot.plan.table` reads a plan table out of it (when the file has a table and prose,
  the table is the plan and the prose is context);
* ``bot.plan.prose`` (issue 14) reads numbered prose when no plan table is found;
* :mod:`bot.plan.rules` holds what both interpreters apply (labels, names, deadlines, numbers).
"""

from __future__ import annotations

import errno
import importlib
import importlib.util
from pathlib import Path

from bot.plan.document import Document
from bot.plan.errors import PlanError
from bot.plan.model import PlanDraft
from bot.plan.readers import read_document
from bot.plan.table import NoPlanTable, plan_words

__all__ = ["PlanDraft", "PlanError", "interpret", "plan_words", "read_plan"]


def read_plan(path: Path, year: int | None = None, name: str | None = None) -> PlanDraft:
    """Read the plan at ``path`` for ``year`` (None: from the title, the issue date or the header).

    ``name``: the file's name as the office knows it when ``path`` is only where it is kept (an
    upload on /admin, kept under another folder or name): it is then the draft's ``source``, so
    the plan's made-up title and its identity (bot.store.plans.same_plan) are the same at every
    upload, and messages name that file. None: ``path`` as given.

    Raises :class:`PlanError` for a file that cannot be read (missing, a folder, over 20 MB,
    an unknown format, damaged, password-protected, a scan, no LibreOffice for .doc) or holds
    no plan (no table and no numbered items, no task rows, no year); the error names the file
    and what was expected. Row-level problems do not raise: they are in ``PlanDraft.problems``.
    """
    try:
        document = read_document(path)
    except OSError as error:
        raise PlanError("os_error", name or path, reason=error.strerror or str(error),
                        errno_name=errno.errorcode.get(error.errno or 0, "")) from None
    if name:
        document.source = name
    return interpret(document, year)


def interpret(document: Document, year: int | None = None) -> PlanDraft:
    """The plan a document holds: its plan table, else (when ``bot.plan.prose`` is there) its
    numbered prose. Raises :class:`PlanError` ("no_table", naming the header words seen and
    those expected) when neither reads a plan."""
    try:
        draft = _table_interpreter().interpret(document, year)
    except NoPlanTable as missing:
        prose = _prose_interpreter()
        draft = prose.interpret(document, year) if prose is not None else None
        if draft is None:
            raise PlanError("no_table", document.source, saw="、".join(missing.seen) or "",
                            expected=missing.expected) from None
        return draft
    prose = _prose_interpreter()
    if prose is not None:  # the text beside the table, when it reads as a plan too, is context
        draft.context += prose.beside_table(document, draft.year)
    return draft


def _table_interpreter():
    return importlib.import_module("bot.plan.table")


def _prose_interpreter():
    """``bot.plan.prose`` when it exists (issue 14 fills it: ``interpret(document, year)`` →
    PlanDraft, or None when the document holds no numbered plan); else None."""
    if importlib.util.find_spec("bot.plan.prose") is None:
        return None
    return importlib.import_module("bot.plan.prose")
