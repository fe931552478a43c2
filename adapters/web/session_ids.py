"""Web chat session ids: issued by the server, never adopted from a client.

An id is 22 characters of a random 128-bit nonce and 22 characters of its HMAC-SHA256 (truncated to
128 bits) under the install's ``web_session`` key (:class:`core.store.secrets.InstallSecrets`), all
URL-safe base64: a returning widget's id is recognised after a reload, a reconnect or a restart,
with no table of ids, and an id a client made up is not."""
from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

_NONCE_BYTES = 16
_TAG_BYTES = 16
_PART_CHARS = 22
"""URL-safe base64 of 16 bytes without its padding."""


class SessionIds:
    """Issues session ids and recognises the ones issued under the same key."""

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("a session-id key needs at least 16 bytes")
        self._key = key

    def issue(self) -> str:
        """A fresh, unguessable session id (44 URL-safe characters)."""
        nonce = _b64(secrets.token_bytes(_NONCE_BYTES))
        return nonce + self._tag(nonce)

    def issued(self, session: str) -> bool:
        """True when ``session`` is an id :meth:`issue` gave out under this key."""
        if len(session) != 2 * _PART_CHARS:
            return False
        nonce, tag = session[:_PART_CHARS], session[_PART_CHARS:]
        return hmac.compare_digest(tag.encode("ascii", "replace"), self._tag(nonce).encode("ascii"))

    def _tag(self, nonce: str) -> str:
        return _b64(hmac.new(self._key, nonce.encode("utf-8", "replace"), hashlib.sha256).digest()[:_TAG_BYTES])


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")
