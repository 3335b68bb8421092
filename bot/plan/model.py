"""What a plan reader produces and the importer consumes: drafts, before the store.

Every reader (.txt today; .docx/.xlsx/.csv later) ends in :class:`PlanDraft`, so the
rules of DESIGN §3 (fill-down, splitting, numbering, deadlines) live in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.plan.deadlines import Deadline
from bot.plan.milestones import Milestone


@dataclass(frozen=True)
class ImportProblem:
    """One problem found while reading a plan, shown in the import report.

    ``code`` names the problem (the report template words it: ``deadline_unparsed``,
    ``bad_row``, ``no_owner``…); ``line`` is the 1-based line (text) or row (sheet) it was
    found at; ``ref`` the task it concerns, if known; ``value`` the offending text;
    ``count`` a number the wording needs (the cells a bad row has).
    """

    code: str
    line: int | None = None
    ref: str | None = None
    value: str = ""
    count: int = 0


@dataclass
class TaskDraft:
    """One task row after fill-down: ``ref`` "3.3", names already cleaned ("林丽")."""

    ref: str
    section_no: int
    number: int
    content: str
    deadline: Deadline
    lead: list[str]
    owners: list[str]
    units: list[str]
    milestones: list[Milestone]
    line: int | None = None


@dataclass
class SectionDraft:
    """A section of the table: ``no`` 3, ``numeral`` "三", ``title`` "进一步塑造科普品牌"."""

    no: int
    numeral: str
    title: str

    @property
    def heading(self) -> str:
        """The section as the plan writes it: "三、进一步塑造科普品牌"."""
        return f"{self.numeral}、{self.title}"


@dataclass
class PlanDraft:
    """A whole plan as read: title, year, issue date, sections, tasks and problems.

    ``titled`` is False when the file has no title and ``title`` is made up from the year and
    the file's name: such a plan is known by its year and source file, not by that title.
    """

    title: str
    year: int
    issued: date | None
    source: str
    sections: list[SectionDraft] = field(default_factory=list)
    tasks: list[TaskDraft] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    titled: bool = True
