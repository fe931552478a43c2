"""Orders, their items and payments."""
from __future__ import annotations

from typing import Any

import sqlite_utils

from core.store.jsoncols import decode

ORDER_STATUSES = (
    "pending", "processed", "shipped", "delivered", "cancelled",
    "return_requested", "exchange_requested", "refunded",
)


class Orders:
    """Read and write orders. Callers check ownership; :meth:`for_customer` is the safe read."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def upsert(self, order: dict[str, Any], items: list[dict[str, Any]], payments: list[dict[str, Any]]) -> None:
        """Create or replace an order with its items and payments in one transaction."""
        if order["status"] not in ORDER_STATUSES:
            raise ValueError(f"unknown order status {order['status']!r}")
        with self._db.atomic():
            self._db["orders"].upsert(order, pk="id")
            self._db.execute("delete from order_items where order_id = ?", [order["id"]])
            self._db.execute("delete from payments where order_id = ?", [order["id"]])
            self._db["order_items"].insert_all({**item, "order_id": order["id"]} for item in items)
            self._db["payments"].insert_all({**p, "order_id": order["id"]} for p in payments)

    def get(self, order_id: str) -> dict[str, Any] | None:
        """One order (any owner) with items and payments; for staff tools and importers."""
        rows = list(self._db["orders"].rows_where("id = ?", [order_id]))
        if not rows:
            return None
        order = decode(rows[0], "address")
        order["items"] = [decode(r, "options") for r in self._db["order_items"].rows_where(
            "order_id = ?", [order_id], order_by="id")]
        order["payments"] = list(self._db["payments"].rows_where("order_id = ?", [order_id], order_by="id"))
        return order

    def get_for_customer(self, order_id: str, customer_id: int) -> dict[str, Any] | None:
        """The order if it belongs to ``customer_id``; None otherwise, whether or not it exists."""
        order = self.get(order_id)
        return order if order and order["customer_id"] == customer_id else None

    def for_customer(self, customer_id: int, limit: int = 20) -> list[dict[str, Any]]:
        """A customer's orders, newest first, without items."""
        rows = self._db["orders"].rows_where(
            "customer_id = ?", [customer_id], order_by="created_at desc, id desc", limit=limit)
        return [decode(r, "address") for r in rows]

    def count(self, status: str | None = None) -> int:
        """How many orders, optionally in one status."""
        if status:
            return self._db.execute("select count(*) from orders where status = ?", [status]).fetchone()[0]
        return self._db["orders"].count
