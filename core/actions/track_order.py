"""Order status for the shopper's own orders only."""
from __future__ import annotations

from typing import Any

from core.actions.base import Action
from core.dialogue.orders import normalise_order_id, order_facts
from core.shop.live import LiveOrders
from core.shop.local import LocalShop
from core.store import Store
from core.turn import ActionResult, Turn


class TrackOrderAction(Action):
    """Status, carrier, tracking number and expected date of one of the shopper's orders."""

    name = "track_order"

    def __init__(self, store: Store, live: LiveOrders | None = None) -> None:
        """``live``: reads the order from the shop's own system (default: the store is the shop)."""
        self._store = store
        self._live = live or LiveOrders(store, LocalShop(store))

    async def run(self, turn: Turn) -> ActionResult:
        """Look the order up among the shopper's own (the one named, else the open task's, else the latest);
        another customer's order is "not found"."""
        if turn.customer is None:
            return ActionResult("need_identity", buttons=[("btn_human", "/human")])
        raw = turn.nlu.entities.get("order_id")
        in_task = turn.state.active_task is not None  # a digression: "what's the status of this order?"
        discussed = turn.state.slots.get("order_id") if in_task else None
        if raw or discussed:
            order = await self._find(raw or discussed, turn.customer["id"])
        else:
            order = await self._latest(turn.customer["id"])
        if raw and order is None:
            return ActionResult("order_not_found", {"order_id": raw})
        if order is None:
            return ActionResult("no_orders")
        if not in_task:  # the open task's order stays the one it is about
            turn.state.slots["order_id"] = order["id"]
        return ActionResult("order_status", order_facts(order))

    async def _find(self, raw: str, customer_id: int) -> dict[str, Any] | None:
        for candidate in normalise_order_id(raw):
            order = self._store.orders.get_for_customer(candidate, customer_id)
            if order:
                return await self._fresh(order, customer_id)
        return None

    async def _latest(self, customer_id: int) -> dict[str, Any] | None:
        orders = self._store.orders.for_customer(customer_id, limit=1)
        order = self._store.orders.get(orders[0]["id"]) if orders else None
        return await self._fresh(order, customer_id) if order else None

    async def _fresh(self, order: dict[str, Any], customer_id: int) -> dict[str, Any] | None:
        """The order as the shop has it now, still the shopper's own."""
        fresh = await self._live.fresh(order)
        return fresh if fresh["customer_id"] == customer_id else None
