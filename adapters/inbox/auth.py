"""Staff login for the console: per-colleague accounts (:mod:`adapters.inbox.accounts`, argon2 hashes)
or, while no account exists, the shared bootstrap password ``KEFU_STAFF_PASSWORD`` (an owner's,
compared as scrypt hashes in constant time); server-side sessions (:class:`StaffSessions`: in memory,
or in the store for several workers) in an HttpOnly SameSite=Strict cookie, a CSRF token required on
every POST and a lockout of client addresses that keep guessing.

The lockout: :data:`MAX_FAILURES` wrong passwords from one client address (the real client behind a
trusted proxy, :mod:`adapters.forwarded`) within :data:`FAILURE_WINDOW` lock that address for
:data:`LOCK`, counted from the last of them. Every try while locked is refused without checking the
password and without extending the lock; when it ends the address starts afresh. Other addresses are
never affected, so a guesser elsewhere cannot lock the staff out. Both are :class:`core.ratelimit.Limit`
windows: in memory on one worker, in the store when several workers share a database (a guesser
cannot spread the tries over the workers behind a balancer)."""
from __future__ import annotations

import hashlib
import hmac
import secrets
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from core import clock
from core.ratelimit import Limits, MemoryLimits

if TYPE_CHECKING:
    from adapters.inbox.accounts import StaffAccounts

AGENT = "agent"
"""Works the inbox (handoffs)."""
OWNER = "owner"
"""Also sees reports and manages settings, the knowledge base, canned replies and accounts."""
_RANK = {AGENT: 0, OWNER: 1}

COOKIE = "kefu_staff"
SESSION_S = 12 * 3600
MAX_FAILURES = 5
"""Wrong passwords from one client address within :data:`FAILURE_WINDOW` that lock it."""
FAILURE_WINDOW = timedelta(minutes=1)
LOCK = timedelta(minutes=1)
"""How long a locked address is refused, whatever it tries meanwhile."""


@dataclass
class StaffSession:
    """A logged-in colleague."""

    staff: str
    csrf: str
    expires: datetime
    role: str = AGENT
    bootstrap: bool = False
    """Logged in with the shared bootstrap password (no account exists yet)."""
    account_changed: str = ""
    """The account's ``updated_at`` at login: a later password change ends the session."""

    def may(self, role: str) -> bool:
        """Whether this colleague's role includes ``role`` (an owner may do what an agent may)."""
        return _RANK[self.role] >= _RANK[role]


class StaffSessions(ABC):
    """Where login sessions are kept, by cookie value: this process's memory (one worker) or the store
    (:mod:`adapters.inbox.staff_sessions`: any worker behind a balancer knows the colleague)."""

    @abstractmethod
    def get(self, token: str) -> StaffSession | None:
        """The session of a cookie value, expired or not; None when unknown."""

    @abstractmethod
    def put(self, token: str, session: StaffSession) -> None:
        """Keep a new session."""

    @abstractmethod
    def drop(self, token: str) -> None:
        """Forget a session (logged out, expired, no longer allowed)."""


class MemorySessions(StaffSessions):
    """Sessions in this process's memory (a restart logs everyone out)."""

    def __init__(self) -> None:
        self._sessions: dict[str, StaffSession] = {}

    def get(self, token: str) -> StaffSession | None:
        """The session, or None."""
        return self._sessions.get(token)

    def put(self, token: str, session: StaffSession) -> None:
        """Keep it."""
        self._sessions[token] = session

    def drop(self, token: str) -> None:
        """Forget it."""
        self._sessions.pop(token, None)


def _hash(password: str, salt: bytes) -> bytes:
    # surrogatepass: a JSON body may carry lone surrogates; they hash (and are wrong) like any other text
    return hashlib.scrypt(password.encode("utf-8", "surrogatepass"), salt=salt, n=2**14, r=8, p=1)


class StaffAuth:
    """Checks passwords and keeps sessions. Once ``accounts`` has any account only accounts log in;
    until then the bootstrap ``password`` (if any) logs in as owner. ``limits`` and ``sessions``: where
    the lockout's counts and the sessions live (this process's memory by default)."""

    def __init__(self, password: str | None, accounts: StaffAccounts | None = None,
                 limits: Limits | None = None, sessions: StaffSessions | None = None) -> None:
        self._salt = secrets.token_bytes(16)
        self._hash = _hash(password, self._salt) if password else None
        self._accounts = accounts
        self._sessions = sessions or MemorySessions()
        limits = limits or MemoryLimits()
        self._failures = limits.window("staff:login-failures", MAX_FAILURES, FAILURE_WINDOW.total_seconds(),
                                       _seconds)
        self._locks = limits.window("staff:login-locks", 1, LOCK.total_seconds(), _seconds)

    def login(self, name: str, password: str, client: str) -> tuple[str, StaffSession] | None:
        """A new session (its cookie value and state) for the right password from a client address that
        is not locked, else None."""
        if self._locks.count(client):
            return None
        who = self._check(name, password)
        if who is None:
            self._fail(client)
            return None
        self._failures.reset(client)
        now = clock.utc_now()
        token = secrets.token_urlsafe(32)
        staff, role, bootstrap, changed = who
        session = StaffSession(staff, secrets.token_urlsafe(24), now + timedelta(seconds=SESSION_S), role, bootstrap,
                               changed)
        self._sessions.put(token, session)
        return token, session

    def enabled(self) -> bool:
        """Whether anyone can log in: an account exists or the bootstrap password is set."""
        return self._hash is not None or (self._accounts is not None and self._accounts.exist())

    def _check(self, name: str, password: str) -> tuple[str, str, bool, str] | None:
        """(staff name, role, bootstrap, account changed) for a right password, else None: an account's own
        password once accounts exist, the bootstrap password (as owner, the typed name) before."""
        if self._accounts is not None and self._accounts.exist():
            account = self._accounts.verify(name, password)
            return (account.name, account.role, False, account.updated_at) if account else None
        if self._hash is not None and hmac.compare_digest(_hash(password, self._salt), self._hash):
            return name, OWNER, True, ""
        return None

    def _fail(self, client: str) -> None:
        """Count a wrong password; the :data:`MAX_FAILURES`-th within the window locks the address (and
        its count starts afresh)."""
        self._failures.hit(client)
        if self._failures.count(client) >= MAX_FAILURES:
            self._locks.hit(client)
            self._failures.reset(client)

    def session(self, token: str | None) -> StaffSession | None:
        """The live session of a cookie value, or None. A session ends early when its account was removed or
        its password changed (its role follows the account's), and a bootstrap session when the first
        account exists."""
        session = self._sessions.get(token) if token else None
        if session is None or session.expires < clock.utc_now() or not self._still_allowed(session):
            if token:
                self._sessions.drop(token)
            return None
        return session

    def _still_allowed(self, session: StaffSession) -> bool:
        if self._accounts is None or not self._accounts.exist():
            return session.bootstrap
        account = None if session.bootstrap else self._accounts.account(session.staff)
        if account is None or account.updated_at != session.account_changed:
            return False
        session.role = account.role
        return True

    def logout(self, token: str | None) -> None:
        """End a session."""
        if token:
            self._sessions.drop(token)


def _seconds() -> float:
    """The lockout's clock: :func:`core.clock.utc_now` as seconds (one clock for every worker)."""
    return clock.utc_now().timestamp()
