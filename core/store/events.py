"""Shopper behaviour events (view, cart, purchase) that drive recommendations."""
from __future__ import annotations

from typing import Any

import sqlite_utils

from core.clock import utc_now_iso

EVENT_KINDS = ("view", "cart", "purchase")


class Events:
    """Record and read behaviour events."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def record(self, customer_id: int, kind: str, product_id: str, variant_id: str | None = None,
               at: str | None = None) -> None:
        """Record one event; the same (customer, kind, product, time) is stored once."""
        if kind not in EVENT_KINDS:
            raise ValueError(f"unknown event kind {kind!r}")
        self._db.execute("insert or ignore into events (customer_id, kind, product_id, variant_id, created_at) "
                         "values (?, ?, ?, ?, ?)", [customer_id, kind, product_id, variant_id, at or utc_now_iso()])

    def for_customer(self, customer_id: int, limit: int = 100) -> list[dict[str, Any]]:
        """A customer's events, newest first."""
        return list(self._db["events"].rows_where(
            "customer_id = ?", [customer_id], order_by="created_at desc, id desc", limit=limit))
