"""企业微信 callback crypto (PROTOCOLS §1.3, §2.3), on the ``cryptography`` package's AES.

``msg_signature = sha1(sort(token, timestamp, nonce, encrypt))`` — compared in constant time
(wechatpy compares with ``!=``); the timestamp must be within an hour of now (as DingTalk's,
PROTOCOLS §3.1), so a recorded callback cannot be replayed later. AES-256-CBC with the
EncodingAESKey, IV = its first 16 bytes, PKCS#7 to 32; plaintext = 16 random bytes + 4-byte
big-endian length + msg + receiveid (CorpID for a self-built app, "" for an internal
智能机器人). Decryption is strict where wechatpy and Tencent's sample are lenient: whole AES
blocks, the padding checked, the length field no longer than what follows it (a forged
length must not read the receiveid as the message), UTF-8. Every way a ciphertext can be
wrong is one error type.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import random
import struct
from datetime import datetime

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

BLOCK = 32  # PKCS#7 block of WeCom's scheme (not AES's 16)
TIMESTAMP_WINDOW_S = 3600
# The reply's 16-character random prefix and nonce need no secrecy (the key is the secret; wechatpy and
# Tencent's sample use plain random letters and digits), and os.urandom cost ~0.2 ms a call under load.
_random = random.Random()


class BadSignature(ValueError):
    """msg_signature missing or not matching, or a timestamp out of the window (HTTP 403)."""


class BadCiphertext(ValueError):
    """The encrypted part does not decrypt to a message (HTTP 400)."""


class WrongReceiver(ValueError):
    """It decrypts, but for another CorpID / receiveid: a config mistake to report (HTTP 403)."""


def signature(token: str, timestamp: str, nonce: str, encrypt: str) -> str:
    """sha1 of the four values sorted as strings and joined, lowercase hex (PROTOCOLS §1.3)."""
    return hashlib.sha1("".join(sorted((token, timestamp, nonce, encrypt))).encode()).hexdigest()


class WeComCrypto:
    """One callback's keys: ``token``, ``encoding_aes_key`` (43 characters), ``receive_id``."""

    def __init__(self, token: str, encoding_aes_key: str, receive_id: str):
        self.token = token
        self.key = base64.b64decode(encoding_aes_key + "=")
        self.receive_id = receive_id
        self._cipher = Cipher(algorithms.AES(self.key), modes.CBC(self.key[:16]))

    def signature(self, timestamp: str, nonce: str, encrypt: str) -> str:
        return signature(self.token, timestamp, nonce, encrypt)

    def verify(self, signature: str | None, timestamp: str | None, nonce: str | None, encrypt: str | None,
               now: datetime | None = None) -> None:
        """Raises BadSignature unless ``signature`` is sha1 of the sorted four values and, given
        ``now`` (the real moment), ``timestamp`` (seconds) is within an hour of it."""
        if not signature or timestamp is None or nonce is None or not encrypt:
            raise BadSignature("msg_signature, timestamp, nonce or the encrypted part is missing")
        if not hmac.compare_digest(self.signature(timestamp, nonce, encrypt).encode("utf-8", "replace"),
                                   signature.encode("utf-8", "replace")):
            raise BadSignature("msg_signature does not match")
        if now is not None:
            if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
                raise BadSignature(f"timestamp {timestamp[:20]!r} is not seconds")
            skew = abs(now.timestamp() - int(timestamp))
            if skew > TIMESTAMP_WINDOW_S:
                raise BadSignature(f"timestamp is {int(skew // 60)} minutes off (limit 60)")

    def decrypt(self, encrypt: str) -> str:
        """The plaintext msg. Raises BadCiphertext or WrongReceiver."""
        try:
            raw = base64.b64decode(encrypt, validate=True)
        except (binascii.Error, ValueError):
            raise BadCiphertext("the encrypted part is not base64") from None
        if not raw or len(raw) % 16:
            raise BadCiphertext(f"{len(raw)} bytes are not whole AES blocks")
        decryptor = self._cipher.decryptor()
        plain = decryptor.update(raw) + decryptor.finalize()
        pad = plain[-1]
        if not 1 <= pad <= BLOCK or plain[-pad:] != bytes([pad]) * pad:
            raise BadCiphertext("bad padding")
        body = plain[16:-pad]
        if len(body) < 4:
            raise BadCiphertext("too short for the length field")
        (length,) = struct.unpack(">I", body[:4])
        if length > len(body) - 4:
            raise BadCiphertext(f"the length field says {length} bytes, {len(body) - 4} follow")
        try:
            message, receive_id = body[4:4 + length].decode(), body[4 + length:].decode()
        except UnicodeDecodeError:
            raise BadCiphertext("the message is not UTF-8") from None
        if receive_id != self.receive_id:
            raise WrongReceiver(f"the message is for another receiveid than {self.receive_id!r}")
        return message

    def encrypt(self, plaintext: str, timestamp: str, nonce: str | None = None) -> tuple[str, str, str, str]:
        """(encrypt, msg_signature, timestamp, nonce) for a passive reply; ``timestamp`` in seconds."""
        nonce = nonce or f"{_random.getrandbits(64):016x}"
        body = plaintext.encode()
        prefix = f"{_random.getrandbits(64):016x}".encode()
        raw = prefix + struct.pack(">I", len(body)) + body + self.receive_id.encode()
        pad = BLOCK - len(raw) % BLOCK
        encryptor = self._cipher.encryptor()
        encrypt = base64.b64encode(encryptor.update(raw + bytes([pad]) * pad) + encryptor.finalize()).decode()
        return encrypt, self.signature(timestamp, nonce, encrypt), timestamp, nonce
