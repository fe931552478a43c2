"""What the WeChat channel keeps in the store: deliveries seen (so a retry is handled once, across
restarts too), the signed (timestamp, nonce) pairs used (so a signed URL is good for one request),
and the ids of menu options (WeChat sends back an id, Kefu needs the payload)."""
from __future__ import annotations

import sqlite3
from datetime import timedelta

import sqlite_utils

from core.clock import utc_now, utc_now_iso

PROCESSING = "processing"
DONE = "done"


class WeChatLedger:
    """The ``wechat_deliveries``, ``wechat_nonces`` and ``wechat_menu_items`` tables."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def claim(self, key: str, open_id: str) -> bool:
        """Record a delivery before handling it. False when it was already handled to the end;
        True for a new one, or one a crash interrupted (still "processing" in the store)."""
        now = utc_now_iso()
        try:
            self._db["wechat_deliveries"].insert(
                {"key": key, "open_id": open_id, "status": PROCESSING, "received_at": now, "updated_at": now})
            return True
        except sqlite3.IntegrityError:
            row = self._db.execute("select status from wechat_deliveries where key = ?", [key]).fetchone()
            return row is not None and row[0] != DONE

    def finish(self, key: str) -> None:
        """Mark a delivery handled: its replies are sent (or given up on and logged)."""
        self._db["wechat_deliveries"].update(key, {"status": DONE, "updated_at": utc_now_iso()})

    def status(self, key: str) -> str | None:
        """``processing``, ``done``, or None for a delivery never seen."""
        row = self._db.execute("select status from wechat_deliveries where key = ?", [key]).fetchone()
        return row[0] if row else None

    def prune(self, older_than: timedelta = timedelta(days=2)) -> int:
        """Forget finished deliveries older than ``older_than`` (WeChat retries within seconds)."""
        cutoff = (utc_now() - older_than).isoformat(timespec="seconds")
        with self._db.atomic():
            cursor = self._db.execute("delete from wechat_deliveries where status = ? and received_at < ?",
                                      [DONE, cutoff])
        return cursor.rowcount

    def use_nonce(self, timestamp: int, nonce: str, digest: str, forget_before: int) -> bool:
        """Record a signed (timestamp, nonce) pair with the digest of the request that carried it.

        False when the pair was already used by a request with another digest (a replay); True for a
        new pair, or the same request again (WeChat resending it). Pairs with a timestamp before
        ``forget_before`` (too old to pass the freshness check anyway) are forgotten."""
        with self._db.atomic():
            self._db.execute("delete from wechat_nonces where timestamp < ?", [forget_before])
            self._db.execute("insert or ignore into wechat_nonces (timestamp, nonce, digest, seen_at) "
                             "values (?, ?, ?, ?)", [timestamp, nonce, digest, utc_now_iso()])
            row = self._db.execute("select digest from wechat_nonces where timestamp = ? and nonce = ?",
                                   [timestamp, nonce]).fetchone()
        return row[0] == digest

    def menu_id(self, open_id: str, payload: str) -> str:
        """The menu option id standing for ``payload`` for this follower (the same id every time)."""
        table = self._db["wechat_menu_items"]
        table.insert({"open_id": open_id, "payload": payload, "created_at": utc_now_iso()}, ignore=True)
        row = self._db.execute("select id from wechat_menu_items where open_id = ? and payload = ?",
                               [open_id, payload]).fetchone()
        return str(row[0])

    def menu_payload(self, open_id: str, menu_id: str) -> str | None:
        """The payload behind a tapped menu option of this follower, or None."""
        if not menu_id.isdigit():
            return None
        row = self._db.execute("select payload from wechat_menu_items where id = ? and open_id = ?",
                               [int(menu_id), open_id]).fetchone()
        return row[0] if row else None
