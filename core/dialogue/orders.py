"""An order as the dialogue speaks of it: the spellings of its id, and the facts a reply may state."""
from __future__ import annotations

from typing import Any

from core.i18n import t
from core.money import format_price


def normalise_order_id(raw: str) -> list[str]:
    """The spellings an order id may be stored under: "w2611340" -> ["#W2611340", "W2611340", …]."""
    bare = raw.strip().lstrip("#").upper()
    candidates = [f"#{bare}", bare]
    if bare.isdigit():
        candidates.insert(0, f"#W{bare}")
    return candidates


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
