"""The status page, ``GET /status`` (issue 7): each active plan's progress by section and by
owner (done/total, overdue), each task with its owners' shares, notes and history. Read-only,
server-rendered from ``bot/templates/status.html`` with no script and nothing fetched from
elsewhere (offices run it without internet). Guarded like the local chat (:mod:`bot.access`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from bot import plan_choice
from bot.access import require_token
from bot.model import EventView, PlanInfo, TaskView
from bot.render import ROOT, environment
from bot.store.outbox import open_failures
from bot.store.reports import histories, plan_notes
from handlers.status import state

if TYPE_CHECKING:
    from bot.runtime import Bot


@dataclass
class Progress:
    """Counts of one row of the chart: a section or an owner. ``done``/``total`` tasks (for an
    owner: their shares), ``overdue`` of those not done and past due on the page's day."""

    label: str
    done: int = 0
    total: int = 0
    overdue: int = 0
    key: str = ""

    @property
    def percent(self) -> int:
        """Done as a whole percentage of total (0 when there is nothing)."""
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class TaskCard:
    """One task as the page shows it: the view, its state code and days (handlers/status.py
    ``state``), progress notes {"person", "text", "at"} and audit events, oldest first."""

    task: TaskView
    state: str
    days: int
    notes: list[dict] = field(default_factory=list)
    history: list[EventView] = field(default_factory=list)


@dataclass
class StatusPage:
    """Everything ``status.html`` shows for ``plan`` on ``today`` (the bot's clock, Asia/Shanghai)."""

    plan: PlanInfo | None
    today: date
    archived: bool = False
    overall: Progress = field(default_factory=lambda: Progress(""))
    sections: list[Progress] = field(default_factory=list)
    owners: list[Progress] = field(default_factory=list)
    cards: list[TaskCard] = field(default_factory=list)
    failures: list[dict] = field(default_factory=list)  # open failed-push notices (bot/store/outbox.py)


def status_pages(bot: Bot) -> list[StatusPage]:
    """One block of the page per plan active on the clock's day (several may be: DESIGN §5),
    the plan questions go to first; else the plan questions go to alone; one empty block when
    nothing is imported."""
    today = bot.clock.today()
    default = bot.store.active_plan(today)
    if default is None:
        return [StatusPage(None, today)]
    live = plan_choice.active(bot.store.plans(), today)
    plans = [default, *(plan for plan in live if plan != default)]
    return [_page(bot, plan, today) for plan in plans]


def status_page(bot: Bot) -> StatusPage:
    """The first block of the page: the plan questions go to (empty when nothing is imported)."""
    return status_pages(bot)[0]


def _page(bot: Bot, plan: PlanInfo, today: date) -> StatusPage:
    archived = plan.archived_on(today)
    notes, events = plan_notes(bot.store, plan.id), histories(bot.store, plan.id)
    page = StatusPage(plan, today, archived, failures=open_failures(bot.store))
    sections: dict[str, Progress] = {}
    owners: dict[str, Progress] = {}
    for task in bot.store.tasks(plan.id):
        code, days = state(task, today, archived)
        page.cards.append(TaskCard(task, code, days, notes.get(task.ref, []), events.get(task.ref, [])))
        section = sections.setdefault(task.section, Progress(task.section, key=str(task.section_no or task.section)))
        for row in (page.overall, section):
            row.total += 1
            row.done += task.done
            row.overdue += code == "overdue"
        for share in task.shares:
            row = owners.setdefault(share.owner, Progress(share.owner, key=share.owner))
            row.total += 1
            row.done += share.done
            row.overdue += not share.done and code == "overdue"
    page.sections, page.owners = list(sections.values()), list(owners.values())
    return page


def status_routes(bot: Bot) -> list[Route]:
    """``GET /status``: the page, 401 without ``server.token`` when one is configured."""
    pages = environment(ROOT / "bot" / "templates")

    async def show(request: Request) -> Response:
        blocks = await bot.offload(status_pages, bot)
        html = pages.get_template("status.html").render(bot_name=bot.config.bot.name, blocks=blocks)
        return HTMLResponse(html)

    return [Route("/status", require_token(bot.config.server.token, show), methods=["GET"])]
