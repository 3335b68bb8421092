"""The local chat over real HTTP: uvicorn on a loopback socket, httpx as the browser."""

from __future__ import annotations

from datetime import date

import httpx
import pytest

from tests.conftest import make_bot


def test_the_page_answers_a_message(tmp_path, serve):
    base = serve(make_bot(tmp_path, on=date(2020, 11, 2)))
    with httpx.Client(base_url=base, timeout=10) as client:
        page = client.get("/")
        assert page.status_code == 200
        assert "<option value=\"严众能\">严众能</option>" in page.text
        assert "龙岩市科协2020年度工作要点" in page.text
        answer = client.post("/api/messages", json={"as": "严众能", "text": "@督办助手 严众能负责什么"})
        assert answer.status_code == 200
        assert answer.json()["refs"] == ["2.8", "3.1", "3.4", "3.6", "3.8"]
        assert answer.json()["reply"].startswith("严众能负责的任务（5项）：")
        feed = client.get("/api/feed", params={"after": 0}).json()
        assert [(e["who"], e["from_bot"]) for e in feed] == [("严众能", False), ("督办助手", True)]
        assert feed[1]["text"] == answer.json()["reply"]
        assert client.get("/healthz").json() == {"ok": True, "plan": "龙岩市科协2020年度工作要点",
                                                 "today": "2020-11-02"}


SHAPE = '请求格式不对：应为 {"as": "姓名", "text": "要说的话"}，text 是文字。'


@pytest.mark.parametrize("body, status, said", [
    (b"not json", 400, '请求内容不是 JSON，请按 {"as": "姓名", "text": "要说的话"} 的格式发送。'),
    (b'{"text": 3}', 422, SHAPE),
    (b'["x"]', 422, SHAPE),
    ('{"as": "张三", "text": "我的任务"}'.encode(), 422,
     "计划和配置里都没有“张三”：请在页面上方“我是”里选一个人（如 朱明生、陈家国、林丽、刘艺平、梁伟坚）。"),
    (b'{"as": 5, "text": "x"}', 422, "“as”应是一个姓名（文字）。"),
    (b'{"text": "  "}', 422, "消息是空的：请输入要说的话再发送。"),
    ('{"text": "' + "查" * 2001 + '"}', 413, "消息太长了（2001字）：一条最多 2000 字，请精简后再发。"),
    (b"x" * 70000, 413, "内容太长：最多 65536 字节，请分几次发送。"),
])
def test_bad_requests_are_4xx_in_chinese_and_change_nothing(tmp_path, serve, body, status, said):
    base = serve(make_bot(tmp_path))
    with httpx.Client(base_url=base, timeout=10) as client:
        response = client.post("/api/messages", content=body, headers={"content-type": "application/json"})
        assert (response.status_code, response.json()["error"]) == (status, said)
        assert client.get("/api/feed").json() == []


def test_a_token_in_config_is_required(tmp_path, serve):
    base = serve(make_bot(tmp_path, server={"token": "s3cret"}))
    with httpx.Client(base_url=base, timeout=10) as client:
        assert client.get("/").status_code == 401
        assert client.post("/api/messages", json={"text": "帮助"}).status_code == 401
        assert client.get("/", params={"token": "s3cret"}).status_code == 200
        ok = client.post("/api/messages", json={"text": "帮助"}, headers={"X-Duban-Token": "s3cret"})
        assert ok.status_code == 200
        assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize("headers", [
    {"origin": "http://evil.example"},  # a page elsewhere posting through the user's browser
    {"host": "attacker.rebind.example"},  # DNS rebinding onto 127.0.0.1
])
def test_a_cross_site_request_is_refused_and_changes_nothing(tmp_path, serve, headers):
    bot = make_bot(tmp_path, on=date(2020, 11, 2))
    base = serve(bot)
    with httpx.Client(base_url=base, timeout=10) as client:
        response = client.post("/api/messages", json={"as": "徐锦清", "text": "完成 3.3"}, headers=headers)
        assert (response.status_code, response.json()) == (403, {
            "error": "拒绝来自其他网站的请求：请直接在本机的页面上操作（地址栏里打开本服务的地址）。",
            "code": "cross_site"})
        assert client.get("/api/feed", headers=headers).status_code == 403
        assert client.get("/api/feed").json() == []
    assert not bot.store.task(bot.store.active_plan().id, "3.3").done
