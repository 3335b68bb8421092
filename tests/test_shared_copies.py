"""The copies in tests/data stay equal to ../shared (when ../shared is beside the clone, as in CI)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.plans import CASES, EXPECTED, SEED

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is not beside this clone")
def test_copies_equal_shared():
    assert EXPECTED.read_bytes() == (SHARED / "seeds" / EXPECTED.name).read_bytes()
    shared_cases = sorted(p.name for p in (SHARED / "cases").glob("*.json"))
    assert sorted(p.name for p in CASES.glob("*.json")) == shared_cases
    for name in shared_cases:
        assert (CASES / name).read_bytes() == (SHARED / "cases" / name).read_bytes(), name
    assert SEED.read_bytes() == (
        SHARED / "seeds" / "000_f0aa2ea22da83b28.txt").read_bytes()
    questions = Path(__file__).resolve().parent / "data" / "questions"
    for name in ("dev.json", "README.md"):
        assert (questions / name).read_bytes() == (SHARED / "questions" / name).read_bytes(), name


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is not beside this clone")
def test_plan_copies_equal_shared():
    """tests/data/plans holds every file of ../shared/plans (all 13 plans), each equal to it."""
    copies = Path(__file__).resolve().parent / "data" / "plans"
    shared = sorted(p.relative_to(SHARED / "plans") for p in (SHARED / "plans").rglob("*") if p.is_file())
    assert sorted(p.relative_to(copies) for p in copies.rglob("*") if p.is_file()) == shared
    for name in shared:
        assert (copies / name).read_bytes() == (SHARED / "plans" / name).read_bytes(), name
