"""The console's login sessions in the store, for several workers on one database (docs/SCALING.md):
a colleague logged in on one worker is logged in on every worker the balancer sends the next request
to. The adapter table ``staff_sessions`` (owner ``console-sessions``) keys each session by a SHA-256 digest
of its cookie value (a copy of the table logs nobody in); expired rows are deleted at each login."""
from __future__ import annotations

from datetime import datetime

import sqlite_utils

from adapters.inbox.auth import StaffSession, StaffSessions
from core.clock import utc_now
from core.store import Store
from core.store.hashed import hashed_key
from core.store.tables import OwnTables, TableSet


def _sessions(db: sqlite_utils.Database) -> None:
    """One row per live login session: the token's hash, the colleague, the CSRF token, role, expiry."""
    db["staff_sessions"].create({"token_hash": str, "staff": str, "csrf": str, "expires": str, "role": str,
                                 "bootstrap": int, "account_changed": str}, pk="token_hash",
                                not_null={"staff", "csrf", "expires", "role"}, if_not_exists=True)
    db["staff_sessions"].create_index(["expires"], if_not_exists=True)


TABLES = TableSet("console-sessions", ("staff_sessions",), (_sessions,))


class TableSessions(StaffSessions):
    """:class:`adapters.inbox.auth.StaffSessions` in the ``staff_sessions`` table."""

    def __init__(self, own: OwnTables) -> None:
        self._tables = own

    def get(self, token: str) -> StaffSession | None:
        """The session of a cookie value, or None."""
        row = self._tables.execute("select staff, csrf, expires, role, bootstrap, account_changed from staff_sessions "
                                   "where token_hash = ?", [hashed_key(token)]).fetchone()
        if row is None:
            return None
        staff, csrf, expires, role, bootstrap, changed = row
        return StaffSession(staff, csrf, datetime.fromisoformat(expires), role, bool(bootstrap), changed or "")

    def put(self, token: str, session: StaffSession) -> None:
        """Keep a new session (and delete the expired ones)."""
        with self._tables.atomic():
            self._tables.execute("delete from staff_sessions where expires < ?", [_stamp(utc_now())])
            self._tables.table("staff_sessions").insert(
                {"token_hash": hashed_key(token), "staff": session.staff, "csrf": session.csrf,
                 "expires": _stamp(session.expires), "role": session.role, "bootstrap": int(session.bootstrap),
                 "account_changed": session.account_changed})

    def drop(self, token: str) -> None:
        """Forget a session."""
        self._tables.execute("delete from staff_sessions where token_hash = ?", [hashed_key(token)])


def register(store: Store) -> TableSessions:
    """Migrate the sessions table and hand back the sessions on it."""
    return TableSessions(store.register(TABLES))



def _stamp(moment: datetime) -> str:
    """UTC ISO text with microseconds always written, so that stamps compare as text."""
    return moment.isoformat(timespec="microseconds")
