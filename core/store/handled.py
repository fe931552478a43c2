"""The one "handled once" ledger every channel uses for deliveries its platform may repeat.

A delivery (a Telegram update, a WeChat message, a Slack event, a Shopify webhook) is claimed under
its channel and key when it arrives and marked done after it was handled. A repeat of a done
delivery is skipped; one whose handling a crash interrupted ("processing") is handled again — the
core makes that safe (a completed turn is not repeated)."""
from __future__ import annotations

from datetime import timedelta

import sqlite_utils

from core.clock import utc_now, utc_now_iso

PROCESSING = "processing"
DONE = "done"


class HandledOnce:
    """One channel's deliveries in the ``handled_once`` table (keys are unique per channel)."""

    def __init__(self, db: sqlite_utils.Database, channel: str) -> None:
        self._db = db
        self.channel = channel

    def claim(self, key: str) -> bool:
        """Record a delivery before handling it. False when it was already handled to the end;
        True for a new one, or one a crash interrupted (still "processing")."""
        now = utc_now_iso()
        self._db.execute("insert into handled_once (channel, key, status, received_at, updated_at) "
                         "values (?, ?, ?, ?, ?) on conflict(channel, key) do nothing",
                         [self.channel, key, PROCESSING, now, now])
        return self.status(key) != DONE

    def finish(self, key: str) -> None:
        """The delivery was handled; a repeat is skipped."""
        self._db.execute("update handled_once set status = ?, updated_at = ? where channel = ? and key = ?",
                         [DONE, utc_now_iso(), self.channel, key])

    def first_time(self, key: str) -> bool:
        """Record a delivery as handled at once; False when it was recorded before (claimed or done)."""
        now = utc_now_iso()
        with self._db.atomic():
            cursor = self._db.execute("insert into handled_once (channel, key, status, received_at, updated_at) "
                                      "values (?, ?, ?, ?, ?) on conflict(channel, key) do nothing",
                                      [self.channel, key, DONE, now, now])
        return cursor.rowcount == 1

    def status(self, key: str) -> str | None:
        """``processing``, ``done``, or None for a delivery never seen (or forgotten)."""
        row = self._db.execute("select status from handled_once where channel = ? and key = ?",
                               [self.channel, key]).fetchone()
        return row[0] if row else None

    def prune(self, older_than: timedelta, done_only: bool = True) -> int:
        """Forget deliveries received before ``older_than`` ago (only finished ones unless
        ``done_only`` is False); returns how many."""
        cutoff = (utc_now() - older_than).isoformat(timespec="seconds")
        status = "and status = 'done'" if done_only else ""
        with self._db.atomic():
            cursor = self._db.execute(f"delete from handled_once where channel = ? and received_at < ? {status}",
                                      [self.channel, cutoff])
        return cursor.rowcount
