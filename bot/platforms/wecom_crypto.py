"""企业微信 callback crypto on wechatpy's primitives (PROTOCOLS §1.3, §2.3).

``msg_signature = sha1(sort(token, timestamp, nonce, encrypt))`` — compared here in constant
time (wechatpy compares with ``!=``); AES-256-CBC with the EncodingAESKey, IV = its first 16
bytes, PKCS#7 to 32; plaintext = 16 random bytes + 4-byte big-endian length + msg + receiveid
(CorpID for a self-built app, "" for an internal 智能机器人). Every way a ciphertext can be
wrong (not base64, bad padding, short, not UTF-8, another receiveid) is one error type.
"""

from __future__ import annotations

import hmac
import secrets

from wechatpy.crypto import _get_signature
from wechatpy.enterprise.crypto import PrpCrypto
from wechatpy.enterprise.exceptions import InvalidCorpIdException


class BadSignature(ValueError):
    """msg_signature missing or not matching (HTTP 403)."""


class BadCiphertext(ValueError):
    """The encrypted part does not decrypt to a message (HTTP 400)."""


class WrongReceiver(ValueError):
    """It decrypts, but for another CorpID / receiveid: a config mistake to report (HTTP 403)."""


class WeComCrypto:
    """One callback's keys: ``token``, ``encoding_aes_key`` (43 characters), ``receive_id``."""

    def __init__(self, token: str, encoding_aes_key: str, receive_id: str):
        import base64

        self.token = token
        self.key = base64.b64decode(encoding_aes_key + "=")
        self.receive_id = receive_id

    def signature(self, timestamp: str, nonce: str, encrypt: str) -> str:
        return _get_signature(self.token, timestamp, nonce, encrypt)

    def verify(self, signature: str | None, timestamp: str | None, nonce: str | None, encrypt: str | None) -> None:
        """Raises BadSignature unless ``signature`` is sha1 of the sorted four values."""
        if not signature or timestamp is None or nonce is None or not encrypt:
            raise BadSignature("msg_signature, timestamp, nonce or the encrypted part is missing")
        if not hmac.compare_digest(self.signature(timestamp, nonce, encrypt).encode(), signature.encode()):
            raise BadSignature("msg_signature does not match")

    def decrypt(self, encrypt: str) -> str:
        """The plaintext msg. Raises BadCiphertext or WrongReceiver."""
        try:
            return PrpCrypto(self.key).decrypt(encrypt, self.receive_id)
        except InvalidCorpIdException:
            raise WrongReceiver(f"the message is for another receiveid than {self.receive_id!r}") from None
        except Exception as error:  # base64, padding, struct, UnicodeDecode: all "not a message"
            raise BadCiphertext(f"cannot decrypt ({type(error).__name__})") from None

    def encrypt(self, plaintext: str, timestamp: str, nonce: str | None = None) -> tuple[str, str, str, str]:
        """(encrypt, msg_signature, timestamp, nonce) for a passive reply; ``timestamp`` in seconds."""
        nonce = nonce or secrets.token_hex(8)
        encrypt = PrpCrypto(self.key).encrypt(plaintext, self.receive_id).decode()
        return encrypt, self.signature(timestamp, nonce, encrypt), timestamp, nonce
