"""A local stand-in for WeCom's long-connection server (PROTOCOLS §2.3, developer doc 101463),
written from the documented frames, not from the SDK: TLS on loopback with a certificate made
here, ``aibot_subscribe`` answered by bot id + secret, ``ping`` answered, every reply or push
frame recorded and answered with a receipt on its req_id.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import ipaddress
import json
import ssl
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key, as PEM files in ``folder``."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "openws.test")])
    now = dt.datetime.now(dt.timezone.utc)  # dt.UTC is 3.11+
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


class FakeWeCom:
    """``async with FakeWeCom(tmp_path, "BOTID", "SECRET") as wecom``: ``wecom.url`` to connect to,
    ``wecom.client_context`` trusts its certificate; ``frames`` holds every frame received.
    ``receipt`` (req_id, frame) → errcode decides each reply's receipt (default 0)."""

    def __init__(self, folder: Path, bot_id: str, secret: str):
        self.bot_id, self.secret = bot_id, secret
        cert, key = self_signed(folder)
        self.server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.server_context.load_cert_chain(cert, key)
        self.client_context = ssl.create_default_context(cafile=str(cert))
        self.frames: list[dict] = []
        self.subscribed = 0
        self.receipt = lambda frame: 0
        self._connection = None
        self._changed = asyncio.Condition()

    async def __aenter__(self) -> FakeWeCom:
        self._server = await serve(self._session, "127.0.0.1", 0, ssl=self.server_context)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"wss://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc) -> None:
        self._server.close()
        await self._server.wait_closed()

    async def _session(self, connection) -> None:
        self._connection = connection
        with contextlib.suppress(ConnectionClosed):  # drop() and the bot's reconnects end sessions
            await self._frames(connection)

    async def _frames(self, connection) -> None:
        async for raw in connection:
            frame = json.loads(raw)
            cmd, req_id = frame.get("cmd"), frame["headers"]["req_id"]
            if cmd == "aibot_subscribe":
                ok = frame["body"] == {"bot_id": self.bot_id, "secret": self.secret}
                self.subscribed += ok
                await connection.send(json.dumps({"headers": {"req_id": req_id}, "errcode": 0 if ok else 40001,
                                                  "errmsg": "ok" if ok else "invalid secret"}))
            elif cmd == "ping":
                await connection.send(json.dumps({"headers": {"req_id": req_id}, "errcode": 0, "errmsg": "ok"}))
            else:
                code = self.receipt(frame)
                await connection.send(json.dumps({"headers": {"req_id": req_id}, "errcode": code,
                                                  "errmsg": "ok" if code == 0 else "refused"}))
            async with self._changed:
                self.frames.append(frame)
                self._changed.notify_all()

    async def wait_for(self, test, timeout: float = 10) -> list[dict]:
        """The frames received once ``test(frames)`` holds (a real wait on the network, bounded)."""
        async with self._changed:
            await asyncio.wait_for(self._changed.wait_for(lambda: test(self.frames)), timeout)
            return list(self.frames)

    async def subscribed_count(self, count: int) -> None:
        await self.wait_for(lambda frames: self.subscribed >= count)

    async def callback(self, req_id: str, body: dict, cmd: str = "aibot_msg_callback") -> None:
        """Send a message (or event) callback frame to the connected bot."""
        await self._connection.send(json.dumps({"cmd": cmd, "headers": {"req_id": req_id}, "body": body},
                                               ensure_ascii=False))

    async def send_raw(self, text: str) -> None:
        """Send a frame as written (JSON that is not a frame, say)."""
        await self._connection.send(text)

    async def drop(self) -> None:
        """Close the bot's connection as a network cut would (the bot must reconnect)."""
        await self._connection.close(code=1011, reason="gone")


def group_text(msgid: str, userid: str, content: str, chatid: str = "wrkGROUP") -> dict:
    """A group text callback body as PROTOCOLS §2.3 shows it (the @ stays in the content)."""
    return {"msgid": msgid, "aibotid": "BOTID", "chatid": chatid, "chattype": "group",
            "from": {"userid": userid}, "msgtype": "text", "text": {"content": content}}
