"""The encrypted ("safe") mode: AES-256-CBC as WeChat specifies it.

Key: ``base64(EncodingAESKey + "=")`` (32 bytes); IV: the key's first 16 bytes. Plaintext:
16 random bytes, the message length as 4 big-endian bytes, the message, the AppID; padded with
PKCS#7 to a multiple of 32 bytes. The ciphertext travels base64-encoded."""
from __future__ import annotations

import base64
import binascii
import os
import struct

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

_PAD_BITS = 32 * 8
"""WeChat pads to 32-byte blocks, not AES's 16."""


class CryptoError(ValueError):
    """A ciphertext that does not decrypt to a message for this account."""


def aes_key(encoding_aes_key: str) -> bytes:
    """The 32-byte AES key of a 43-character EncodingAESKey (ValueError when malformed)."""
    try:
        key = base64.b64decode(encoding_aes_key + "=", validate=True)
    except binascii.Error as exc:
        raise ValueError("the EncodingAESKey is not base64") from exc
    if len(key) != 32:
        raise ValueError("the EncodingAESKey must be 43 characters (32 bytes)")
    return key


class MessageCrypto:
    """Encrypts replies and decrypts messages of one Official Account."""

    def __init__(self, encoding_aes_key: str, app_id: str) -> None:
        self._key = aes_key(encoding_aes_key)
        self._app_id = app_id.encode("utf-8")

    def _cipher(self) -> Cipher:
        return Cipher(algorithms.AES(self._key), modes.CBC(self._key[:16]))

    def encrypt(self, message: str, random_prefix: bytes | None = None) -> str:
        """The base64 ciphertext of ``message`` (``random_prefix``: 16 bytes, for fixed test vectors)."""
        prefix = os.urandom(16) if random_prefix is None else random_prefix
        if len(prefix) != 16:
            raise ValueError("the random prefix must be 16 bytes")
        body = message.encode("utf-8")
        padder = padding.PKCS7(_PAD_BITS).padder()
        plain = padder.update(prefix + struct.pack(">I", len(body)) + body + self._app_id) + padder.finalize()
        encryptor = self._cipher().encryptor()
        return base64.b64encode(encryptor.update(plain) + encryptor.finalize()).decode("ascii")

    def decrypt(self, ciphertext: str) -> str:
        """The message inside ``ciphertext``; :class:`CryptoError` unless it is well formed and
        addressed to this AppID."""
        try:
            raw = base64.b64decode(ciphertext, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise CryptoError("the ciphertext is not base64") from exc
        if not raw or len(raw) % 16:
            raise CryptoError("the ciphertext is not a whole number of AES blocks")
        decryptor = self._cipher().decryptor()
        padded = decryptor.update(raw) + decryptor.finalize()
        unpadder = padding.PKCS7(_PAD_BITS).unpadder()
        try:
            plain = unpadder.update(padded) + unpadder.finalize()
        except ValueError as exc:
            raise CryptoError("bad padding (wrong key?)") from exc
        if len(plain) < 20:
            raise CryptoError("the plaintext is too short")
        (length,) = struct.unpack(">I", plain[16:20])
        body, app_id = plain[20:20 + length], plain[20 + length:]
        if len(body) != length or app_id != self._app_id:
            raise CryptoError("the message is not addressed to this AppID")
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise CryptoError("the message is not UTF-8") from exc
