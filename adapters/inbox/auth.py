"""Staff login for the inbox: one shared password (compared as scrypt hashes, in constant time),
server-side sessions in an HttpOnly SameSite=Strict cookie, a CSRF token required on every POST and a
small limit on failed logins."""
from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

COOKIE = "kefu_staff"
SESSION_S = 12 * 3600
MAX_FAILURES = 5
"""Failed logins per client address and minute before the next are refused."""


@dataclass
class StaffSession:
    """A logged-in colleague."""

    staff: str
    csrf: str
    expires: float


def _hash(password: str, salt: bytes) -> bytes:
    return hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)


class StaffAuth:
    """Checks the password and keeps sessions in memory (a restart logs everyone out)."""

    def __init__(self, password: str) -> None:
        self._salt = secrets.token_bytes(16)
        self._hash = _hash(password, self._salt)
        self._sessions: dict[str, StaffSession] = {}
        self._failures: dict[str, list[float]] = {}

    def login(self, name: str, password: str, client: str) -> tuple[str, StaffSession] | None:
        """A new session (its cookie value and state) for the right password, else None."""
        now = time.monotonic()
        recent = [t for t in self._failures.get(client, []) if now - t < 60]
        if len(recent) >= MAX_FAILURES or not hmac.compare_digest(_hash(password, self._salt), self._hash):
            self._failures[client] = recent + [now]
            return None
        token = secrets.token_urlsafe(32)
        session = StaffSession(name, secrets.token_urlsafe(24), time.time() + SESSION_S)
        self._sessions[token] = session
        return token, session

    def session(self, token: str | None) -> StaffSession | None:
        """The live session of a cookie value, or None."""
        session = self._sessions.get(token or "")
        if session is None or session.expires < time.time():
            self._sessions.pop(token or "", None)
            return None
        return session

    def logout(self, token: str | None) -> None:
        """End a session."""
        self._sessions.pop(token or "", None)
