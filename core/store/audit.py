"""The audit log: who did what to which record, for every money-moving or staff action."""
from __future__ import annotations

from typing import Any

import sqlite_utils

from core.clock import utc_now_iso
from core.store.jsoncols import decode


class AuditLog:
    """Append-only record of actions."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def record(self, actor: str, action: str, target: str, details: dict[str, Any] | None = None) -> None:
        """Append one entry."""
        self._db["audit_log"].insert(
            {"at": utc_now_iso(), "actor": actor, "action": action, "target": target,
             "details": details or {}}
        )

    def entries(self, target: str | None = None) -> list[dict]:
        """All entries, oldest first, optionally for one target."""
        where, args = ("target = ?", [target]) if target else (None, None)
        return [decode(r, "details") for r in self._db["audit_log"].rows_where(where, args, order_by="id")]
