"""Every prose or label-block plan in ../shared/plans reads exactly as its hand-checked
expected.json says (issue 14 "Must show"), from its text copy and from a Word file, a saved web
page and a printed PDF (lines wrapped at the margin, page numbers at the foot) holding the same
paragraphs, through the product's own readers: one whole-table assertion per plan and file."""

from __future__ import annotations

import pytest

from bot.plan import read_plan
from tests.prose_plans import (
    PLANS,
    PROSE_PLANS,
    YEARS,
    expected,
    expected_reading,
    html_copy,
    pdf_copy,
    reading,
    word_copy,
)


def _cut_off(folder: str) -> set[str]:
    tail = expected(folder)["truncated_tail"]
    return {tail["ref"]} if tail else set()


COPIES = {"txt": None, "docx": word_copy, "html": html_copy, "pdf": pdf_copy}


@pytest.mark.parametrize("kind", COPIES)
@pytest.mark.parametrize("folder", PROSE_PLANS)
def test_reads_as_expected(folder, kind, tmp_path):
    source = PLANS / folder / "source.txt"
    path = source if kind == "txt" else COPIES[kind](source, tmp_path / f"plan.{kind}")
    plan = read_plan(path, YEARS.get(folder))
    tasks = [row for row in reading(plan) if row["ref"] not in _cut_off(folder)]
    assert tasks == expected_reading(folder)
    assert plan.year == (YEARS.get(folder) or expected(folder)["plan_year"])
    if expected(folder)["title"]:
        assert plan.title == expected(folder)["title"]
