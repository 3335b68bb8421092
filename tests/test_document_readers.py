"""Readers cut a file into the document model and nothing else (DESIGN §3.1): paragraphs with their
outline level and Word's numbering, tables with their merges, in reading order."""

from __future__ import annotations

from pathlib import Path

import docx
from lxml import etree

from bot.plan.document import Paragraph, Table
from bot.plan.readers import read_document
from tests.plans import SEED

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _numbered_docx(path: Path) -> Path:
    """A Word file numbered by Word itself: 一、/（一） levels (chineseCounting) and a List Number list."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, etree.fromstring(
        f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
        '</w:abstractNum>'))
    numbering.append(etree.fromstring(f'<w:num xmlns:w="{W}" w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for text, level in (("总体要求", 0), ("压实责任", 1), ("抓好党建", 1), ("服务创新", 0), ("争创工作站", 1)):
        paragraph = document.add_paragraph(text)
        paragraph._p.get_or_add_pPr().append(etree.fromstring(
            f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))
    document.add_heading("重点任务", level=2)
    document.add_paragraph("召开会议", style="List Number")
    document.add_paragraph("举办培训", style="List Number")
    document.save(str(path))
    return path


def test_word_paragraphs_keep_their_numbering_and_level(tmp_path):
    document = read_document(_numbered_docx(tmp_path / "n.docx"))
    assert [(p.numbering, p.text, p.level) for p in document.paragraphs] == [
        ("一、", "总体要求", None), ("（一）", "压实责任", None), ("（二）", "抓好党建", None),
        ("二、", "服务创新", None), ("（一）", "争创工作站", None), (None, "重点任务", 2),
        ("1.", "召开会议", None), ("2.", "举办培训", None)]


def test_a_text_copy_is_cut_by_its_own_marks(tmp_path):
    pipes = tmp_path / "pipes.txt"
    pipes.write_text("标题\n| 工作任务 | 目标 |\n|---|---|\n| 甲 | 乙 |\n说明\n", encoding="utf-8")
    document = read_document(pipes)
    assert [type(b).__name__ for b in document.blocks] == ["Paragraph", "Table", "Paragraph"]
    assert [[c.text for c in r.cells] for r in document.tables[0].rows] == [["工作任务", "目标"], ["甲", "乙"]]
    assert [r.place.line for r in document.tables[0].rows] == [2, 4]
    lines = tmp_path / "lines.txt"
    lines.write_text("序号\n\n工作任务\n1\n\n召开会议", encoding="utf-8")
    document = read_document(lines)
    assert all(isinstance(b, Paragraph) for b in document.blocks)
    assert [(p.text, p.place.line) for p in document.paragraphs] == [
        ("序号", 1), ("", 2), ("工作任务", 3), ("1", 4), ("", 5), ("召开会议", 6)]
    tabs = tmp_path / "tabs.txt"
    tabs.write_text("序号\t工作任务\t完成时限\n1\t召开会议\t6月底前\n", encoding="utf-8")
    assert [[c.text for c in r.cells] for r in read_document(tabs).tables[0].rows] == [
        ["序号", "工作任务", "完成时限"], ["1", "召开会议", "6月底前"]]


def test_the_seeds_tab_led_cells_are_one_flat_table_between_paragraphs():
    document = read_document(SEED)
    [table] = document.tables
    assert table.flat and table.blank_is_merge
    assert [r.cells[0].text for r in table.rows[:3]] == ["工作内容", "完成 时间", "牵头\n\n领导"]
    after = document.blocks[document.blocks.index(table) + 1:]
    assert all(isinstance(b, Paragraph) for b in after) and after[0].text.startswith("抄送")


def test_a_web_page_keeps_headings_paragraphs_and_merges(tmp_path):
    page = tmp_path / "p.html"
    page.write_text('<html><head><meta charset="gbk"></head><body><h2>2021年工作要点</h2><p>一、总体要求</p>'
                    '<table><tr><th>序号</th><th>工作任务</th></tr><tr><td rowspan="2">1</td><td>甲<br>乙</td></tr>'
                    '<tr><td>丙</td></tr></table><div>抄送：各单位</div></body></html>', encoding="gbk")
    document = read_document(page)
    assert [(b.text, b.level) for b in document.blocks if isinstance(b, Paragraph)] == [
        ("2021年工作要点", 2), ("一、总体要求", None), ("抄送：各单位", None)]
    [table] = [b for b in document.blocks if isinstance(b, Table)]
    assert [[(c.text, c.merged) for c in r.cells] for r in table.rows] == [
        [("序号", None), ("工作任务", None)], [("1", None), ("甲\n\n乙", None)], [("1", "down"), ("丙", None)]]
