"""Changes to orders made in chat: each one, with its payments/refunds rows, its request row and its
audit-log entry, is written in one transaction (all or nothing)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from core.clock import utc_now_iso
from core.store import Store


@dataclass
class OrderChange:
    """Everything one confirmed change writes. ``status``/``address``/``items`` replace the order's;
    ``payments`` are new payments/refunds rows; ``request`` a new order_requests row."""

    order_id: str
    action: str
    actor: str
    audit: dict[str, Any]
    status: str | None = None
    address: dict[str, Any] | None = None
    items: list[dict[str, Any]] | None = None
    total_cents: int | None = None
    payments: list[dict[str, Any]] = field(default_factory=list)
    request: dict[str, Any] | None = None


class OrderChanges:
    """Applies :class:`OrderChange` records and reads back the requests made in chat."""

    def __init__(self, store: Store) -> None:
        self._db = store.db

    def apply(self, change: OrderChange) -> None:
        """Write the change, its rows and its audit entry atomically."""
        now = utc_now_iso()
        with self._db.atomic():
            update: dict[str, Any] = {"updated_at": now}
            if change.status:
                update["status"] = change.status
            if change.address is not None:
                update["address"] = json.dumps(change.address, ensure_ascii=False)
            if change.total_cents is not None:
                update["total_cents"] = change.total_cents
            self._db["orders"].update(change.order_id, update)
            if change.items is not None:
                for item in change.items:
                    self._db["order_items"].update(item["id"], {
                        "variant_id": item["variant_id"], "price_cents": item["price_cents"],
                        "options": json.dumps(item["options"], ensure_ascii=False)})
            self._db["payments"].insert_all({**p, "order_id": change.order_id, "created_at": now}
                                            for p in change.payments)
            if change.request is not None:
                self._db["order_requests"].insert({**change.request, "order_id": change.order_id, "created_at": now,
                                                   "details": json.dumps(change.request.get("details") or {},
                                                                         ensure_ascii=False)})
            self._db["audit_log"].insert({"at": now, "actor": change.actor, "action": change.action,
                                          "target": change.order_id,
                                          "details": json.dumps(change.audit, ensure_ascii=False)})

    def requests(self, order_id: str) -> list[dict[str, Any]]:
        """The requests made for one order, oldest first."""
        rows = self._db["order_requests"].rows_where("order_id = ?", [order_id], order_by="id")
        return [{**r, "details": json.loads(r["details"] or "{}")} for r in rows]
