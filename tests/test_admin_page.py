"""The admin page, ``/admin`` (issue 15): in a real headless Chromium (as the status page test) upload an
.xlsx plan, see the importer's reading as a preview, import it, see it as the current plan; over HTTP the
bad inputs (a wrong token, a file that is not a plan, 50 MB, a name with path parts) each get a clear
Chinese answer and change nothing; unbinding, retrying and cancelling pushes; the downloads."""

from __future__ import annotations

import io
import sqlite3
from datetime import date
from pathlib import Path

import httpx
import openpyxl
import pytest

from bot.store import outbox
from bot.store.completion import Meta, bound_person, confirm_binding, request_binding
from reminders.tick import run_tick
from tests.conftest import make_bot
from tests.office_plans import seed_sheet, write_xlsx
from tests.test_export import rows_by_ref
from tests.test_status_page import CHROMIUM, CHROMIUM_ARGS

TOKEN = "s3cret"
DATA = Path(__file__).resolve().parent / "data"
WEIHAI = DATA / "plans" / "03_weihai_swj_2017_zwgk" / "plan.xlsx"  # a copy of ../shared/plans/…/plan.xlsx


def admin_bot(tmp_path, **config):
    return make_bot(tmp_path, on=date(2020, 11, 27), server={"token": TOKEN}, **config)


def snapshot(bot) -> dict:
    """Everything in the store, to show that a refused request changed nothing."""
    conn = sqlite3.connect(f"{bot.store.path.as_uri()}?mode=ro", uri=True)
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {name: conn.execute(f"SELECT * FROM {name}").fetchall() for name in names}
    finally:
        conn.close()


@pytest.fixture
def plan_2021(tmp_path) -> Path:
    """The seed's table as an office keeps it in Excel, retitled as next year's plan."""
    return write_xlsx(tmp_path / "2021分解表.xlsx", ["龙岩市科协2021年度工作要点", "2021年3月1日"], seed_sheet())


def test_upload_preview_import_in_chromium(tmp_path, serve):
    """Another office's real table (威海市商务局, ../shared/plans/03) as its .xlsx: preview, import, listed."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: apt-get install chromium")
    bot = admin_bot(tmp_path)
    base = serve(bot)
    upload = tmp_path / "威海商务局2017.xlsx"
    upload.write_bytes(WEIHAI.read_bytes())
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            assert page.goto(f"{base}/admin?token={TOKEN}").status == 200
            assert page.title() == "督办助手 · 管理"
            assert page.locator("tr.plan td").all_inner_texts()[:3] == ["龙岩市科协2020年度工作要点", "2020", "35"]
            page.set_input_files("#upload input[type=file]", str(upload))
            page.click("#upload button")
            assert page.title() == "督办助手 · 导入预览"
            assert page.inner_text("#preview h2") == "《威海市商务局 2017 年政务公开重点工作实施方案》（2017年）"
            assert page.inner_text("#task-count") == "8"
            rows = page.locator("tr.task")
            assert [rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())] == [
                "1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "2.5"]
            assert rows.nth(1).locator("td").all_inner_texts()[2:4] == ["11 月底前", "2017-11-30"]
            assert [p.title for p in bot.store.plans()] == ["龙岩市科协2020年度工作要点"]  # a preview writes nothing
            page.click("#confirm button")
            assert page.locator("#result").get_attribute("data-code") == "imported"
            assert "任务：8（新增8，更新0，未变0）" in page.inner_text("pre.report")
            # The office's own plan takes the place of the bundled sample (withdrawn, kept in the store).
            assert "示例计划《龙岩市科协2020年度工作要点》已停用" in page.inner_text("pre.report")
            page.click("text=返回管理页")
            titles = page.locator("tr.plan td:first-child").all_inner_texts()
            assert titles == ["威海市商务局 2017 年政务公开重点工作实施方案"]
        finally:
            browser.close()
    weihai = next(p for p in bot.store.plans() if p.year == 2017)
    one_two = next(t for t in bot.store.tasks(weihai.id) if t.ref == "1.2")
    assert (one_two.lead, one_two.cooperating, one_two.due) == (["政工科"], ["办公室"], date(2017, 11, 30))
    assert [p.name for p in (tmp_path / "plans").iterdir()] == ["威海商务局2017.xlsx"]  # kept beside the store
    assert not any((tmp_path / "uploads").iterdir())
    bot.close()


def test_upload_a_shared_office_plan_and_preview_it(tmp_path, serve):
    bot = admin_bot(tmp_path)
    base = serve(bot)
    with WEIHAI.open("rb") as file:
        answer = httpx.post(f"{base}/admin/upload?token={TOKEN}", files={"plan": ("plan.xlsx", file)},
                            data={"year": "2017"}, timeout=30)
    assert answer.status_code == 200, answer.text
    assert "《威海市商务局 2017 年政务公开重点工作实施方案》（2017年）" in answer.text
    assert answer.text.count('<tr class="task">') == 8
    bot.close()


def test_a_wrong_or_missing_token_gets_401_and_changes_nothing(tmp_path, serve, plan_2021):
    bot = admin_bot(tmp_path)
    base = serve(bot)
    before = snapshot(bot)
    for token in ("", "?token=wrong", "?token=s3cre"):
        assert httpx.get(f"{base}/admin{token}", timeout=10).status_code == 401
        with plan_2021.open("rb") as file:
            answer = httpx.post(f"{base}/admin/upload{token}", files={"plan": (plan_2021.name, file)}, timeout=10)
        assert answer.status_code == 401 and "口令不对或没有带口令" in answer.text
        assert httpx.post(f"{base}/admin/unbind{token}", data={"name": "严众能"}, timeout=10).status_code == 401
        assert httpx.get(f"{base}/admin/export.xlsx{token}", timeout=10).status_code == 401
    assert snapshot(bot) == before and not (tmp_path / "uploads").exists()
    bot.close()


def test_without_a_token_in_config_the_page_says_how_to_set_one(tmp_path, serve):
    bot = make_bot(tmp_path)  # loopback, no token: the local chat is open, the admin page is not
    answer = httpx.get(f"{serve(bot)}/admin", timeout=10)
    assert answer.status_code == 403 and "管理页要先设置口令" in answer.text
    bot.close()


@pytest.mark.parametrize("name, content, status, says", [
    ("../../x.docx", b"PK\x03\x04", 400, "文件名不能带路径：../../x.docx"),
    ("..\\..\\x.docx", b"PK\x03\x04", 400, "文件名不能带路径"),
    ("C:x.docx", b"PK\x03\x04", 400, "文件名不能带路径"),
    ("照片.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, 400, "照片.png 读不出分解表，未导入，任务库没有任何改动"),
    ("分解表.docx", b"this is not a Word file", 400, "分解表.docx 读不出分解表"),
    ("分解表.xlsx", b"PK\x03\x04 broken zip", 400, "分解表.xlsx 读不出分解表"),
])
def test_an_upload_that_is_not_a_plan_is_refused_in_chinese_and_changes_nothing(tmp_path, serve, name, content,
                                                                                 status, says):
    bot = admin_bot(tmp_path)
    base = serve(bot)
    before = snapshot(bot)
    answer = httpx.post(f"{base}/admin/upload?token={TOKEN}", files={"plan": (name, content)}, timeout=30)
    assert answer.status_code == status
    assert says in answer.text
    assert str(tmp_path) not in answer.text  # the server's folders are not shown
    assert snapshot(bot) == before
    assert not any((tmp_path / "uploads").glob("*")) and not (tmp_path / "plans").exists()
    bot.close()


def test_a_50_mb_upload_is_refused_before_it_is_read(tmp_path, serve):
    bot = admin_bot(tmp_path)
    base = serve(bot)
    before = snapshot(bot)
    big = io.BytesIO(b"\0" * (50 * 1024 * 1024))
    answer = httpx.post(f"{base}/admin/upload?token={TOKEN}", files={"plan": ("分解表.xlsx", big)}, timeout=60)
    assert answer.status_code == 413
    assert "文件太大（约 50 MB）：分解表不会超过 20 MB" in answer.text
    assert snapshot(bot) == before and not (tmp_path / "uploads").exists()
    assert httpx.get(f"{base}/admin?token={TOKEN}", timeout=10).status_code == 200  # still serving
    bot.close()


def test_a_forged_import_of_an_unknown_upload_changes_nothing(tmp_path, serve):
    bot = admin_bot(tmp_path)
    base = serve(bot)
    before = snapshot(bot)
    for upload in ("../../etc", "0" * 32, ""):
        answer = httpx.post(f"{base}/admin/import?token={TOKEN}", data={"upload": upload}, timeout=10)
        assert answer.status_code == 400 and "找不到这次上传的文件" in answer.text
    assert snapshot(bot) == before
    bot.close()


def test_people_with_their_ids_and_unbinding(tmp_path, serve):
    bot = admin_bot(tmp_path, people={"林永禄": {"wecom": "LinYongLu", "dingtalk": "lyl01"}})
    meta = Meta("wecom", "wr1", "m1", "2020-11-27T10:00:00+08:00")
    request_binding(bot.store, "wecom", "zhangsan", "严众能", meta)
    confirm_binding(bot.store, "wecom", "严众能", "zhangsan", "朱明生", meta)
    base = serve(bot)
    page = httpx.get(f"{base}/admin?token={TOKEN}", timeout=10).text
    assert ('<tr class="person" data-name="林永禄"><td>林永禄</td>\n<td>LinYongLu</td><td>lyl01</td>') in page
    assert "企业微信 zhangsan（朱明生 确认）" in page
    answer = httpx.post(f"{base}/admin/unbind?token={TOKEN}", data={"name": "严众能"}, timeout=10)
    assert answer.status_code == 200 and "已解除 严众能 在群里绑定的账号：wecom zhangsan。" in answer.text
    assert bound_person(bot.store, "wecom", "zhangsan") is None
    again = httpx.post(f"{base}/admin/unbind?token={TOKEN}", data={"name": "严众能"}, timeout=10)
    assert again.status_code == 404 and "没有在群里绑定的账号" in again.text
    bot.close()


def test_pending_pushes_retry_and_cancel(tmp_path, serve):
    bot = admin_bot(tmp_path, chats=[
        {"name": "企业微信群", "platform": "wecom", "webhook": "http://127.0.0.1:9/cgi-bin/webhook/send?key=k"},
        {"name": "钉钉群", "platform": "dingtalk", "webhook": "http://127.0.0.1:9/robot/send?access_token=t"}])
    run_tick(bot, date(2020, 11, 27))
    first, second = outbox.rows(bot.store)
    outbox.mark_failed(bot.store, first.id, "-1 ConnectError")
    base = serve(bot)
    page = httpx.get(f"{base}/admin?token={TOKEN}", timeout=10).text
    assert page.count('<tr class="push"') == 2 and "发送失败" in page and "待发送" in page
    retried = httpx.post(f"{base}/admin/outbox?token={TOKEN}", data={"id": str(first.id), "action": "retry"},
                         timeout=10)
    assert retried.status_code == 200 and f"推送 {first.id} 将马上重试" in retried.text
    row = next(r for r in outbox.rows(bot.store) if r.id == first.id)
    assert (row.status, row.next_attempt_at, row.created_at) == ("pending", bot.clock.now().isoformat(),
                                                                  bot.clock.now().isoformat())
    cancelled = httpx.post(f"{base}/admin/outbox?token={TOKEN}", data={"id": str(second.id), "action": "cancel"},
                           timeout=10)
    assert cancelled.status_code == 200 and "已取消，不会再发送" in cancelled.text
    assert [r.id for r in outbox.rows(bot.store)] == [first.id]
    gone = httpx.post(f"{base}/admin/outbox?token={TOKEN}", data={"id": str(second.id), "action": "cancel"},
                      timeout=10)
    assert gone.status_code == 404
    bad = httpx.post(f"{base}/admin/outbox?token={TOKEN}", data={"id": "1; DROP", "action": "retry"}, timeout=10)
    assert bad.status_code == 400
    huge = httpx.post(f"{base}/admin/outbox?token={TOKEN}", data={"id": "9" * 23, "action": "retry"}, timeout=10)
    assert huge.status_code == 400  # no row can have it: a bad form, not a 500
    bot.close()


def test_download_the_progress_table_and_the_calendar(tmp_path, serve):
    bot = admin_bot(tmp_path)
    bot.say("完成 3.3", as_="林永禄")
    base = serve(bot)
    table = httpx.get(f"{base}/admin/export.xlsx?token={TOKEN}", timeout=30)
    assert table.status_code == 200
    assert table.headers["content-disposition"].endswith("filename*=UTF-8''%E5%AE%8C%E6%88%90%E6%83%85%E5%86%B5"
                                                         "%E8%A1%A8.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(table.content)).worksheets[0]
    assert sheet.title == "龙岩市科协2020年度工作要点"
    fair = rows_by_ref(sheet)["3.3"]
    assert (fair["状态"], fair["完成人"]) == ("还有3天到期（部分完成 1/2）", "林永禄")
    calendar = httpx.get(f"{base}/admin/export.ics?token={TOKEN}", timeout=30)
    assert calendar.status_code == 200 and calendar.text.startswith("BEGIN:VCALENDAR")
    assert calendar.text.count("BEGIN:VEVENT") == 12
    assert httpx.get(f"{base}/admin/export.pdf?token={TOKEN}", timeout=10).status_code == 404
    bot.close()
