"""Order status for the shopper's own orders only."""
from __future__ import annotations

from typing import Any

from core.actions.base import Action, ActionResult
from core.i18n import t
from core.money import format_price
from core.shop.live import LiveOrders
from core.shop.local import LocalShop
from core.store import Store
from core.turn import Turn


def normalise_order_id(raw: str) -> list[str]:
    """The spellings an order id may be stored under: "w2611340" -> ["#W2611340", "W2611340", …]."""
    bare = raw.strip().lstrip("#").upper()
    candidates = [f"#{bare}", bare]
    if bare.isdigit():
        candidates.insert(0, f"#W{bare}")
    return candidates


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


def order_facts(order: dict[str, Any]) -> dict[str, Any]:
    """The facts of an order a reply may state."""
    shipping: dict[str, str] = {"zh": "", "en": ""}
    if order["tracking_number"]:
        shipping = {lang: _shipping_line(order, lang) for lang in ("zh", "en")}
    return {
        "order_id": order["id"],
        "date": (order["created_at"] or "")[:10],
        "total": format_price(order["total_cents"] or 0, order["currency"] or "CNY"),
        "status": {lang: t(f"status_{order['status']}", lang) for lang in ("zh", "en")},
        "shipping": shipping,
        "as_of": _as_of(order),
    }


def _as_of(order: dict[str, Any]) -> dict[str, str]:
    """Nothing for an order read from the shop just now; else when the cached copy was last confirmed."""
    if "stale_since" not in order:
        return {"zh": "", "en": ""}
    since = order["stale_since"]
    return {lang: t("order_as_of", lang, time=f"{since[:16].replace('T', ' ')} UTC" if since else t("unknown", lang))
            for lang in ("zh", "en")}


def _shipping_line(order: dict[str, Any], lang: str) -> str:
    """Carrier, tracking number and date: only what the shop's data holds, and plainly what it lacks."""
    if order["expected_delivery"]:
        key = "order_delivered_on" if order["status"] == "delivered" else "order_expected"
        expected = t(key, lang, expected=order["expected_delivery"][:10])
    else:
        expected = t("order_no_date", lang)
    if order["carrier"]:
        return t("order_shipping", lang, carrier=order["carrier"], tracking_number=order["tracking_number"],
                 expected=expected)
    return t("order_tracking_only", lang, tracking_number=order["tracking_number"], expected=expected)
