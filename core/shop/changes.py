"""Changes to orders made in chat: each one, with its payments/refunds rows, its request row and its
audit-log entry, is written in one transaction (all or nothing). What a confirmed change told the
shopper is kept under the conversation turn that confirmed it, written in the change's transaction, so
a turn cut off after the change but before its own commit is answered from it, never made again."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from core.clock import utc_now_iso
from core.shop.requests import ShopRequest
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
    shop: ShopRequest | None = None
    """What the shop's own system must do for this change (None: nothing, e.g. a request a colleague
    approves first); the engine sends it before anything is written here."""


class OrderChanges:
    """Applies :class:`OrderChange` records and reads back the requests made in chat."""

    def __init__(self, store: Store) -> None:
        self._db = store.db

    def apply(self, change: OrderChange, order_state: bool = True) -> None:
        """Write the change, its rows and its audit entry atomically. ``order_state=False``: the shop
        already said what the order is now (its copy is in the cache), so only the request row and the
        audit entry are written, not Kefu's own idea of the new status, items and payments."""
        now = utc_now_iso()
        with self._db.atomic():
            if order_state:
                self._write_order_state(change, now)
            if change.request is not None:
                self._db["order_requests"].insert({**change.request, "order_id": change.order_id, "created_at": now,
                                                   "details": json.dumps(change.request.get("details") or {},
                                                                         ensure_ascii=False)})
            self._db["audit_log"].insert({"at": now, "actor": change.actor, "action": change.action,
                                          "target": change.order_id,
                                          "details": json.dumps(change.audit, ensure_ascii=False)})

    def _write_order_state(self, change: OrderChange, now: str) -> None:
        """The order's new status, address, items, total and payments rows."""
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

    def record_outcome(self, conversation_id: str, turn: int, flow: str, outcome: dict[str, Any]) -> None:
        """Keep what the change ``flow`` made in ``turn`` of the conversation told the shopper; call it in
        the change's transaction. A second change in the same turn fails (and with it that change)."""
        self._db.execute("insert into confirmed_changes (conversation_id, turn, flow, outcome, created_at) "
                         "values (?, ?, ?, ?, ?)", [conversation_id, turn, flow,
                                                    json.dumps(outcome, ensure_ascii=False), utc_now_iso()])

    def outcome_after(self, conversation_id: str, flow: str, turn: int) -> dict[str, Any] | None:
        """What the latest change ``flow`` made in the conversation after ``turn`` told the shopper (None: none)."""
        row = self._db.execute("select outcome from confirmed_changes where conversation_id = ? and flow = ? "
                               "and turn > ? order by turn desc limit 1", [conversation_id, flow, turn]).fetchone()
        return json.loads(row[0]) if row else None

    def requests(self, order_id: str) -> list[dict[str, Any]]:
        """The requests made for one order, oldest first."""
        rows = self._db["order_requests"].rows_where("order_id = ?", [order_id], order_by="id")
        return [{**r, "details": json.loads(r["details"] or "{}")} for r in rows]


class ChangePlan:
    """The changes one flow step asks for, collected instead of written (``FlowContext.changes``): the
    engine sends what the shop must do first, then writes them (:meth:`OrderChanges.apply`). Reads
    go to the store."""

    def __init__(self, changes: OrderChanges) -> None:
        self._changes = changes
        self.planned: list[OrderChange] = []

    def apply(self, change: OrderChange) -> None:
        """Plan ``change``."""
        self.planned.append(change)

    def requests(self, order_id: str) -> list[dict[str, Any]]:
        """The requests already made for one order, oldest first."""
        return self._changes.requests(order_id)

    def shop_request(self) -> ShopRequest | None:
        """What the shop must do for the planned changes (a step plans at most one such change)."""
        return next((change.shop for change in self.planned if change.shop is not None), None)

    def write(self, order_state: bool = True) -> None:
        """Write every planned change (see :meth:`OrderChanges.apply`)."""
        for change in self.planned:
            self._changes.apply(change, order_state)
