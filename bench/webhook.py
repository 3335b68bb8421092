"""Benchmark, run by hand (`make bench-webhook`; needs Debian's `wrk`): the full 智能机器人
callback path against a bare Starlette endpoint on uvicorn and against the common peer,
wechatpy + Flask on gunicorn with 2 workers answering a fixed text with no store
(bench/peer_app.py, installed in its own venv bench/.peer-venv from bench/peer-requirements.txt).

The full path is what WeCom does for "@督办助手 严众能负责什么" in a group: POST /wecom/aibot
with a signed, encrypted JSON callback → verify msg_signature and timestamp, decrypt, claim
the message, answer from the plan, record the answer (one group commit with synchronous=FULL:
claimed durably before the answer leaves), encrypt and sign the passive stream reply. Every
request carries its own msgid (a repeated msgid is a retry and takes the short dedupe path),
so the bodies are sealed beforehand by tests/wecom_peer.py (an AES/SHA-1 peer on
`cryptography`, not the bot's code) and wrk's Lua script posts them in turn.

Prints the load average before the run, then one line per (endpoint, concurrency): requests/s,
p50 and p99 latency, errors, the server's CPU time per request (user + system, all threads and
worker processes, from /proc: unlike requests/s it hardly depends on what else the shared
machine is doing), and for the full path its requests/s as a ratio to the bare endpoint and to
the peer; then the load after it.
Not a test: nothing here asserts a timing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import wecom_peer  # noqa: E402

TOKEN, KEY = "benchtoken", "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
QUESTION = "@督办助手 严众能负责什么"
LUA = r"""
local paths, bodies, index, step = {}, {}, 0, 1
local counter = 0
function setup(thread)
  thread:set("first", counter)
  counter = counter + 1
end
function init(args)
  for line in io.lines(args[1]) do
    local path, body = line:match("^([^\t]*)\t(.*)$")
    paths[#paths + 1] = path
    bodies[#bodies + 1] = body
  end
  index, step = first, tonumber(args[2])
end
function request()
  local i = index % #bodies + 1
  index = index + step
  return wrk.format("POST", paths[i], {["Content-Type"] = "application/json"}, bodies[i])
end
function done(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d %d %d\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""
BARE_APP = """
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

async def endpoint(request):
    await request.body()
    return JSONResponse({"ok": True})

app = Starlette(routes=[Route("/bare", endpoint, methods=["POST"])])
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def peer_python() -> str:
    """The peer venv's python, made (and its pinned packages installed) on the first run."""
    venv = ROOT / "bench" / ".peer-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r",
                        str(ROOT / "bench" / "peer-requirements.txt")], check=True)
    return str(python)


def wait_up(url: str, process: subprocess.Popen) -> None:
    for _ in range(300):
        if process.poll() is not None:
            raise SystemExit(f"the server exited ({process.returncode}); see its output above")
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not answer in 30 s")


def seal(folder: Path, run: str, count: int) -> Path:
    """``count`` signed callbacks with msgids unique to ``run``, one "path<TAB>body" line each, signed
    now (the bot refuses a timestamp an hour off)."""
    lines, now = [], str(int(time.time()))
    for n in range(count):
        message = {"msgid": f"{run}-{n}", "aibotid": "AIBOT", "chatid": "wrkBENCH", "chattype": "group",
                   "from": {"userid": "YanZhongNeng"}, "response_url": "", "msgtype": "text",
                   "text": {"content": QUESTION}}
        query, body = wecom_peer.aibot_post(message, TOKEN, KEY, timestamp=now, nonce=f"n{n}")
        lines.append("/wecom/aibot?" + "&".join(f"{k}={v}" for k, v in query.items()) + "\t" + body.decode())
    path = folder / f"{run}.tsv"
    path.write_text("\n".join(lines) + "\n")
    return path


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` (all its threads) and of its child processes
    still running (gunicorn's workers), from /proc."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return own + sum(cpu_seconds(int(child)) for child in children)


def wrk(url: str, script: Path, data: Path | None, connections: int, seconds: int, pid: int) -> dict:
    threads = min(connections, 2)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), url]
    if data is not None:
        command += ["--", str(data), str(threads)]
    cpu = cpu_seconds(pid)
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    cpu = cpu_seconds(pid) - cpu
    line = next(line for line in out.splitlines() if line.startswith("RESULT"))
    requests, duration_us, p50, p99, status_errors, socket_errors = (int(x) for x in line.split()[1:])
    return {"rps": requests / (duration_us / 1e6), "p50_ms": p50 / 1000, "p99_ms": p99 / 1000,
            "requests": requests, "non_2xx": status_errors, "socket_errors": socket_errors,
            "cpu_ms": cpu / max(requests, 1) * 1000}


def check_answer(base: str) -> None:
    """One request by hand: the reply decrypts to a stream listing 严众能's five tasks."""
    query, body = wecom_peer.aibot_post({"msgid": "check-1", "chatid": "wrkBENCH", "chattype": "group",
                                         "from": {"userid": "YanZhongNeng"}, "msgtype": "text",
                                         "text": {"content": QUESTION}}, TOKEN, KEY, timestamp=str(int(time.time())))
    envelope = httpx.post(base + "/wecom/aibot", params=query, content=body).json()
    plain, _ = wecom_peer.decrypt(envelope["encrypt"], KEY)
    content = json.loads(plain)["stream"]["content"]
    if not all(ref in content for ref in ("2.8", "3.1", "3.4", "3.6", "3.8")):
        raise SystemExit(f"the bot's answer is wrong: {content!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", default="1,16,64")
    parser.add_argument("--per-second", type=int, default=4000, help="callbacks sealed per second of a run")
    parser.add_argument("--synchronous", default="FULL", help="the bot's [bot] synchronous: FULL or NORMAL")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    python = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        script = folder / "post.lua"
        script.write_text(LUA)
        bare_script = folder / "bare.lua"
        bare_script.write_text('wrk.method = "POST"\nwrk.body = "{}"\n' + LUA[LUA.index("function done"):])
        (folder / "bare_app.py").write_text(BARE_APP)
        bot_port, bare_port, peer_port = free_port(), free_port(), free_port()
        (folder / "config.toml").write_text(
            f'[bot]\ndatabase = "{folder / "duban.db"}"\nsynchronous = "{args.synchronous}"\n'
            f'[server]\nport = {bot_port}\n'
            f'[wecom.aibot]\ntoken = "{TOKEN}"\nencoding_aes_key = "{KEY}"\n'
            f'[people."严众能"]\nwecom = "YanZhongNeng"\n')
        env = {**os.environ, "PYTHONPATH": str(folder)}
        peer_env = {**os.environ, "PEER_TOKEN": TOKEN, "PEER_KEY": KEY, "PYTHONPATH": str(ROOT / "bench")}
        servers = [
            subprocess.Popen([python, "-m", "bot.cli", "serve", "--config", str(folder / "config.toml")],
                             cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
            subprocess.Popen([python, "-m", "uvicorn", "bare_app:app", "--port", str(bare_port), "--log-level",
                              "warning", "--no-access-log"], cwd=folder, env=env),
            subprocess.Popen([peer_python(), "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{peer_port}",
                              "--log-level", "warning", "peer_app:app"], cwd=ROOT / "bench", env=peer_env),
        ]
        try:
            wait_up(f"http://127.0.0.1:{bot_port}/healthz", servers[0])
            wait_up(f"http://127.0.0.1:{bare_port}/", servers[1])
            wait_up(f"http://127.0.0.1:{peer_port}/", servers[2])
            check_answer(f"http://127.0.0.1:{bot_port}")
            print(f"load average before the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
                  f"the bot's synchronous = {args.synchronous}")
            print(f"{'endpoint':<12} {'clients':>7} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7}"
                  f" {'CPU ms/req':>10} {'×bare':>6} {'×peer':>6}")
            targets = {"bare": (f"http://127.0.0.1:{bare_port}", servers[1].pid),
                       "peer": (f"http://127.0.0.1:{peer_port}", servers[2].pid),
                       "full": (f"http://127.0.0.1:{bot_port}", servers[0].pid)}
            for connections in (int(c) for c in args.connections.split(",")):
                results = {}
                for name, (url, pid) in targets.items():
                    if name == "bare":
                        result = wrk(url + "/bare", bare_script, None, connections, args.seconds, pid)
                    else:
                        data = seal(folder, f"{name}{connections}", args.per_second * args.seconds)
                        result = wrk(url, script, data, connections, args.seconds, pid)
                    results[name] = result
                    errors = result["non_2xx"] + result["socket_errors"]
                    ratios = ""
                    if name == "full":
                        ratios = (f" {result['rps'] / results['bare']['rps']:>6.2f}"
                                  f" {result['rps'] / results['peer']['rps']:>6.2f}")
                    print(f"{name:<12} {connections:>7} {result['rps']:>9.0f} {result['p50_ms']:>8.2f} "
                          f"{result['p99_ms']:>8.2f} {errors:>7} {result['cpu_ms']:>10.3f}{ratios}", flush=True)
            print(f"load average after the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
                  f"({os.cpu_count()} cores)")
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=10)


if __name__ == "__main__":
    main()
