"""What the store hands out: read-only views of plans and tasks (DESIGN §1 words).

Dates are Asia/Shanghai calendar days; times are aware ISO-8601 strings as stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta


def window_end(year: int, last_due: date | None = None) -> date:
    """The last day a plan of ``year`` is active (pushes, and questions go to it): January 31 of
    the next year — a December task's overdue month — or, when a task is due later (a 岁末年初
    list's February tasks), the end of the month after its latest due date (DESIGN §5)."""
    end = date(year + 1, 1, 31)
    if last_due is None:
        return end
    after = date(last_due.year + (last_due.month == 12), last_due.month % 12 + 1, 1)
    month_end = date(after.year + (after.month == 12), after.month % 12 + 1, 1) - timedelta(days=1)
    return max(end, month_end)


@dataclass(frozen=True)
class PlanInfo:
    """An imported plan: ``year`` 2020, ``issued`` 2020-03-16 (None when the plan does not say).

    It is active — it pushes reminders, and a question may go to it — from its issue date (else
    January 1 of its year) to January 31 of the next year, or later while its tasks are
    due later (``last_due``, :func:`window_end`); several plans may be active at once
    (next year's imported in December, a 专项督办 list beside the annual plan: DESIGN §5).
    After its window it is archived: it still answers, marked as archived."""

    id: int
    title: str
    year: int
    issued: date | None
    source: str
    last_due: date | None = None
    headers: tuple[tuple[str, str], ...] = ()  # (column role, the plan's own header label), sorted

    @property
    def labels(self) -> dict[str, str]:
        """What the plan's own header calls each column role ({"units": "责任科室"}); {} when it has
        no header of its own (prose, a plan imported before labels were kept)."""
        return dict(self.headers)

    @property
    def active_from(self) -> date:
        return self.issued or date(self.year, 1, 1)

    @property
    def active_until(self) -> date:
        """January 31 of the next year, or the end of the month after the latest due date when
        that is later: the overdue series stops then (DESIGN §5)."""
        return window_end(self.year, self.last_due)

    def active_on(self, today: date) -> bool:
        return self.active_from <= today <= self.active_until

    def archived_on(self, today: date) -> bool:
        """Archived on ``today`` (Asia/Shanghai): past :attr:`active_until` (DESIGN §5)."""
        return today > self.active_until


@dataclass(frozen=True)
class Share:
    """One owner's part of a task: ``owner`` a person, role or unit name, ``done``, ``at`` (ISO
    time or None), ``by`` who reported it (the owner, a role's or unit's member, or the lead who
    closed the task); ``kind`` "person", "role" or "unit" (DESIGN §3.1 "Shares")."""

    owner: str
    done: bool
    at: str | None
    is_role: bool = False
    by: str | None = None
    kind: str = "person"

    @property
    def is_group(self) -> bool:
        """The share stands for a group of people (a role or a unit): its members answer for it."""
        return self.kind != "person"


@dataclass(frozen=True)
class MilestoneView:
    """A date named in the content: ``date``, ``text`` as written ("5.30")."""

    date: date
    text: str


@dataclass(frozen=True)
class EventView:
    """One audit row: ``kind`` ("task.created"…), who, when, where, and the change."""

    at: str
    kind: str
    actor: str
    platform: str
    before: dict | None
    after: dict | None


@dataclass(frozen=True)
class TaskView:
    """A task as people see it (DESIGN §1, §3.1 "Who", §8 keys).

    ``ref`` "3.3" as the plan numbers it; ``section`` "三、进一步塑造科普品牌" ("" when the plan
    has no sections) and ``section_no`` its number (3; None when unnumbered); ``position`` the
    task's 1-based order in the plan; ``deadline_text`` as written ("" when the plan gives
    none); ``due`` None when there is no date; ``ongoing`` for 全年开展; ``status``
    "open"/"done". Names: ``lead`` the lead people then the lead units; ``lead_units`` those
    units alone; ``owners`` people and roles named as 责任人; ``units`` every unit named (lead
    units, responsible, cooperating); ``cooperating`` the units that only help;
    ``supervisors`` shown, never @-mentioned; ``shares`` one per owner (or per responsible
    unit when no person or role owns it); ``plan`` the plan's title.
    """

    ref: str
    section_no: int | None
    number: int
    section: str
    content: str
    deadline_text: str
    due: date | None
    ongoing: bool
    status: str
    done_at: str | None
    lead: list[str]
    owners: list[str]
    units: list[str]
    shares: list[Share]
    milestones: list[MilestoneView] = field(default_factory=list)
    position: int = 0
    lead_units: list[str] = field(default_factory=list)
    cooperating: list[str] = field(default_factory=list)
    supervisors: list[str] = field(default_factory=list)
    plan: str = ""

    @property
    def done(self) -> bool:
        return self.status == "done"

    @property
    def shares_done(self) -> int:
        return sum(1 for share in self.shares if share.done)

    @property
    def lead_people(self) -> list[str]:
        """The lead person(s) (牵头领导), without the lead units."""
        return [name for name in self.lead if name not in self.lead_units]

    def to_json(self) -> dict:
        """The ``duban tasks --json`` object: exactly the keys of DESIGN §8 (``section`` and
        ``deadline_text`` null where the plan has none)."""
        return {
            "ref": self.ref,
            "section": self.section or None,
            "content": self.content,
            "deadline_text": self.deadline_text or None,
            "due": self.due.isoformat() if self.due else None,
            "lead": list(self.lead),
            "owners": list(self.owners),
            "units": list(self.units),
            "cooperating": list(self.cooperating),
            "plan": self.plan,
            "milestones": [{"date": m.date.isoformat(), "text": m.text} for m in self.milestones],
            "status": self.status,
            "shares": [{"owner": s.owner, "done": s.done, "at": s.at} for s in self.shares],
        }
