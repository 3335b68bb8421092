"""The 完成情况表: the plan's own columns (序号, 工作内容, 完成时限, and of 牵头领导, 牵头单位,
责任人, 相关部室、单位, 配合单位, 督办 those the plan names; headed by the plan's own header words
where it has a header, units kept in the plan's own unit columns: bot.export.columns) plus 状态,
完成时间, 完成人 and 最新进展, one sheet per plan, the section rows as the plan has them. Laid out to read and print
in WPS and Excel: a title, a frozen header repeated on every printed page, wrapped text, column
widths, borders, landscape A4 fitted to the page width.
"""

from __future__ import annotations

import math
import unicodedata
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.export import labels
from bot.export.columns import ROLE_OF_KEY, UNIT_ROLES, unit_columns
from bot.model import PlanInfo, TaskView
from bot.store.reports import histories, plan_notes
from handlers.status import state

if TYPE_CHECKING:
    from bot.runtime import Bot

# Column key → width in Excel's units (about one Latin digit; a Chinese character takes two).
WIDTHS = {"ref": 7, "content": 46, "deadline_text": 11, "lead": 10, "lead_units": 14, "owners": 16, "units": 22,
          "cooperating": 22, "supervisors": 10, "state": 15, "done_at": 17, "done_by": 12, "note": 30}
# The people and units columns, each shown only when some task of the plan names someone there.
PARTY_COLUMNS = ("lead", "lead_units", "owners", "units", "cooperating", "supervisors")
CENTERED = {"ref", "deadline_text", "lead", "state", "done_at", "done_by"}
HEADER_ROW = 3  # after the title and the as-of line
LINE_HEIGHT = 15.0  # points per wrapped line at the default 11 pt font
SHEET_TITLE_MAX = 31
SHEET_TITLE_BANNED = set('[]:*?/\\')

_thin = Side(style="thin", color="808080")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
SECTION_FILL = PatternFill("solid", fgColor="F2F2F2")
STATE_COLOURS = {"done": "2E7D32", "overdue": "C62828", "due_today": "C62828", "due_soon": "B26A00"}


def workbook(bot: Bot) -> Workbook:
    """The 完成情况表 of every plan in ``bot``'s store, the newest plan's sheet first, states
    counted on ``bot.clock``'s day (Asia/Shanghai). Times are the zone's wall time."""
    words = labels()
    book = Workbook()
    book.remove(book.active)
    used: set[str] = set()
    for plan in reversed(bot.store.plans()):
        sheet = book.create_sheet(sheet_title(plan.title, used, words.sheet_fallback))
        _fill(sheet, bot, plan, words)
    return book


def sheet_title(title: str, used: set[str], fallback: str) -> str:
    """``title`` as Excel accepts a sheet name: at most 31 characters, none of ``[]:*?/\\``,
    no leading or trailing apostrophe, not already in ``used`` (case-insensitive, as Excel
    compares); ``fallback`` when nothing is left. Adds the result to ``used``."""
    cleaned = "".join(ch for ch in title if ch not in SHEET_TITLE_BANNED and unicodedata.category(ch)[0] != "C")
    cleaned = cleaned.strip().strip("'").strip() or fallback
    name, n = cleaned[:SHEET_TITLE_MAX], 1
    while name.lower() in used:
        n += 1
        suffix = f"({n})"
        name = cleaned[:SHEET_TITLE_MAX - len(suffix)] + suffix
    used.add(name.lower())
    return name


def _fill(sheet: Worksheet, bot: Bot, plan: PlanInfo, words: Any) -> None:
    today, tz = bot.clock.today(), bot.clock.tz
    archived = plan.archived_on(today)
    tasks = bot.store.tasks(plan.id)
    notes, events = plan_notes(bot.store, plan.id), histories(bot.store, plan.id)
    own = plan.labels
    keys = [key for key in WIDTHS if key not in PARTY_COLUMNS or any(_parties(t, own)[key] for t in tasks)]
    last = get_column_letter(len(keys))
    codes = {t.ref: state(t, today, archived) for t in tasks}

    done = sum(t.done for t in tasks)
    overdue = sum(code == "overdue" for code, _ in codes.values())
    _banner(sheet, 1, last, str(words.table_title(plan)), Font(bold=True, size=16), "center", 32)
    _banner(sheet, 2, last, str(words.as_of(today, done, len(tasks), overdue, archived)), Font(size=11), "right", 20)
    for column, key in enumerate(keys, 1):
        cell = put(sheet, HEADER_ROW, column, _header(key, own, words.columns))
        cell.font, cell.fill, cell.border = Font(bold=True), HEADER_FILL, BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(column)].width = WIDTHS[key]
    sheet.row_dimensions[HEADER_ROW].height = LINE_HEIGHT * 2

    row, section = HEADER_ROW, None
    for task in tasks:
        if task.section != section:
            section = task.section
            if section:  # a plan without sections has no section rows
                row += 1
                _section_row(sheet, row, len(keys), section)
        row += 1
        code, days = codes[task.ref]
        values = _values(task, code, days, notes.get(task.ref, []), events.get(task.ref, []), tz, words, own)
        for column, key in enumerate(keys, 1):
            cell = put(sheet, row, column, values[key])
            cell.border = BORDER
            cell.alignment = Alignment(horizontal="center" if key in CENTERED else "left",
                                       vertical="center", wrap_text=True)
            if key == "done_at" and values[key]:
                cell.number_format = "yyyy-mm-dd hh:mm"
            if key == "state" and code in STATE_COLOURS:
                cell.font = Font(bold=code == "overdue", color=STATE_COLOURS[code])
        sheet.row_dimensions[row].height = _height(values, keys)

    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1).coordinate
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def put(sheet: Worksheet, row: int, column: int, value: object):
    """Write ``value`` into a cell; a text is always a text, never a formula (OWASP "CSV/formula
    injection"). openpyxl stores any str starting with "=" as a formula, so a task or a note
    written "=HYPERLINK(…)" would be live in Excel/WPS: its type is set back to a string. A text
    starting with any character a spreadsheet may read as a formula when the cell is edited or the
    sheet re-saved as CSV ("=", "+", "-", "@", TAB, CR) also gets Excel's quote prefix (shown
    as typed, stored as text). Returns the cell."""
    cell = sheet.cell(row, column, value)
    if isinstance(value, str):
        cell.data_type = "s"
        if value.startswith(FORMULA_STARTS):
            cell.quotePrefix = True
    return cell


# What a spreadsheet may take for the start of a formula (OWASP CSV injection's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def _header(key: str, own: dict[str, str], defaults: dict[str, str]) -> str:
    """Column ``key``'s header: the plan's own word for it, unless that word is another column's
    (the seed calls its deadline 完成时间, which here heads the time a task was done)."""
    label = own.get(ROLE_OF_KEY.get(key, key), "")
    taken = {word for other, word in defaults.items() if other != key}
    return label if label and label not in taken else defaults[key]


def _values(task: TaskView, code: str, days: int, notes: list[dict], events: list, tz: ZoneInfo,
            words: Any, own: dict[str, str]) -> dict[str, object]:
    """One task row's cell values by column key."""
    reporters = [s.by for s in task.shares if s.done and s.by]
    if task.done and not reporters:  # a task with no owners, closed by its lead or an admin
        reporters = [e.actor for e in events if e.kind == "task.completed"][-1:]
    latest = notes[-1] if notes else None
    return {
        "ref": task.ref, "content": task.content, "deadline_text": task.deadline_text,
        **{key: "、".join(names) for key, names in _parties(task, own).items() if key not in UNIT_ROLES},
        **{key: str(words.units(entries)) for key, entries in unit_columns(task, own).items()},
        "state": str(words.state(code, days, task.shares_done, len(task.shares))),
        "done_at": wall_time(task.done_at, tz) if task.done and task.done_at else None,
        "done_by": "、".join(dict.fromkeys(reporters)),
        "note": str(words.note(latest, wall_time(latest["at"], tz).strftime("%Y-%m-%d"))) if latest else "",
    }


def _parties(task: TaskView, own: dict[str, str]) -> dict[str, list[str]]:
    """The names of each people-and-units column: lead people, owners, supervisors, and the units
    in each of the plan's unit columns (bot.export.columns: a plan with one 责任科室 column keeps
    its 牵头 and 配合 units there)."""
    units = {role: [name for name, _ in entries] for role, entries in unit_columns(task, own).items()}
    return {"lead": task.lead_people, "owners": task.owners, "supervisors": task.supervisors, **units}


def wall_time(at: str, tz: ZoneInfo) -> datetime:
    """A stored aware ISO time as the naive wall time of ``tz`` to the minute (Excel has no zones)."""
    return datetime.fromisoformat(at).astimezone(tz).replace(tzinfo=None, second=0, microsecond=0)


def _banner(sheet: Worksheet, row: int, last: str, text: str, font: Font, align: str, height: float) -> None:
    sheet.merge_cells(f"A{row}:{last}{row}")
    cell = put(sheet, row, 1, text)
    cell.font = font
    cell.alignment = Alignment(horizontal=align, vertical="center")
    sheet.row_dimensions[row].height = height


def _section_row(sheet: Worksheet, row: int, width: int, title: str) -> None:
    """A section row as the plan has it: "三、进一步塑造科普品牌" across the whole table."""
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    for column in range(1, width + 1):  # merged cells show a border only where each cell has one
        sheet.cell(row, column).border = BORDER
        sheet.cell(row, column).fill = SECTION_FILL
    cell = put(sheet, row, 1, title)
    cell.font = Font(bold=True)
    cell.alignment = Alignment(horizontal="left", vertical="center")
    sheet.row_dimensions[row].height = LINE_HEIGHT * 1.4


def _height(values: dict[str, object], keys: list[str]) -> float:
    """Points for a row whose cells wrap: Excel keeps a written file's row heights, so a row left
    at the default would show only the first line of a long 工作内容."""
    lines = 1
    for key in keys:
        text = values[key]
        if isinstance(text, str):
            usable = max(WIDTHS[key] - 1, 1)
            lines = max(lines, sum(max(1, math.ceil(_display_width(p) / usable)) for p in text.split("\n")))
    return LINE_HEIGHT * lines + 4


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
