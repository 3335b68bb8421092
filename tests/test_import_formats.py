"""The seed as a web page, a PDF, an old .doc/.xls and the WPS formats imports to the same 35 tasks
(issue 11 "Must show"); LibreOffice missing or hanging is a clear error (issue 11 "Bad input")."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from bot.plan import PlanError, read_plan
from bot.plan.readers import convert
from tests.conftest import make_bot
from tests.office_plans import (
    SEED_TITLE_LINES,
    libreoffice,
    seed_preamble,
    seed_sheet,
    write_docx,
    write_html,
    write_pdf,
    write_xlsx,
)
from tests.plans import EXPECTED_TASKS, SEED, expected_json

NO_SOFFICE = "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui"
PDF_WIDTHS = [90, 260, 60, 60, 110, 150]  # points, on landscape A4


def _stored(tmp_path: Path, path: Path) -> list[dict]:
    bot = make_bot(tmp_path, plan=path)
    try:
        return [t.to_json() for t in bot.store.tasks(bot.store.active_plan().id)]
    finally:
        bot.close()


def _same_35(tmp_path: Path, path: Path) -> None:
    draft = read_plan(path)
    assert (draft.title, draft.year, str(draft.issued)) == ("龙岩市科协2020年度工作要点", 2020, "2020-03-16")
    assert [s.heading for s in draft.sections] == [s.heading for s in read_plan(SEED).sections]
    assert draft.problems == []
    assert _stored(tmp_path, path) == [expected_json(t) for t in EXPECTED_TASKS]


def test_the_seed_as_a_saved_web_page(tmp_path):
    _same_35(tmp_path, write_html(tmp_path / "plan.html", seed_preamble(), seed_sheet()))


def test_the_seed_as_a_pdf_table(tmp_path):
    _same_35(tmp_path, write_pdf(tmp_path / "plan.pdf", SEED_TITLE_LINES, seed_sheet(), PDF_WIDTHS))


@pytest.fixture(scope="module")
def old_formats(tmp_path_factory) -> dict[str, Path]:
    """The seed saved by LibreOffice as .doc (from the Word table) and .xls (from the sheet)."""
    if convert.soffice() is None:
        pytest.skip(NO_SOFFICE)
    folder = tmp_path_factory.mktemp("old")
    docx = write_docx(folder / "plan.docx", seed_preamble(), [seed_sheet()])
    xlsx = write_xlsx(folder / "plan.xlsx", SEED_TITLE_LINES, seed_sheet())
    return {"doc": libreoffice(docx, "doc", folder), "xls": libreoffice(xlsx, "xls", folder)}


@pytest.mark.parametrize(("made", "suffix"), [("doc", ".doc"), ("doc", ".wps"), ("xls", ".xls"), ("xls", ".et")])
def test_the_seed_as_an_old_office_or_wps_file(tmp_path, old_formats, made, suffix):
    # A .wps (WPS Writer) and an .et (WPS Spreadsheets) are stood in for by a .doc and an .xls
    # renamed: LibreOffice reads each by its content; .xls is read directly (xlrd).
    path = tmp_path / f"plan{suffix}"
    shutil.copyfile(old_formats[made], path)
    _same_35(tmp_path, path)


def _fake_soffice(folder: Path, body: str) -> None:
    folder.mkdir()
    script = folder / "soffice"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)


def test_a_doc_without_libreoffice_names_the_package_to_install(tmp_path, monkeypatch):
    (tmp_path / "plan.doc").write_bytes(b"\xd0\xcf\x11\xe0" + bytes(100))
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    with pytest.raises(PlanError) as error:
        read_plan(tmp_path / "plan.doc")
    chinese, english = str(error.value).splitlines()
    assert chinese == (f"{tmp_path / 'plan.doc'}：读取这种格式需要 LibreOffice，本机没有安装；"
                       "请安装（Debian/Ubuntu：apt-get install libreoffice-writer-nogui），"
                       "或用 Word/WPS 打开后另存为.docx再导入。")
    assert "apt-get install libreoffice-writer-nogui" in english
    (tmp_path / "plan.et").write_bytes(b"\xd0\xcf\x11\xe0" + bytes(100))
    with pytest.raises(PlanError, match="apt-get install libreoffice-calc-nogui"):
        read_plan(tmp_path / "plan.et")


def test_a_conversion_that_hangs_is_stopped_at_the_time_limit(tmp_path, monkeypatch):
    _fake_soffice(tmp_path / "bin", "sleep 30")
    (tmp_path / "plan.wps").write_bytes(b"\xd0\xcf\x11\xe0" + bytes(100))
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    monkeypatch.setattr(convert, "CONVERT_SECONDS", 0.5)
    started = time.monotonic()
    with pytest.raises(PlanError) as error:
        read_plan(tmp_path / "plan.wps")
    assert time.monotonic() - started < 10
    assert str(error.value).splitlines()[1] == (f"{tmp_path / 'plan.wps'}: LibreOffice did not convert it within 0.5 s "
                                                "and was stopped; open the file and save it as .docx")


def test_a_conversion_that_fails_says_so(tmp_path, monkeypatch):
    _fake_soffice(tmp_path / "bin", 'echo "Error: source file could not be loaded" >&2; exit 1')
    (tmp_path / "plan.doc").write_bytes(b"not a document")
    monkeypatch.setenv("PATH", f"{tmp_path / 'bin'}:/usr/bin:/bin")
    with pytest.raises(PlanError) as error:
        read_plan(tmp_path / "plan.doc")
    assert str(error.value).splitlines()[1] == (
        f"{tmp_path / 'plan.doc'}: LibreOffice could not convert it (Error: source file could not be loaded): it may "
        "be damaged or password-protected; open the file and save it as .docx")


def test_a_printed_pdf_paragraph_runs_on_over_the_page_and_its_page_numbers_are_not_text(tmp_path):
    """A prose PDF keeps lines: a paragraph wrapped at the margin is one paragraph again, also
    when it runs on to the next page past the page number ("- 1 -"); an indented line or an item
    number starts a new one."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    from bot.plan.readers import pdf

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("gw", fontName="STSong-Light", fontSize=12, leading=20, wordWrap="CJK", firstLineIndent=24)
    long_item = ("2.推进全民科学素质行动，组织开展科普日、科技活动周等主题活动，动员全市各级学会、"
                 "科普教育基地和科技志愿者队伍深入社区、农村、学校、企业开展科普宣传和咨询服务，"
                 "全年举办各类科普活动不少于200场次，受益群众不少于10万人次。（牵头单位：科普部，11月底前完成）")
    texts = ["某市科协2026年工作要点", "1.召开年度工作会议。（牵头单位：办公室，3月底前）", long_item,
             "3.完成学会年检。（牵头单位：学会部，12月底前）"]

    def foot(canvas, document):
        canvas.setFont("STSong-Light", 10)
        canvas.drawCentredString(A4[0] / 2, 30, f"- {document.page} -")

    path = tmp_path / "plan.pdf"
    story = [Paragraph(texts[0], style), Paragraph(texts[1], style), Spacer(1, 600)]
    story += [Paragraph(text, style) for text in texts[2:]]
    SimpleDocTemplate(str(path), pagesize=A4).build(story, onFirstPage=foot, onLaterPages=foot)
    document = pdf.read(path)
    assert [(b.text, b.place.page) for b in document.blocks] == [
        (texts[0], 1), (texts[1], 1), (long_item, 1), (texts[3], 2)]
