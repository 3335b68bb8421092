"""The callback path made cheaper (issue 13 "Speed"; bench/webhook_cpu.py) stays as strict and as
durable as before: the writer's group commits (what waits for the disk and what does not),
one-statement writes, the direct route past Starlette's layers, the answer cache after a 完成
over the wire, and the text cleaners' fast paths."""

from __future__ import annotations

import asyncio
import sqlite3
import unicodedata
from datetime import date

import httpx
import pytest

from bot.messages import InboundKey
from bot.store import Store, inbound
from bot.text import MAX_ID, clean_id, clean_message, is_blank_char
from bot.writer import Writer
from tests import wecom_peer as peer
from tests.conftest import make_bot
from tests.test_wecom import KEY, TOKEN, aibot_reply, wecom_bot

KEY_A = InboundKey("wecom", "wrkGROUP", "YanZhongNeng", "m1")


def traced(store: Store) -> list[str]:
    """Every statement the store's connection runs from now on, in order."""
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    return statements


def test_a_group_with_an_awaited_job_waits_for_the_disk_and_one_of_later_jobs_only_does_not(tmp_path):
    store = Store(tmp_path / "duban.db")
    writer = Writer(store)
    try:
        statements = traced(store)
        writer.submit(inbound.claim, store, KEY_A, "2020-11-02T10:00:00+08:00").result()
        assert not [s for s in statements if s.startswith("PRAGMA synchronous")]
        statements.clear()
        writer.later(inbound.mark_delivered, store, KEY_A, "passive")
        writer.close()  # commits what is queued
        pragmas = [s for s in statements if s.startswith(("PRAGMA synchronous", "BEGIN", "COMMIT"))]
        assert pragmas == ["PRAGMA synchronous = NORMAL", "BEGIN IMMEDIATE", "COMMIT", "PRAGMA synchronous = FULL"]
        assert store.read("SELECT delivered_via FROM inbound") == [{"delivered_via": "passive"}]
        assert store.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL again for the next group
    finally:
        store.close()


def test_awaited_jobs_get_their_own_results_and_a_failing_one_is_undone_alone(tmp_path):
    store = Store(tmp_path / "duban.db")
    writer = Writer(store)

    def claim(n: int) -> bool:
        return inbound.claim(store, KEY_A._replace(msg_id=f"m{n}"), "2020-11-02T10:00:00+08:00")

    def claim_then_fail() -> None:
        claim(99)
        raise ValueError("the answer failed")

    async def main():
        jobs = [writer.run(claim, n) for n in range(40)] + [writer.run(claim, 3), writer.run(claim_then_fail)]
        return await asyncio.gather(*jobs, return_exceptions=True)

    try:
        results = asyncio.run(main())
        assert results[:40] == [True] * 40
        assert results[40] is False  # m3 again: claimed before, a redelivery
        assert isinstance(results[41], ValueError)
        assert len(store.read("SELECT msg_id FROM inbound")) == 40  # m99 undone with its job
    finally:
        writer.close()
        store.close()


def test_a_job_whose_caller_is_cancelled_is_committed_all_the_same(tmp_path):
    store = Store(tmp_path / "duban.db")
    writer = Writer(store)

    async def main():
        task = asyncio.create_task(writer.run(inbound.claim, store, KEY_A, "2020-11-02T10:00:00+08:00"))
        await asyncio.sleep(0)  # the job is queued
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    try:
        asyncio.run(main())
        writer.close()
        assert store.read("SELECT msg_id FROM inbound") == [{"msg_id": "m1"}]
    finally:
        store.close()


def test_a_one_statement_write_needs_no_savepoint_and_a_failing_one_is_undone_alone(tmp_path):
    store = Store(tmp_path / "duban.db")
    try:
        statements = traced(store)
        with store.unit():
            assert inbound.claim(store, KEY_A, "2020-11-02T10:00:00+08:00") is True
            with pytest.raises(sqlite3.IntegrityError):  # NOT NULL received_at: the statement fails
                store.write_one("INSERT INTO inbound (platform, chat_id, sender_id, msg_id, received_at) "
                                "VALUES ('wecom', 'c', 's', 'm2', NULL)", plan_data=False)
            inbound.record_answer(store, KEY_A, "3.3 已完成")
        assert not [s for s in statements if s.startswith(("SAVEPOINT", "RELEASE"))]
        assert store.read("SELECT msg_id, reply FROM inbound") == [{"msg_id": "m1", "reply": "3.3 已完成"}]
        assert inbound.claim(store, KEY_A._replace(msg_id="m3"), "2020-11-02T10:00:00+08:00") is True  # its own
        assert [r["msg_id"] for r in Store(tmp_path / "duban.db").read("SELECT msg_id FROM inbound")] == ["m1", "m3"]
    finally:
        store.close()


@pytest.mark.parametrize(("setting", "level"), [("FULL", 2), ("normal", 1)])
def test_bot_synchronous_sets_the_stores_flush(tmp_path, setting, level):
    bot = make_bot(tmp_path, bot={"synchronous": setting})
    try:
        assert bot.store.db.execute("PRAGMA synchronous").fetchone()[0] == level
        statements = traced(bot.store)
        with bot.store.unit(sync=False):
            inbound.claim(bot.store, KEY_A, "2020-11-02T10:00:00+08:00")
        assert bot.store.db.execute("PRAGMA synchronous").fetchone()[0] == level  # restored, not forced to FULL
        relaxed = [s for s in statements if s.startswith("PRAGMA synchronous =")]
        assert relaxed == ([] if level == 1 else ["PRAGMA synchronous = NORMAL", "PRAGMA synchronous = FULL"])
    finally:
        bot.close()


def test_a_store_refuses_another_synchronous(tmp_path):
    with pytest.raises(ValueError, match="FULL or NORMAL"):
        Store(tmp_path / "duban.db", synchronous="OFF")


def _ask(base: str, text: str, user: str, msg_id: str) -> httpx.Response:
    message = {"msgid": msg_id, "chatid": "wrkGROUP", "chattype": "group", "from": {"userid": user},
               "msgtype": "text", "text": {"content": f"@督办助手 {text}"}}
    query, body = peer.aibot_post(message, TOKEN, KEY)
    return httpx.post(f"{base}/wecom/aibot", params=query, content=body, timeout=10)


def test_a_callback_answer_from_memory_is_never_stale_after_a_completion(tmp_path, serve):
    bot = wecom_bot(tmp_path, on=date(2020, 11, 2),
                    people={"林永禄": {"wecom": "LinYL"}, "童聪良": {"wecom": "TongCL"}, "严众能": {"wecom": "YanZN"}})
    base = serve(bot)

    def status(msg_id: str) -> str:
        content = aibot_reply(_ask(base, "3.3", "YanZN", msg_id))["stream"]["content"]
        return next(line for line in content.splitlines() if line.startswith("状态："))

    assert status("q1") == status("q2") == "状态：进行中"  # the second from memory
    assert aibot_reply(_ask(base, "完成 3.3", "LinYL", "c1"))["stream"]["content"].startswith("3.3 林永禄已完成")
    assert aibot_reply(_ask(base, "完成 3.3", "TongCL", "c2"))["stream"]["content"].startswith("3.3 已全部完成")
    assert status("q3") == "状态：已完成（11月2日 10:00办结）"


def test_a_direct_callback_carries_the_security_headers_and_other_routes_are_unchanged(tmp_path, serve):
    base = serve(wecom_bot(tmp_path))
    answered = _ask(base, "严众能负责什么", "YanZhongNeng", "h1")
    refused = httpx.post(f"{base}/wecom/aibot", params={"msg_signature": "0" * 40, "timestamp": "1795917600",
                                                        "nonce": "n"}, content=b'{"encrypt": "AAAA"}', timeout=10)
    assert (answered.status_code, refused.status_code) == (200, 403)
    for response in (answered, refused):
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["content-security-policy"].startswith("default-src 'none'")
    assert httpx.get(f"{base}/wecom/aibot", timeout=10).status_code == 403  # GET (URL check): Starlette's way
    assert httpx.post(f"{base}/wecom/aibot/x", timeout=10).status_code == 404
    assert httpx.get(f"{base}/healthz", timeout=10).json()["ok"] is True


def _slow_id(text: str) -> str:
    return "".join(ch for ch in text[:4 * MAX_ID] if not (is_blank_char(ch) or 0xD800 <= ord(ch) <= 0xDFFF))[:MAX_ID]


def _slow_message(text: str) -> str:
    return "".join(ch for ch in text if ch in "\n\t" or not (unicodedata.category(ch) == "Cc"
                                                             or 0xD800 <= ord(ch) <= 0xDFFF))


# Every control, format, separator, surrogate, private-use and unassigned kind, and plain text.
ODD = [*range(0x00, 0x3100), 0x3000, 0x200B, 0x200D, 0x2028, 0x2029, 0x2066, 0xFEFF, 0xD800, 0xDBFF, 0xDC00,
       0xDFFF, 0xE000, 0xF8FF, 0x0378, 0xFFFE, 0xFFFF, 0x1D173, 0xE0001, 0xF0000, 0x10FFFF]


def test_the_cleaners_fast_paths_keep_exactly_what_the_character_rules_keep():
    for point in ODD:
        text = f"ab{chr(point)}c"
        assert clean_id(text) == _slow_id(text), hex(point)
        assert clean_message(text) == _slow_message(text), hex(point)
    assert clean_id("x" * 300) == "x" * MAX_ID
    assert clean_id("房" * 600 + " ") == "房" * MAX_ID


def test_an_answer_is_forgotten_after_its_time_when_the_next_message_comes(tmp_path):
    from bot.messages import Message
    from bot.platforms.deliveries import FORGET_AFTER_S, Deliveries

    bot = make_bot(tmp_path)
    deliveries = Deliveries(bot, "wecom", deadline_s=4)

    async def push(reply):
        return True

    async def ask(sender: str):
        message = Message("wecom", "wrG", sender, None, "3.3", "m1", bot.clock.now())
        return await deliveries.answer(message.key, lambda: message, push)

    async def main():
        assert (await ask("u1")).refs == ["3.3"]
        assert (await ask("u2")).refs == ["3.3"]
        assert len(deliveries) == 2
        first = next(iter(deliveries._entries.values()))
        first.made -= FORGET_AFTER_S  # made ten minutes ago: u1's retries are over
        assert await ask("u3") is not None
        assert [key.sender_id for key in deliveries._entries] == ["u2", "u3"]
        assert await ask("u2") is None  # still known: its retry gets the empty acknowledgement

    try:
        asyncio.run(main())
    finally:
        bot.close()
