"""One fixture builds a bot on a temporary store with the real plan and a fixed clock
(STYLE "Tests read like a conversation")."""

from __future__ import annotations

import re
import threading
from datetime import date, datetime, time
from pathlib import Path

import pytest
import uvicorn

from bot.cli import listen_socket
from bot.clock import SHANGHAI, FrozenClock
from bot.config import PROJECT_DIR, parse_config
from bot.http_server import server_config
from bot.runtime import Bot
from bot.web import create_app

_REF_LINE = re.compile(r"^(\d+\.\d+) ", re.M)


def refs(text: str) -> list[str]:
    """The refs a reply lists, read from its text as a person sees it (one per line, ref first)."""
    return _REF_LINE.findall(text)


def make_bot(tmp_path: Path, on: date = date(2020, 11, 2), plan: Path | None = None,
             instant: datetime | None = None, **config: dict) -> Bot:
    """A bot on a fresh store in ``tmp_path``, clock frozen at 10:00 on ``on`` (Asia/Shanghai);
    ``instant`` is the moment signatures are made and checked at (as with ``--today``), else the same."""
    data = {key: dict(value) if isinstance(value, dict) else value for key, value in config.items()}
    data.setdefault("bot", {})["database"] = str(tmp_path / "duban.db")
    if plan is not None:
        data["bot"]["plan"] = str(plan)
    bot = Bot(parse_config(data, "test", PROJECT_DIR, env={}),
              FrozenClock(datetime.combine(on, time(10, 0), tzinfo=SHANGHAI), instant=instant))
    bot.ensure_plan()
    return bot


@pytest.fixture
def bot(tmp_path):
    bot = make_bot(tmp_path)
    yield bot
    bot.close()


@pytest.fixture
def office(tmp_path):
    """28 November 2020, 15:04: 3.3 closed by both its owners (林永禄 at 10:00, 童聪良 at 15:04),
    3.4 half done, a note with markup on 3.1 (it must show as text)."""
    bot = make_bot(tmp_path, on=date(2020, 11, 28))
    assert bot.say("完成 3.3", as_="林永禄").text == "3.3 林永禄已完成，进度 1/2，待：童聪良"
    bot.say("完成 3.4", as_="严众能")
    bot.say("进展 3.1 已完成龙岩站巡展 <b>长汀</b>", as_="严众能")
    bot.clock.set(date(2020, 11, 28), time(15, 4))
    assert bot.say("@督办助手 3.3 完成", as_="童聪良").closed == ["3.3"]
    yield bot
    bot.close()


@pytest.fixture
def serve():
    """Start the app on a pre-bound loopback socket (no sleeping: the socket is listening
    before the server thread starts); yields a function bot → base URL, whose ``apps`` are the
    apps started (their ``state`` holds the platforms)."""
    servers = []

    def start(bot):
        sock = listen_socket("127.0.0.1", 0)  # the socket duban serve makes (TCP_NODELAY on connections)
        sock.listen(16)
        app = create_app(bot)
        start.apps.append(app)
        server = uvicorn.Server(server_config(app, log_level="warning", lifespan="off"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        servers.append((server, thread))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"

    start.apps = []
    yield start
    for server, thread in servers:
        server.should_exit = True
        thread.join(timeout=10)
