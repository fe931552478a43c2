"""Order status for the shopper's own orders only."""
from __future__ import annotations

from typing import Any

from core.actions.base import Action, ActionResult
from core.i18n import t
from core.money import format_price
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

    def __init__(self, store: Store) -> None:
        self._store = store

    async def run(self, turn: Turn) -> ActionResult:
        """Look the order up among the shopper's own; another customer's order is "not found"."""
        if turn.customer is None:
            return ActionResult("need_identity", buttons=[("btn_human", "/human")])
        raw = turn.nlu.entities.get("order_id")
        order = self._find(raw, turn.customer["id"]) if raw else self._latest(turn.customer["id"])
        if raw and order is None:
            return ActionResult("order_not_found", {"order_id": raw})
        if order is None:
            return ActionResult("no_orders")
        turn.state.slots["order_id"] = order["id"]
        return ActionResult("order_status", order_facts(order))

    def _find(self, raw: str, customer_id: int) -> dict[str, Any] | None:
        for candidate in normalise_order_id(raw):
            order = self._store.orders.get_for_customer(candidate, customer_id)
            if order:
                return order
        return None

    def _latest(self, customer_id: int) -> dict[str, Any] | None:
        orders = self._store.orders.for_customer(customer_id, limit=1)
        return self._store.orders.get(orders[0]["id"]) if orders else None


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
    }


def _shipping_line(order: dict[str, Any], lang: str) -> str:
    return t("order_shipping", lang, carrier=order["carrier"] or "-", tracking_number=order["tracking_number"],
             expected=order["expected_delivery"] or t("unknown", lang))
