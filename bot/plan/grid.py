"""Rows of cells (a sheet, a CSV file, Word tables) → :class:`RawTable` (DESIGN §3 readers).

The formats whose cells are explicit share this: the first row that names the columns
(:func:`bot.plan.raw.header_columns`) starts the table, rows above it are the preamble
(the title, the issue date), blank rows are dropped and every row is cut to the width of
the header above it (a later Word table may have a header of its own, with more columns).
Merges are explicit in these formats, so an empty cell stays empty (``fill_down`` False);
the reader has already given a merged value to every cell of its area.
"""

from __future__ import annotations

from bot.plan.raw import HEADER_WORDS, SECTION_HEADING, RawRow, RawTable, header_columns

# What a header row must name, for the errors of the readers that find none.
LOOKED_FOR = (f"a header row naming the task ({'/'.join(HEADER_WORDS['content'][:3])}) and at least two of: "
              f"序号, 完成时间/完成时限, 牵头领导/责任领导, 责任人, 责任单位/相关部室、单位")


def entry_lines(text: str) -> str:
    """A cell typed in Excel (or saved from it as CSV): its line breaks are Alt+Enter, typed to
    put entries on lines of their own, so each becomes a blank line (the entry separator of
    the raw text); blank lines and CR are dropped."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n\n".join(line for line in lines if line.strip())


def row_lines(cells: list[str]) -> list[str]:
    """The distinct non-blank texts of a row, in order (a merged title is read once)."""
    return list(dict.fromkeys(cell.strip() for cell in cells if cell.strip()))


def header_index(rows: list[tuple[int, list[str]]]) -> int | None:
    """The index in ``rows`` of the first header row, or None."""
    return next((i for i, (_, cells) in enumerate(rows) if header_columns(cells)), None)


def grid_table(source: str, rows: list[tuple[int, list[str]]], preamble: list[str] | None = None) -> RawTable | None:
    """Cut ``rows`` — (row number as the user sees it, cell texts) in order — into a table.

    ``preamble`` is text found before the rows (Word paragraphs above the table); the rows
    above the header are added to it. Returns None when no row names the columns.
    """
    start = header_index(rows)
    if start is None:
        return None
    lines = list(preamble or []) + [line for _, cells in rows[:start] for line in row_lines(cells)]
    table = RawTable(source=source, preamble="\n".join(lines), fill_down=False)
    width = 0
    for number, cells in rows[start:]:
        if header_columns(cells):
            width = max(i for i, cell in enumerate(cells) if cell.strip()) + 1
        cells = (cells + [""] * width)[:width]
        if any(cell.strip() for cell in cells):
            table.rows.append(RawRow(number, cells))
    return table


def has_task_row(table: RawTable) -> bool:
    """Whether a row of ``table`` has a task's content under a header (not only header rows,
    section headings and blanks: a template sheet with the header alone has none)."""
    columns: list[str | None] | None = None
    for row in table.rows:
        header = header_columns(row.cells)
        if header:
            columns = header
            continue
        contents = {cell.strip() for column, cell in zip(columns or [], row.cells, strict=False)
                    if column == "content"}
        if any(text and not SECTION_HEADING.match(text) for text in contents):
            return True
    return False
