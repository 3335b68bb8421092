"""Files that are no plan stop the import with an error naming the problem, and the store
is left as it was (issue 7 "Bad input"); deadline phrases beyond the seed's (DESIGN §3)."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import docx
import openpyxl
import pytest

from bot.plan import PlanError, read_plan
from bot.plan.readers import package
from bot.plan.rules.deadlines import parse_deadline
from tests.office_plans import SEED_TITLE_LINES, seed_sheet, write_docx, write_xlsx
from tests.plans import SEED

ROOT = Path(__file__).resolve().parent.parent
OLE = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)  # an OLE compound file's header block


def _no_table(d: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("龙岩市科协2021年度工作要点")
    document.add_paragraph("一、进一步强化政治引领")
    document.save(str(d / "no_table.docx"))
    return d / "no_table.docx"


def _table_without_header(d: Path) -> Path:
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "姓名", "电话"
    document.save(str(d / "contacts.docx"))
    return d / "contacts.docx"


def _sheet_without_header(d: Path) -> Path:
    workbook = openpyxl.Workbook()
    workbook.active.title = "通讯录"
    workbook.active.append(["姓名", "电话", "单位"])
    workbook.active.append(["林丽", "0597-1234567", "学会部"])
    workbook.create_sheet("说明").append(["本表为2021年"])
    workbook.save(d / "contacts.xlsx")
    return d / "contacts.xlsx"


def _written(name: str, data: bytes):
    def write(d: Path) -> Path:
        (d / name).write_bytes(data)
        return d / name
    return write


def _truncated(d: Path) -> Path:
    whole = write_docx(d / "whole.docx", SEED_TITLE_LINES, [seed_sheet()]).read_bytes()
    return _written("truncated.docx", whole[: len(whole) // 2])(d)


def _damaged_member(d: Path) -> Path:
    data = bytearray(write_xlsx(d / "whole.xlsx", SEED_TITLE_LINES, seed_sheet()).read_bytes())
    with zipfile.ZipFile(d / "whole.xlsx") as archive:
        sheet = archive.getinfo("xl/worksheets/sheet1.xml")
    middle = sheet.header_offset + 30 + len(sheet.filename) + sheet.compress_size // 2
    data[middle:middle + 16] = bytes(16)
    return _written("damaged.xlsx", bytes(data))(d)


def _huge(d: Path) -> Path:
    with open(d / "huge.xlsx", "wb") as huge:
        huge.truncate(50 * 1024 * 1024)
    return d / "huge.xlsx"


def _merged_over_the_whole_sheet(d: Path) -> Path:
    workbook = openpyxl.Workbook()
    workbook.active.merge_cells("A1:B1")
    workbook.save(d / "small.xlsx")
    with zipfile.ZipFile(d / "small.xlsx") as source, zipfile.ZipFile(d / "bomb.xlsx", "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'ref="A1:B1"', b'ref="A1:XFD1048576"')
            target.writestr(item, data)
    return d / "bomb.xlsx"


BAD_FILES = {  # name: (writes the file into a folder, what the error says)
    "docx without a table": (
        _no_table, "no_table.docx: no table found; a plan is a table with a header row naming the task"),
    "docx without a header": (
        _table_without_header, "contacts.docx: no table found; a plan is a table with a header row naming the task"),
    "xlsx without a header": (
        _sheet_without_header,
        "contacts.xlsx: no table found; a plan is a table with a header row naming the task and its columns "
        "(header words found: 单位)"),
    "password-protected xlsx": (_written("locked.xlsx", OLE), "locked.xlsx: password-protected, or an old .xls"),
    "password-protected docx": (_written("locked.docx", OLE), "locked.docx: password-protected, or an old .doc"),
    "truncated docx": (_truncated, "truncated.docx: not a readable .docx file: it is damaged, truncated"),
    "damaged xlsx": (_damaged_member, "damaged.xlsx: not a readable .xlsx file: it is damaged"),
    "text renamed .xlsx": (
        _written("notes.xlsx", "会议纪要".encode()),
        "notes.xlsx: not a readable .xlsx file: it is damaged, truncated, or not really a .xlsx"),
    "50 MB": (_huge, "huge.xlsx: 50 MB is not a plan"),
    "merged whole sheet": (_merged_over_the_whole_sheet, "bomb.xlsx: its merged ranges cover 17,179,869,184 cells"),
    "csv without a header": (
        _written("list.csv", "姓名,电话\n林丽,123\n".encode()), "list.csv: no table found; a plan is a table"),
    "binary csv": (_written("blob.csv", bytes(range(256)) * 4), "blob.csv: not UTF-8 or GB18030 text"),
    "damaged xls": (_written("plan.xls", OLE), "plan.xls: not a readable .xls file"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_a_bad_file_is_a_clear_error_and_the_store_is_unchanged(bot, tmp_path, name):
    make, message = BAD_FILES[name]
    path = make(tmp_path)
    before = [t.to_json() for t in bot.store.tasks(bot.store.active_plan().id)]
    with pytest.raises(PlanError) as error:
        bot.import_plan(path, 2021)
    assert message in str(error.value)
    chinese, english = str(error.value).splitlines()  # Chinese first, then English, both naming the file
    assert chinese.startswith(f"{path}：") and english.startswith(f"{path}: ")
    assert [p.title for p in bot.store.plans()] == ["龙岩市科协2020年度工作要点"]
    assert [t.to_json() for t in bot.store.tasks(bot.store.active_plan().id)] == before


def test_a_plan_that_unpacks_to_too_much_is_refused(tmp_path, monkeypatch):
    path = write_xlsx(tmp_path / "plan.xlsx", SEED_TITLE_LINES, seed_sheet())
    monkeypatch.setattr(package, "MAX_UNPACKED_BYTES", 1000)
    with pytest.raises(PlanError, match=r"plan\.xlsx: unpacks to [\d,]+ bytes, which is not a plan"):
        read_plan(path)


def test_bad_files_through_the_cli_exit_2_and_import_nothing(tmp_path):
    def duban(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "bot", *args], cwd=tmp_path, capture_output=True, text=True,
                              timeout=60, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})

    (tmp_path / "config.toml").write_text(f'[bot]\ndatabase = "duban.db"\nplan = "{SEED}"\n', encoding="utf-8")
    assert duban("import", str(SEED)).returncode == 0
    before = duban("tasks", "--json").stdout
    for name in ("docx without a table", "xlsx without a header", "password-protected xlsx", "truncated docx",
                 "50 MB"):
        make, message = BAD_FILES[name]
        result = duban("import", str(make(tmp_path)), "--year", "2021")
        assert (result.returncode, result.stdout) == (2, ""), name
        assert message in result.stderr, name
    after = duban("tasks", "--json").stdout
    assert after == before and len(json.loads(after)) == 35


@pytest.mark.parametrize("phrase, due, ongoing", [
    ("3月上旬", date(2021, 3, 10), False), ("10月中旬", date(2021, 10, 20), False),
    ("2月下旬", date(2021, 2, 28), False), ("十二月中旬前", date(2021, 12, 20), False),
    ("6月15日前", date(2021, 6, 15), False), ("9月\n\n30日之前", date(2021, 9, 30), False),
    ("第三季度", date(2021, 9, 30), False), ("第一季度末", date(2021, 3, 31), False),
    ("二季度", date(2021, 6, 30), False), ("年底前", date(2021, 12, 31), False),
    ("长期坚持", date(2021, 12, 31), True), ("持续推进", date(2021, 12, 31), True),
    ("2021年6月底前", date(2021, 6, 30), False), ("2022年3月底前", date(2022, 3, 31), False),
    ("2022年底前", date(2022, 12, 31), False), ("2021/6/30", date(2021, 6, 30), False),
    ("2021-07-01", date(2021, 7, 1), False),
    ("根据上级部署", None, False), ("2月30日前", None, False), ("2021/2/30", None, False),
])
def test_deadline_phrases_of_design_section_3(phrase, due, ongoing):
    deadline = parse_deadline(phrase, 2021)
    assert (deadline.due, deadline.ongoing) == (due, ongoing)
