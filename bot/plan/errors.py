"""The error a plan import stops with (DESIGN §3: nothing is written; §8: exit code 2).

Every reason has a code and its words in ``bot/templates/plan_errors.j2``: a line in
Chinese, then the same in English, both naming the file and what to do. Readers and
interpreters raise :class:`PlanError` with the code and the facts the words need.
"""

from __future__ import annotations

from pathlib import PurePath


def _words():
    from bot.render import words

    return words("plan_errors.j2")


class PlanError(ValueError):
    """The file cannot be imported at all (not a plan, no year, unreadable). Nothing is written.

    ``code`` names the reason (a macro of plan_errors.j2), ``source`` the file as given,
    ``facts`` what the words need. ``str(error)`` is the message: Chinese, then English.
    """

    def __init__(self, code: str, source: str | PurePath, **facts: object):
        self.code, self.source, self.facts = code, str(source), facts
        super().__init__(str(getattr(_words(), code)(source=str(source), **facts)).strip())
