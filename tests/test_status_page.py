"""The status page, ``GET /status``: in a real headless Chromium against the app served on
loopback (uvicorn, the ``serve`` fixture), its numbers from the page's data, and the token rule
it shares with the local chat."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import httpx
import pytest

from bot.status import status_page
from tests.conftest import make_bot
from tests.plans import EXPECTED

PLAN = json.loads(EXPECTED.read_text(encoding="utf-8"))
SECTION_3 = next(s for s in PLAN["sections"] if s["number"] == "三")
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


def test_the_page_in_chromium_shows_35_tasks_and_section_3(office, serve):
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium")
    base = serve(office)
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            asked: list[str] = []
            page.on("request", lambda request: asked.append(request.url))
            response = page.goto(f"{base}/status")
            assert response is not None and response.status == 200
            assert page.title() == "督办助手 · 工作进度"
            assert page.locator("article.task").count() == PLAN["task_count"] == 35
            assert page.inner_text("#done-total") == "1/35"
            row = page.locator(f'tr.section[data-section="{SECTION_3["index"]}"]')
            cells = row.locator("td").all_inner_texts()
            assert cells[:4] == ["三、进一步塑造科普品牌", f"1/{SECTION_3['task_count']}", "3", "11%"]
            assert row.locator("svg rect").count() == 3  # the chart: all, done, overdue
            card = page.locator("#task-3\\.3")
            assert card.locator(".badge").inner_text() == "已完成"
            assert card.locator("ul.shares li").all_inner_texts() == ["林永禄：11月28日 10:00完成",
                                                                        "童聪良：11月28日 15:04完成"]
            card.locator("summary").click()  # the history opens without any script of ours
            assert card.locator("details li").all_inner_texts() == [
                "2020-11-28 10:00 导入计划", "2020-11-28 10:00 林永禄报完成", "2020-11-28 15:04 童聪良报完成"]
            assert "已完成龙岩站巡展 <b>长汀</b>" in page.locator("#task-3\\.1").inner_text()  # shown, not markup
            assert page.locator("#task-3\\.1 b").count() == 0
            assert asked == [f"{base}/status"]  # nothing fetched from anywhere else
        finally:
            browser.close()


def test_progress_by_section_and_by_owner(office):
    page = status_page(office)
    assert (page.overall.done, page.overall.total, page.overall.overdue) == (1, 35, 7)
    assert [(s.label, s.done, s.total) for s in page.sections] == [
        (f"{s['number']}、{s['title']}", int(s["number"] == "三"), s["task_count"]) for s in PLAN["sections"]]
    owners = {p.label: (p.done, p.total, p.overdue) for p in page.owners}
    lin = [t["id"] for t in PLAN["tasks"] if "林永禄" in t["responsible"]]
    assert owners["林永禄"] == (1, len(lin), 3)  # 3.3 done; 3.2, 3.4 and 3.5 overdue on 28 November
    assert owners["严众能"] == (1, 5, 0)  # 3.4 is overdue, but his share of it is done
    assert owners["童聪良"] == (1, 2, 0)
    cards = {c.task.ref: c for c in page.cards}
    assert (cards["3.3"].state, [e.kind for e in cards["3.3"].history]) == (
        "done", ["task.created", "share.completed", "share.completed"])
    assert [n["text"] for n in cards["3.1"].notes] == ["已完成龙岩站巡展 <b>长汀</b>"]


def test_an_archived_plan_counts_nothing_overdue(tmp_path, serve):
    bot = make_bot(tmp_path, on=date(2021, 3, 1))
    html = httpx.get(f"{serve(bot)}/status", timeout=10).text
    assert "本计划已归档" in html and "已逾期" not in html and "逾期未完成" not in html
    assert html.count('<span class="badge">未办结</span>') == 35
    assert status_page(bot).overall.overdue == 0
    bot.close()


def test_off_loopback_the_page_needs_the_token(tmp_path, serve):
    bot = make_bot(tmp_path, server={"host": "0.0.0.0", "token": "s3cret-0123456789ab"})
    client = httpx.Client(base_url=serve(bot), timeout=10)
    assert client.get("/status").status_code == 401
    assert client.get("/status", params={"token": "wrong"}).status_code == 401
    assert client.get("/status", params={"token": "s3cret-0123456789ab"}).status_code == 200
    assert client.get("/status", headers={"X-Duban-Token": "s3cret-0123456789ab"}).status_code == 200
    assert client.post("/status", params={"token": "s3cret-0123456789ab"}).status_code == 405  # read-only
    client.close()
    bot.close()


def test_on_loopback_without_a_token_the_page_is_open(bot, serve):
    response = httpx.get(f"{serve(bot)}/status", timeout=10)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "龙岩市科协2020年度工作要点" in response.text



def test_the_chat_and_the_page_count_overdue_alike(tmp_path):
    """One definition (handlers.status.state): on 2020-11-28 seven tasks are overdue in both; once
    the plan is archived (2022) none is, and the chat says the open ones are 未办结."""
    bot = make_bot(tmp_path, on=date(2020, 11, 28))
    assert bot.say("进度").text.splitlines()[0] == "龙岩市科协2020年度工作要点进度：已完成0/35项，逾期未完成7项。"
    assert status_page(bot).overall.overdue == 7
    bot.clock.set(date(2022, 3, 1))
    assert bot.say("进度").text.splitlines()[0] == ("龙岩市科协2020年度工作要点进度：已完成0/35项，"
                                                    "35项未办结（计划已归档）。")
    assert status_page(bot).overall.overdue == 0
    bot.close()
