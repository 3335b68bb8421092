"""``duban doctor`` (issue 15) on a good and on a broken config, as a real process: exit codes 0 and 1, each
line OK / 问题 / 跳过 naming the part. The platforms' token endpoints are a recording server on loopback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.recorder import Recorder

ROOT = Path(__file__).resolve().parent.parent
AES = "a" * 43
WECOM_HOOK = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7a3c-4bc4-97a0-0ec2f1fa5aaa"
DINGTALK_HOOK = "https://oapi.dingtalk.com/robot/send?access_token=" + "0123456789abcdef" * 4


SERVICE_UID = 4321  # the service's user when these tests run as root (no passwd entry: doctor says 用户4321)
ROOT_RUN = hasattr(os, "geteuid") and os.geteuid() == 0


def hand_over(folder: Path) -> None:
    """As root, give ``folder`` and all in it to SERVICE_UID, as an install gives /var/lib/duban to the service's
    user (doctor run as root judges by owner, bot/ops/doctor.py); as anyone else, the files are theirs already."""
    if ROOT_RUN:
        for path in (folder, *folder.rglob("*")):
            os.lchown(path, SERVICE_UID, SERVICE_UID)


def writable(folder: Path, keep: str = "") -> str:
    """doctor's OK line text for a folder the service can write."""
    user = f"用户{SERVICE_UID}"
    owner = f"（属于 {user}：体检以 root 运行，按属主判断，服务要以 {user} 运行）" if ROOT_RUN else ""
    return f"{folder} 可写{owner}{keep}"


def duban(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", *args], cwd=cwd, capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)})


def platforms(request):
    if request.path == "/cgi-bin/gettoken":
        if request.query["corpsecret"] == ["right"]:
            return {"errcode": 0, "errmsg": "ok", "access_token": "T", "expires_in": 7200}
        return {"errcode": 40001, "errmsg": "invalid credential"}
    if request.path == "/v1.0/oauth2/accessToken":
        return {"accessToken": "D", "expireIn": 7200}
    return 404, {}


def config(api: str, *, admin: str = "朱明生", secret: str = "right", dingtalk_api: str | None = None,
           dingtalk_hook: str = DINGTALK_HOOK) -> str:
    return f'''
[bot]
database = "data/duban.db"
admins = ["{admin}"]
[wecom]
corp_id = "ww1234"
token = "t"
encoding_aes_key = "{AES}"
agent_id = 1000002
secret = "{secret}"
api_base = "{api}"
[wecom.aibot]
token = "t2"
encoding_aes_key = "{AES}"
[dingtalk]
app_key = "dingabc"
app_secret = "s"
api_base = "{dingtalk_api or api}"
[[chats]]
name = "科协工作群"
platform = "dingtalk"
webhook = "{dingtalk_hook}"
secret = "SECabc"
[[chats]]
name = "企业微信群"
platform = "wecom"
webhook = "{WECOM_HOOK}"
[people."严众能"]
wecom = "yzn"
[backup]
keep = 3
folder = "backups"
[log]
file = "logs/duban.log"
'''


@pytest.fixture
def api():
    with Recorder(platforms) as recorder:
        yield recorder


def test_a_good_config_is_all_ok_and_exits_0(tmp_path, api):
    (tmp_path / "config.toml").write_text(config(api.url), encoding="utf-8")
    assert duban("ask", "3.3", cwd=tmp_path).returncode == 0  # the store exists, with the plan
    hand_over(tmp_path)
    result = duban("doctor", "--today", "2020-11-02", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    lines = result.stdout.splitlines()
    assert lines[0] == "督办助手体检 / duban doctor"
    assert lines[1:-1] == [
        f"OK    配置：{tmp_path / 'config.toml'} 读取正常",
        f"OK    任务库：{tmp_path / 'data' / 'duban.db'} 完整（integrity_check 通过），35 项任务，36 条记录",
        "OK    计划：《龙岩市科协2020年度工作要点》（2020年，35 项任务）",
        "OK    节假日：chinesecalendar 有 2020 年的放假和调休安排",
        # The plan pushes until 2021-01-31: January's reminders need 2021's holidays.
        "OK    节假日：chinesecalendar 有 2021 年的放假和调休安排",
        "OK    配置与计划：没有写错的名字（管理员：朱明生；[people]：1 人），平台没有只配了一半的",
        f"OK    企业微信自建应用：凭据有效（{api.url} 发出了 access_token）",
        f"OK    钉钉应用：凭据有效（{api.url} 发出了 access_token）",
        "OK    企业微信智能机器人：回调模式的 Token 和 EncodingAESKey 已填，格式正确"
        "（对不对要等企业微信第一次回调时才知道）",
        "OK    群 科协工作群：钉钉群机器人地址格式正确，已设加签",
        "OK    群 企业微信群：企业微信群机器人地址格式正确",
        lines[12],
        f"OK    日志：{writable(tmp_path / 'logs')}",
        f"OK    备份：{writable(tmp_path / 'backups', '，每晚备份，保留最近 3 份')}",
    ]
    assert lines[12].startswith("OK    时钟：现在是 2020-11-02 ") and "（Asia/Shanghai，UTC+08:00）" in lines[12]
    assert lines[-1] == "共 14 项：14 项正常，0 项有问题，0 项跳过。"
    assert [r.path for r in api.requests] == ["/cgi-bin/gettoken", "/v1.0/oauth2/accessToken"]
    assert not (tmp_path / "logs").exists() and not (tmp_path / "backups").exists()  # it changes nothing


def test_a_broken_config_names_each_broken_part_and_exits_1(tmp_path, api):
    (tmp_path / "config.toml").write_text(config(api.url), encoding="utf-8")
    assert duban("ask", "3.3", cwd=tmp_path).returncode == 0
    store = tmp_path / "data" / "duban.db"
    assert duban("backup", str(tmp_path / "good.db"), cwd=tmp_path).returncode == 0
    (tmp_path / "data" / "duban.db-wal").unlink(missing_ok=True)
    damaged = bytearray((tmp_path / "good.db").read_bytes())
    damaged[4096 * 3:4096 * 6] = b"\x07" * (4096 * 3)  # pages 4-6: table pages of the plan
    store.write_bytes(bytes(damaged))
    hand_over(tmp_path)
    (tmp_path / "config.toml").write_text(
        config(api.url, admin="朱明升", secret="wrong", dingtalk_api="http://127.0.0.1:9",
               dingtalk_hook="https://oapi.dingtalk.com/robot/send?token=abc"), encoding="utf-8")
    result = duban("doctor", cwd=tmp_path)
    assert result.returncode == 1
    out = result.stdout
    assert f"问题  任务库：{store} 已损坏（integrity_check：" in out
    assert "  → 停止 duban serve，用 duban restore 从最近的备份恢复" in out
    assert "OK    计划：bot.plan 可读：《龙岩市科协2020年度工作要点》" in out
    assert "问题  配置与计划：bot.admins：计划里没有 朱明升，是否是 朱明生？" in out
    assert "问题  企业微信自建应用：凭据被拒绝（TokenRefused: gettoken: 40001 invalid credential）" in out
    assert "跳过  钉钉应用：没有网络，连不上 http://127.0.0.1:9（accessToken: ConnectError: " in out
    assert ("问题  群 科协工作群：钉钉群 科协工作群 的 webhook 不像群机器人地址："
            "https://oapi.dingtalk.com/robot/send?token=abc") in out
    assert out.splitlines()[-1] == ("共 13 项：8 项正常，4 项有问题，1 项跳过。"
                                    "请按 → 后的说明处理，再运行 duban doctor。")


def test_a_config_that_does_not_parse_is_the_one_problem(tmp_path):
    (tmp_path / "config.toml").write_text('[bot]\nadmins = [“朱明生”]\n', encoding="utf-8")
    result = duban("doctor", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines()[1].startswith(f"问题  配置：{tmp_path / 'config.toml'}")
