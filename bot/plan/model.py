"""What a plan reader produces and the importer consumes: drafts, before the store.

Every interpreter (tables, prose) ends in :class:`PlanDraft`; the store takes a draft and
nothing of the rules that made it (DESIGN §3.1).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.plan.document import Place
from bot.plan.rules.deadlines import Deadline
from bot.plan.rules.milestones import Milestone


@dataclass(frozen=True)
class ImportProblem:
    """One problem found while reading a plan, shown in the import report.

    ``code`` names the problem (the report template words it: ``deadline_unparsed``,
    ``bad_row``, ``no_owner``…); ``line`` is the 1-based line (text) or row (sheet) it was
    found at; ``ref`` the task it concerns, if known; ``value`` the offending text;
    ``count`` a number the wording needs (the cells a bad row has); ``place`` where it is
    when a line number is not enough (a sheet, a table, a paragraph).
    """

    code: str
    line: int | None = None
    ref: str | None = None
    value: str = ""
    count: int = 0
    place: Place | None = None


@dataclass
class TaskDraft:
    """One task as read, before the store (DESIGN §3.1 "Who", "Refs"; §8 keys).

    ``ref`` as the plan numbers it ("3.3", "68", "5.1", "1.1.1"), unique in the plan;
    ``section`` the :attr:`SectionDraft.position` of its section, or None (no sections);
    ``content`` the task text without its leading number; ``deadline`` its phrase and due
    date (``deadline.text`` "" when the plan gives none). Names are cleaned ("林丽"):
    ``lead`` the lead person(s) (牵头领导); ``lead_units`` the lead unit(s) (牵头单位);
    ``owners`` the people and roles named as 责任人; ``units`` the responsible units that
    are neither lead nor cooperating (责任单位, 相关部室、单位); ``cooperating`` the units
    that only help (配合单位); ``supervisors`` shown, never @-mentioned, own no share
    (协管/督办责任人). ``progress`` (完成情况) and ``remarks`` (备注) as written.
    ``line`` the 1-based line or row it starts at; ``place`` where it is, when richer.
    """

    ref: str
    section: int | None
    content: str
    deadline: Deadline
    lead: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    lead_units: list[str] = field(default_factory=list)
    cooperating: list[str] = field(default_factory=list)
    supervisors: list[str] = field(default_factory=list)
    progress: str = ""
    remarks: str = ""
    line: int | None = None
    place: Place | None = None

    @property
    def all_units(self) -> list[str]:
        """Every unit the task names: lead units, then responsible, then cooperating (DESIGN §8 ``units``)."""
        return list(dict.fromkeys([*self.lead_units, *self.units, *self.cooperating]))


@dataclass
class SectionDraft:
    """A section of the plan: ``position`` 3 (1-based order in the plan, its key); ``no``
    the number the plan gives it (3; None when unnumbered); ``numeral`` as written ("三",
    "" when unnumbered); ``title`` "进一步塑造科普品牌"; ``heading`` as the plan shows it."""

    position: int
    no: int | None
    numeral: str
    title: str
    heading_text: str = ""

    @property
    def heading(self) -> str:
        """The section as the plan writes it: "三、进一步塑造科普品牌", or its title when unnumbered."""
        if self.heading_text:
            return self.heading_text
        return f"{self.numeral}、{self.title}" if self.numeral else self.title


@dataclass
class PlanDraft:
    """A whole plan as read: title, year, issue date, sections, tasks and problems.

    ``titled`` is False when the file has no title and ``title`` is made up from the year and
    the file's name: such a plan is known by its year and source file, not by that title.
    ``roles``: the names among leads, owners and supervisors that stand for a group of people
    (县（市、区）科协主席), decided before the store sees the draft (:func:`bot.plan.roles.mark_roles`).
    ``context``: the paragraphs not read as tasks because they are context (a covering notice,
    a preamble, 保障措施, the text beside a plan table), each run with its place and why
    (``skipped_<reason>``): listed in the report apart from ``problems``, which are warnings.
    ``labels``: what the plan's own header calls each column role it has ({"units": "责任科室",
    "lead": "牵头领导"}; empty for a plan with no header of its own, such as prose), so a task's
    detail and the exported table name its columns as the office does.
    """

    title: str
    year: int
    issued: date | None
    source: str
    sections: list[SectionDraft] = field(default_factory=list)
    tasks: list[TaskDraft] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    titled: bool = True
    roles: set[str] = field(default_factory=set)
    context: list[ImportProblem] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def partial(self) -> bool:
        """Some row or paragraph could not be read: a stored task the file seems to lack may be
        one of them, so a re-import keeps it instead of marking it removed."""
        return any(p.code in UNREAD for p in (*self.problems, *self.context))


# Problems whose row (or paragraph) is not read as a task although it may be one.
UNREAD = frozenset({"bad_row", "after_bad_row", "no_section", "no_content", "content_no_words", "duplicate_ref",
                    "stray_quote", "line_not_read", "glued_before", "skipped_not_task"})
