"""What the WeChat channel keeps in its own tables: the signed (timestamp, nonce) pairs used (so a
signed URL is good for one request) and the ids of menu options (WeChat sends back an id, Kefu needs
the payload); migrated when the channel registers them, with its part of a shopper's data rights.
Deliveries seen (a retry is handled once, across restarts too) are in the core's one ledger
(``store.handled_once("wechat")``)."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

import sqlite_utils

from core.clock import utc_now_iso
from core.store import Store
from core.store.tables import ChannelData, OwnTables, TableSet

DELIVERIES_KEPT = timedelta(days=2)
"""WeChat retries within seconds; finished deliveries older than this can be forgotten."""


def _nonces_and_menus(db: sqlite_utils.Database) -> None:
    """Signed (timestamp, nonce) pairs used with the digest of their request, and menu option ids."""
    db["wechat_nonces"].create({"timestamp": int, "nonce": str, "digest": str, "seen_at": str},
                               pk=("timestamp", "nonce"), if_not_exists=True)
    db["wechat_menu_items"].create({"id": int, "open_id": str, "payload": str, "created_at": str}, pk="id",
                                   if_not_exists=True)
    db["wechat_menu_items"].create_index(["open_id", "payload"], unique=True, if_not_exists=True)


TABLES = TableSet("wechat", ("wechat_nonces", "wechat_menu_items"), (_nonces_and_menus,))


class WeChatLedger:
    """The ``wechat_nonces`` and ``wechat_menu_items`` tables."""

    def __init__(self, own: OwnTables) -> None:
        self._tables = own

    def use_nonce(self, timestamp: int, nonce: str, digest: str, forget_before: int) -> bool:
        """Record a signed (timestamp, nonce) pair with the digest of the request that carried it.

        False when the pair was already used by a request with another digest (a replay); True for a
        new pair, or the same request again (WeChat resending it). Pairs with a timestamp before
        ``forget_before`` (too old to pass the freshness check anyway) are forgotten."""
        with self._tables.atomic():
            self._tables.execute("delete from wechat_nonces where timestamp < ?", [forget_before])
            self._tables.execute("insert or ignore into wechat_nonces (timestamp, nonce, digest, seen_at) "
                                 "values (?, ?, ?, ?)", [timestamp, nonce, digest, utc_now_iso()])
            row = self._tables.execute("select digest from wechat_nonces where timestamp = ? and nonce = ?",
                                       [timestamp, nonce]).fetchone()
        return row[0] == digest

    def menu_id(self, open_id: str, payload: str) -> str:
        """The menu option id standing for ``payload`` for this follower (the same id every time)."""
        table = self._tables.table("wechat_menu_items")
        table.insert({"open_id": open_id, "payload": payload, "created_at": utc_now_iso()}, ignore=True)
        row = self._tables.execute("select id from wechat_menu_items where open_id = ? and payload = ?",
                                   [open_id, payload]).fetchone()
        return str(row[0])

    def menu_payload(self, open_id: str, menu_id: str) -> str | None:
        """The payload behind a tapped menu option of this follower, or None."""
        if not menu_id.isdigit():
            return None
        row = self._tables.execute("select payload from wechat_menu_items where id = ? and open_id = ?",
                                   [int(menu_id), open_id]).fetchone()
        return row[0] if row else None

    def data_of(self, open_id: str) -> dict[str, list[dict[str, Any]]]:
        """The follower's menu options, by table (their data export; nonces name nobody)."""
        rows = list(self._tables.table("wechat_menu_items").rows_where(
            "open_id = ?", [open_id], order_by="id", select="payload, created_at"))
        return {"wechat_menu_items": rows} if rows else {}

    def forget(self, open_id: str) -> None:
        """Delete the follower's menu options (their data was erased)."""
        self._tables.execute("delete from wechat_menu_items where open_id = ?", [open_id])


def register(store: Store) -> WeChatLedger:
    """Migrate the channel's tables and register its data-rights hook; the ledger on its tables."""
    return WeChatLedger(store.register(TABLES, _data_rights))


def _data_rights(own: OwnTables) -> ChannelData:
    """A follower's menu options are their data (nonces name nobody)."""
    ledger = WeChatLedger(own)
    return ChannelData(TABLES.owner, ledger.data_of, ledger.forget)
