"""An independent WeCom callback peer, written from the spec (PROTOCOLS §1.3) with the
``cryptography`` package — not wechatpy — to sign, encrypt and decrypt as WeCom does."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32


def signature(token: str, timestamp: str, nonce: str, encrypt: str) -> str:
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, encrypt])).encode()).hexdigest()


def _key(encoding_aes_key: str) -> bytes:
    return base64.b64decode(encoding_aes_key + "=")


def encrypt(plaintext: str, encoding_aes_key: str, receive_id: str, random: bytes | None = None) -> str:
    key = _key(encoding_aes_key)
    body = plaintext.encode()
    raw = (random or os.urandom(16)) + struct.pack(">I", len(body)) + body + receive_id.encode()
    pad = BLOCK - len(raw) % BLOCK
    raw += bytes([pad]) * pad
    encryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).encryptor()
    return base64.b64encode(encryptor.update(raw) + encryptor.finalize()).decode()


def decrypt(ciphertext: str, encoding_aes_key: str) -> tuple[str, str]:
    """(msg, receiveid) — strict: the PKCS#7 padding is checked."""
    key = _key(encoding_aes_key)
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    raw = decryptor.update(base64.b64decode(ciphertext)) + decryptor.finalize()
    pad = raw[-1]
    assert 1 <= pad <= BLOCK and raw[-pad:] == bytes([pad]) * pad, "bad padding"
    raw = raw[16:-pad]
    (length,) = struct.unpack(">I", raw[:4])
    return raw[4:4 + length].decode(), raw[4 + length:].decode()


def aibot_post(text_message: dict, token: str, key: str, timestamp: str = "1795917600",
               nonce: str = "n1") -> tuple[dict, bytes]:
    """(query, body) of an AI-bot JSON callback carrying ``text_message``."""
    sealed = encrypt(json.dumps(text_message, ensure_ascii=False), key, "")
    return ({"msg_signature": signature(token, timestamp, nonce, sealed), "timestamp": timestamp, "nonce": nonce},
            json.dumps({"encrypt": sealed}).encode())


def app_post(xml: str, token: str, key: str, corp_id: str, timestamp: str = "1795917600",
             nonce: str = "n1") -> tuple[dict, bytes]:
    """(query, body) of a self-built app XML callback carrying the decrypted ``xml``."""
    sealed = encrypt(xml, key, corp_id)
    body = f"<xml><ToUserName><![CDATA[{corp_id}]]></ToUserName><Encrypt><![CDATA[{sealed}]]></Encrypt>" \
           "<AgentID><![CDATA[1000002]]></AgentID></xml>"
    return ({"msg_signature": signature(token, timestamp, nonce, sealed), "timestamp": timestamp, "nonce": nonce},
            body.encode())
