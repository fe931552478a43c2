"""Each Telegram update is handled once, also when Telegram redelivers it after a restart.

An update is claimed when it arrives and marked done after its handlers ran. A redelivered update
that is done is skipped; one whose handling a crash interrupted is handled again (the core and the
outbox make that safe: a completed turn is not repeated and queued messages are not queued twice)."""
from __future__ import annotations

from datetime import timedelta

import sqlite_utils

from core.clock import utc_now, utc_now_iso

KEEP = timedelta(days=7)
"""Telegram keeps undelivered updates for 24 hours; ids older than a week can be forgotten."""


class UpdateLog:
    """The update ids seen, in SQLite."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def claim(self, update_id: int) -> bool:
        """True when the update should be handled: new, or interrupted before it was done."""
        self._db["telegram_updates"].insert(
            {"update_id": update_id, "status": "processing", "received_at": utc_now_iso()}, ignore=True)
        row = self._db.execute("select status from telegram_updates where update_id = ?", [update_id]).fetchone()
        return row[0] != "done"

    def finish(self, update_id: int) -> None:
        """The update's handlers ran; a redelivery will be skipped."""
        self._db["telegram_updates"].update(update_id, {"status": "done", "done_at": utc_now_iso()})

    def prune(self) -> int:
        """Forget ids older than :data:`KEEP`; returns how many."""
        cutoff = (utc_now() - KEEP).isoformat(timespec="seconds")
        return self._db.execute("delete from telegram_updates where received_at < ?", [cutoff]).rowcount
