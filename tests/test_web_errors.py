"""Refusals of the bot's own server in Chinese (bot/web_errors.py): a page for a browser, JSON
with a Chinese "error" for a script, the status codes kept; the platform callbacks still answer
their protocol's way; and no route answers 5xx to any of a few hundred odd requests."""

from __future__ import annotations

import re
from datetime import date

import httpx
import pytest

from bot.render import ROOT
from bot.web_errors import said
from tests.conftest import make_bot
from tests.test_wecom import wecom_bot

PAGE = {"accept": "text/html,application/xhtml+xml,*/*;q=0.8"}  # what a browser sends
TOKEN_REQUIRED = ("需要口令才能打开：请在地址后加上 ?token=口令（配置文件 server.token 的值），"
                  "或在请求头 X-Duban-Token 里带上口令。")
TOKEN = "s3cret-0123456789ab"


def page_text(response: httpx.Response) -> tuple[str, str]:
    """The page's <h1> and first paragraph."""
    title = re.search(r"<h1>(.*?)</h1>", response.text)[1]
    message = re.search(r"<p>(.*?)</p>", response.text, re.S)[1]
    return title, message


@pytest.mark.parametrize("path", ["/", "/status", "/api/feed", "/api/people"])
def test_a_missing_token_is_said_in_chinese_to_a_browser_and_to_a_script(tmp_path, serve, path):
    base = serve(make_bot(tmp_path, server={"token": TOKEN}))
    with httpx.Client(base_url=base, timeout=10) as client:
        browser = client.get(path, headers=PAGE)
        script = client.get(path)
    assert (browser.status_code, browser.headers["content-type"]) == (401, "text/html; charset=utf-8")
    assert page_text(browser) == ("需要口令", TOKEN_REQUIRED)
    assert "<title>督办助手 · 需要口令</title>" in browser.text and "token required" not in browser.text
    assert (script.status_code, script.json()) == (401, {"error": TOKEN_REQUIRED, "code": "token_required"})


def test_no_such_page_and_a_wrong_method_are_chinese_with_their_codes(tmp_path, serve):
    base = serve(make_bot(tmp_path, server={"token": TOKEN}))
    with httpx.Client(base_url=base, timeout=10) as client:
        missing = client.get("/nothing-here", headers=PAGE)
        missing_json = client.get("/nothing-here")
        wrong = client.post("/status", params={"token": TOKEN})
        wrong_page = client.delete("/healthz", headers=PAGE)
    not_found = "没有“/nothing-here”这个页面。可以打开：首页 /（本地群聊）、/status（工作进度）、/admin（管理）。"
    assert (missing.status_code, page_text(missing)) == (404, ("找不到这个页面", not_found))
    assert (missing_json.status_code, missing_json.json()) == (404, {"error": not_found, "code": "not_found"})
    assert (wrong.status_code, wrong.headers["allow"]) == (405, "GET, HEAD")
    assert wrong.json() == {"error": "“/status”不接受 POST 请求，只接受 GET, HEAD。", "code": "method_not_allowed"}
    assert (wrong_page.status_code, page_text(wrong_page)) == (
        405, ("不支持这种请求方式", "“/healthz”不接受 DELETE 请求，只接受 GET, HEAD。"))
    for response in (missing, missing_json, wrong, wrong_page):
        assert "Not Found" not in response.text and "Method Not Allowed" not in response.text


def test_the_local_feed_refuses_a_bad_after_in_chinese(tmp_path, serve):
    base = serve(make_bot(tmp_path))
    response = httpx.get(f"{base}/api/feed", params={"after": "x"}, timeout=10)
    assert (response.status_code, response.json()) == (400, {
        "error": "参数 after 应是整数（上次看到的消息编号），如 /api/feed?after=0。", "code": "after_not_number"})


def test_platform_callbacks_keep_answering_their_own_way(tmp_path, serve):
    base = serve(wecom_bot(tmp_path))
    unsigned = httpx.post(f"{base}/wecom/app", content=b"<xml/>", timeout=10)
    assert (unsigned.status_code, unsigned.content) == (400, b"")  # not an envelope: WeCom gets an empty 400
    put = httpx.put(f"{base}/wecom/app", timeout=10)  # no such method on a callback: the same Chinese JSON
    assert (put.status_code, put.json()["code"]) == (405, "method_not_allowed")


def test_every_sentence_of_web_errors_renders_in_chinese():
    source = (ROOT / "bot" / "templates" / "web_errors.j2").read_text(encoding="utf-8")
    keys = re.findall(r"{% macro (\w+)\(", source)
    values = {"path": "/x", "method": "PUT", "allowed": "GET", "limit": 10, "length": 11, "name": "某", "known": [],
              "status": 400}
    for key in keys:
        needed = re.search(rf"{{% macro {key}\((.*?)\)", source)[1]
        args = {name.strip(): values[name.strip()] for name in needed.split(",") if name.strip()}
        text = said(key, **args)
        assert re.match(r"[\u4e00-\u9fff“]", text), (key, text)  # Chinese first
    assert len(keys) == 16


METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
PATHS = ["/", "/status", "/healthz", "/api/messages", "/api/feed", "/api/people", "/admin", "/admin/upload",
         "/wecom/app", "/wecom/aibot", "/dingtalk/callback", "/%ff%fe", "/status/../api/feed", "/x" * 300]
QUERIES = ["", "?after=99999999999999999999999999", "?after=-1e999", "?token=%00%ff", "?msg_signature=a&timestamp=x",
           "?echostr=%ZZ&nonce="]
BODIES = [b"", b"{", b'{"as": "\xff", "text": "\xed\xa0\x80"}', b"[" * 5000, b'{"text": "\\ud800"}']


def test_no_route_answers_5xx_to_odd_requests(tmp_path, serve):
    bot = make_bot(tmp_path, on=date(2020, 11, 2), dingtalk={"mode": "http", "app_key": "k", "app_secret": "s"},
                   wecom={"corp_id": "ww1", "token": "t", "encoding_aes_key": "a" * 43, "agent_id": 1,
                          "aibot": {"token": "t", "encoding_aes_key": "a" * 43}})
    base = serve(bot)
    seen = {}
    with httpx.Client(base_url=base, timeout=10) as client:
        for n, (method, path) in enumerate((m, p) for m in METHODS for p in PATHS):
            query, body = QUERIES[n % len(QUERIES)], BODIES[n % len(BODIES)]
            response = client.request(method, path + query, content=body if method not in ("GET", "HEAD") else None,
                                      headers={"content-type": "application/json", **(PAGE if n % 2 else {})})
            seen[(method, path, query)] = response.status_code
    assert len(seen) == len(METHODS) * len(PATHS) == 98
    assert [key for key, status in seen.items() if status >= 500] == []
    assert not list(bot.store.read("SELECT * FROM inbound"))  # nothing was taken for a message


def test_in_chromium_the_local_chat_shows_a_refusal_as_its_chinese_sentence(tmp_path, serve):
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
    from tests.test_status_page import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium")
    base = serve(make_bot(tmp_path, on=date(2020, 11, 2)))
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(f"{base}/")
            # A name the server does not know (a stale page after the plan changed): refused with 422.
            page.evaluate("""() => { const o = document.createElement("option"); o.value = o.textContent = "王五";
                                     document.getElementById("as").append(o); o.selected = true; }""")
            page.fill("#text", "我的任务")
            page.click("button[type=submit]")
            page.wait_for_selector(".msg.error")
            assert page.inner_text(".msg.error") == (
                "计划和配置里都没有“王五”：请在页面上方“我是”里选一个人（如 朱明生、陈家国、林丽、刘艺平、梁伟坚）。")
            missing = page.goto(f"{base}/no-such-page")
            assert missing is not None and missing.status == 404
            assert page.title() == "督办助手 · 找不到这个页面"
            assert page.inner_text("h1") == "找不到这个页面"
        finally:
            browser.close()
