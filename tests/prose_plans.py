"""Prose plans for tests: the shared plans' copies, Documents made from text, Word copies, and
the reading compared by the product's task fields (plans/README.md "Mapping to the product's
task fields")."""

from __future__ import annotations

import json
from pathlib import Path

from bot.plan.document import Document, Paragraph, Place
from bot.plan.model import PlanDraft
from bot.text import clean_name

PLANS = Path(__file__).resolve().parent / "data" / "plans"
PROSE_PLANS = ["08_lishui_2023_zfgzbg", "09_guangzhou_2006_sfb19", "10_zhejiang_kepu_fragment",
               "11_lishui_kexie_2021", "12_puyang_kjj_2019q4", "13_caidian_2023_zfgzbg"]
# 10 is a fragment with no year anywhere in it: its tests pass one (expected.json "plan_year_note").
YEARS = {"10_zhejiang_kepu_fragment": 2024}


def expected(folder: str) -> dict:
    """The plan's hand-checked reading (expected.json) as parsed JSON."""
    return json.loads((PLANS / folder / "expected.json").read_text(encoding="utf-8"))


def text_document(path: Path, text: str | None = None) -> Document:
    """``path``'s text (or ``text``) as a Document: one paragraph per line, placed by line."""
    text = path.read_text(encoding="utf-8") if text is None else text
    return Document(str(path), [Paragraph(line, Place(line=number))
                                for number, line in enumerate(text.split("\n"), start=1)])


def word_copy(path: Path, target: Path) -> Path:
    """``path``'s text as a Word file at ``target``: one paragraph per line, as a person would
    paste it into Word (the readers place its paragraphs by number, not by line)."""
    import docx

    document = docx.Document()
    for line in path.read_text(encoding="utf-8").split("\n"):
        document.add_paragraph(line)
    document.save(str(target))
    return target


def html_copy(path: Path, target: Path) -> Path:
    """``path``'s text as a saved web page at ``target``: one <p> per line."""
    from html import escape

    body = "".join(f"<p>{escape(line)}</p>" for line in path.read_text(encoding="utf-8").split("\n"))
    target.write_text(f'<html><head><meta charset="utf-8"></head><body>{body}</body></html>', encoding="utf-8")
    return target


def pdf_copy(path: Path, target: Path) -> Path:
    """``path``'s text as a PDF at ``target``, as a 公文 is printed: A4, each line a paragraph
    with a two-character first-line indent, wrapped at the margin (so a paragraph is several
    lines, and long ones run on to the next page), the page number centred at the foot
    ("- 2 -"). reportlab's built-in CJK font: no font package."""
    from html import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph as Para
    from reportlab.platypus import SimpleDocTemplate

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("gw", fontName="STSong-Light", fontSize=12, leading=20, wordWrap="CJK", firstLineIndent=24)

    def foot(canvas, document):
        canvas.setFont("STSong-Light", 10)
        canvas.drawCentredString(A4[0] / 2, 30, f"- {document.page} -")

    lines = path.read_text(encoding="utf-8").split("\n")
    SimpleDocTemplate(str(target), pagesize=A4).build([Para(escape(line) or "&nbsp;", style) for line in lines],
                                                       onFirstPage=foot, onLaterPages=foot)
    return target


def reading(plan: PlanDraft) -> list[dict]:
    """Every task of ``plan`` by the product's fields (DESIGN §8 ``tasks --json``)."""
    headings = {s.position: s.heading for s in plan.sections}
    return [{
        "ref": t.ref, "section": headings.get(t.section), "content": t.content,
        "deadline_text": t.deadline.text or None, "due": t.deadline.due.isoformat() if t.deadline.due else None,
        "lead": [*t.lead, *t.lead_units], "owners": t.owners, "units": t.all_units, "cooperating": t.cooperating,
    } for t in plan.tasks]


def expected_reading(folder: str) -> list[dict]:
    """expected.json's tasks mapped to the product's fields as plans/README.md says (names in
    their stored form: ASCII brackets are full-width ones, DESIGN §3)."""
    rows = []
    for task in expected(folder)["tasks"]:
        people = task["lead"] if task["lead_kind"] == "person" else []
        units = (task["lead"] if task["lead_kind"] == "unit" else []) + task.get("lead_units", [])
        everything = list(dict.fromkeys([*units, *task["units"], *task["cooperating_units"]]))
        rows.append({
            "ref": task["ref"], "section": task["section"], "content": task["content"],
            "deadline_text": task["deadline_text"], "due": task["due"],
            "lead": [clean_name(n) for n in [*people, *units]], "owners": [clean_name(n) for n in task["owners"]],
            "units": [clean_name(n) for n in everything],
            "cooperating": [clean_name(n) for n in task["cooperating_units"]],
        })
    return rows
