"""Uploads on /admin previewed and never imported are removed after a day (when the next upload
comes, or when the page starts), on the bot's clock; an imported one never is."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import httpx

from bot.web import create_app
from tests.conftest import make_bot
from tests.plans import DATA

TOKEN = "s3cret"
WEIHAI = DATA / "plans" / "03_weihai_swj_2017_zwgk" / "plan.xlsx"  # a copy of ../shared/plans/03


def upload(base: str, name: str) -> str:
    """Upload 威海's table as ``name``; the upload's id from the preview's form."""
    with WEIHAI.open("rb") as file:
        answer = httpx.post(f"{base}/admin/upload?token={TOKEN}", files={"plan": (name, file)},
                            data={"year": "2017"}, timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.text.split('name="upload" value="')[1].split('"')[0]


def kept(tmp_path: Path) -> set[str]:
    return {p.name for p in (tmp_path / "uploads").iterdir()}


def test_unimported_uploads_go_after_a_day_imported_ones_stay(tmp_path, serve):
    bot = make_bot(tmp_path, on=date(2020, 11, 27), server={"token": TOKEN})
    base = serve(bot)
    first = upload(base, "一.xlsx")
    bot.clock.advance(hours=23)
    second = upload(base, "二.xlsx")
    assert kept(tmp_path) == {first, second}  # 23 hours: both kept
    bot.clock.advance(hours=2)
    third = upload(base, "三.xlsx")
    assert kept(tmp_path) == {second, third}  # the first, 25 hours old and never imported, is gone
    answer = httpx.post(f"{base}/admin/import?token={TOKEN}", data={"upload": second, "year": "2017"}, timeout=30)
    assert answer.status_code == 200
    assert kept(tmp_path) == {third}
    bot.clock.advance(days=3)
    create_app(bot)  # a start: the page sweeps what the last run left
    assert kept(tmp_path) == set()
    assert [p.name for p in (tmp_path / "plans").iterdir()] == ["二.xlsx"]  # the imported one stays
    # The office's own plan; the bundled sample nobody used is withdrawn by the import.
    assert [p.title for p in bot.store.plans()] == ["威海市商务局 2017 年政务公开重点工作实施方案"]
    # A preview that is gone answers as gone, in Chinese, and changes nothing.
    gone = httpx.post(f"{base}/admin/import?token={TOKEN}", data={"upload": third}, timeout=10)
    assert gone.status_code == 400 and "找不到这次上传的文件" in gone.text
    bot.close()
