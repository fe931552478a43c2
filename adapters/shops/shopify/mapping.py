"""Shopify's records (as :mod:`adapters.shops.shopify.queries` selects them) as the shop port's model.

Everything comes from the network, so every field is checked: a record without its id, or with an
amount that is not money, raises :class:`ValueError` (the backend turns that into ``ShopUnavailable``);
optional fields that are missing or malformed become None. GIDs are the external ids; money is
integer cents of the order's currency (Shopify's ``shopMoney``); times are ISO 8601 UTC.

Kefu's order status from Shopify's: cancelled (``cancelledAt``), refunded (``REFUNDED``), exchange /
return requested (an open or requested return, with or without exchange lines), delivered (every
parcel delivered), shipped (a parcel sent), processed (being prepared: a fulfillment in progress,
on hold or scheduled), pending (placed, not yet being prepared: what a shopper may still cancel)."""
from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from adapters.shops.shopify.fields import get, nodes
from core.language import detect_language
from core.money import to_cents
from core.shop.model import (
    ShopCustomer,
    ShopFulfilment,
    ShopItem,
    ShopOrder,
    ShopPayment,
    ShopProduct,
    ShopVariant,
)

_OPEN_RETURNS = {"OPEN", "REQUESTED"}
_PREPARING = {"IN_PROGRESS", "PENDING_FULFILLMENT", "ON_HOLD", "SCHEDULED"}
_PAYMENT_KINDS = {"SALE": "payment", "CAPTURE": "payment", "REFUND": "refund"}


def _text(value: Any, limit: int = 500) -> str | None:
    return value.strip()[:limit] or None if isinstance(value, str) else None


def _gid(value: Any, kind: str) -> str:
    if not isinstance(value, str) or not value.startswith(f"gid://shopify/{kind}/") or len(value) > 200:
        raise ValueError(f"not a Shopify {kind} id")
    return value


def _time(value: Any) -> str | None:
    """An ISO 8601 UTC string as the store writes them, or None."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def money(value: Any) -> int:
    """Cents of a ``MoneyV2`` / ``MoneyBag.shopMoney`` amount."""
    amount = get(value, "shopMoney", "amount") if isinstance(get(value, "shopMoney"), dict) else get(value, "amount")
    if not isinstance(amount, str | int | float) or isinstance(amount, bool):
        raise ValueError("not an amount")
    return to_cents(amount)


def options(selected: Any) -> dict[str, str]:
    """``selectedOptions`` as Kefu's options (``{"size": "M"}``), Shopify's placeholder left out."""
    out = {}
    for option in selected if isinstance(selected, list) else []:
        name, value = _text(get(option, "name"), 60), _text(get(option, "value"), 120)
        if name and value and value != "Default Title":
            out[name.lower()] = value
    return out


def address(value: Any) -> dict[str, Any] | None:
    """A ``MailingAddress`` as Kefu's address (``line1``, ``line2``, ``city``, ``province``, ``zip``, ``country``)."""
    if not isinstance(value, dict):
        return None
    name = " ".join(p for p in (_text(value.get("firstName")), _text(value.get("lastName"))) if p)
    fields = {"name": name or None, "line1": _text(value.get("address1")), "line2": _text(value.get("address2")),
              "city": _text(value.get("city")), "province": _text(value.get("province")),
              "zip": _text(value.get("zip"), 20), "country": _text(value.get("countryCodeV2"), 2),
              "phone": _text(value.get("phone"), 40)}
    kept = {k: v for k, v in fields.items() if v}
    return kept or None


def customer(value: Any) -> ShopCustomer:
    """A ``Customer``."""
    home = address(get(value, "defaultAddress"))
    name = " ".join(p for p in (_text(get(value, "firstName")), _text(get(value, "lastName"))) if p)
    return ShopCustomer(_gid(get(value, "id"), "Customer"), _email(get(value, "email")),
                        _text(get(value, "phone"), 40), name or None, (home or {}).get("zip"), home)


def _email(value: Any) -> str | None:
    text = _text(value, 254)
    return text.lower() if text and "@" in text else None


def _guest(order: dict[str, Any]) -> ShopCustomer:
    """The buyer of a guest checkout: known by the order's email only."""
    email = _email(order.get("email"))
    return ShopCustomer(f"guest:{email}" if email else f"guest:{order['id']}", email)


def status(order: dict[str, Any]) -> str:
    """Kefu's status of a Shopify order (see the module docstring)."""
    if order.get("cancelledAt"):
        return "cancelled"
    financial = order.get("displayFinancialStatus")
    if financial == "REFUNDED":
        return "refunded"
    returns = [r for r in nodes(order.get("returns")) if r.get("status") in _OPEN_RETURNS]
    if any(nodes(r.get("exchangeLineItems")) for r in returns):
        return "exchange_requested"
    if returns:
        return "return_requested"
    sent = [f for f in nodes(order.get("fulfillments")) if isinstance(f, dict) and f.get("status") == "SUCCESS"]
    if sent and order.get("displayFulfillmentStatus") == "FULFILLED" and all(f.get("deliveredAt") for f in sent):
        return "delivered"
    if sent:
        return "shipped"
    return "processed" if order.get("displayFulfillmentStatus") in _PREPARING else "pending"


def order(value: Any) -> ShopOrder:
    """An ``Order``."""
    if not isinstance(value, dict):
        raise ValueError("not an order")
    external_id = _gid(value.get("id"), "Order")
    number = _text(value.get("name"), 64)
    currency = _text(value.get("currencyCode"), 3)
    if not number or not currency:
        raise ValueError("an order without its name or currency")
    buyer = customer(value["customer"]) if isinstance(value.get("customer"), dict) else _guest(value)
    fulfilments = tuple(_fulfilment(f) for f in nodes(value.get("fulfillments"))
                        if isinstance(f, dict) and f.get("status") == "SUCCESS")
    expected = next((f.delivered_at for f in reversed(fulfilments) if f.delivered_at), None) or next(
        (_time(f.get("estimatedDeliveryAt")) for f in nodes(value.get("fulfillments"))
         if isinstance(f, dict) and _time(f.get("estimatedDeliveryAt"))), None)
    return ShopOrder(
        external_id, number, buyer, status(value), currency, money(value.get("totalPriceSet")),
        _time(value.get("createdAt")), _time(value.get("updatedAt")), address(value.get("shippingAddress")),
        tuple(_item(i) for i in nodes(value.get("lineItems")) if _current(i) > 0),
        tuple(p for p in map(_payment, nodes(value.get("transactions"))) if p is not None),
        fulfilments, expected)


def _current(item: dict[str, Any]) -> int:
    quantity = item.get("currentQuantity", item.get("quantity"))
    return quantity if isinstance(quantity, int) and not isinstance(quantity, bool) and quantity > 0 else 0


def _item(value: dict[str, Any]) -> ShopItem:
    variant = value.get("variant") if isinstance(value.get("variant"), dict) else {}
    product_id = get(variant, "product", "id")
    return ShopItem(_gid(value.get("id"), "LineItem"),
                    _gid(variant["id"], "ProductVariant") if variant.get("id") else None,
                    _gid(product_id, "Product") if product_id else None,
                    _text(value.get("title"), 200) or "", _current(value), money(value.get("originalUnitPriceSet")),
                    options(variant.get("selectedOptions")))


def _payment(value: Any) -> ShopPayment | None:
    kind = _PAYMENT_KINDS.get(get(value, "kind"))
    if kind is None or get(value, "status") != "SUCCESS":
        return None
    return ShopPayment(kind, money(value.get("amountSet")), _text(value.get("gateway"), 60) or "",
                       _gid(value.get("id"), "OrderTransaction"), _time(value.get("createdAt")))


def _fulfilment(value: dict[str, Any]) -> ShopFulfilment:
    tracking = next((t for t in nodes(value.get("trackingInfo")) if isinstance(t, dict)), {})
    url = _text(tracking.get("url"), 500)
    return ShopFulfilment(_text(tracking.get("company"), 100), _text(tracking.get("number"), 100),
                          url if url and url.startswith("https://") else None,
                          _time(value.get("createdAt")), _time(value.get("deliveredAt")))


def product(value: Any, currency: str) -> ShopProduct:
    """A ``Product`` with its variants, priced in the shop's ``currency``."""
    if not isinstance(value, dict):
        raise ValueError("not a product")
    title = _text(value.get("title"), 200) or ""
    listed = value.get("tags") if isinstance(value.get("tags"), list) else []
    tags = tuple(t for t in (_text(t, 60) for t in listed) if t)
    variants = tuple(_variant(v, currency) for v in nodes(value.get("variants")))
    description = _text(value.get("description"), 5000)
    language = detect_language(title).language  # Shopify keeps one title; Kefu files it under its language
    return ShopProduct(_gid(value.get("id"), "Product"), {language: title} if title else {}, variants,
                       {language: description} if description else {}, _text(value.get("productType"), 60), tags)


def _variant(value: dict[str, Any], currency: str) -> ShopVariant:
    stock = value.get("inventoryQuantity")
    stock = stock if isinstance(stock, int) and not isinstance(stock, bool) else None
    return ShopVariant(_gid(value.get("id"), "ProductVariant"), to_cents(value.get("price")), currency,
                       options(value.get("selectedOptions")), _text(value.get("sku"), 100), stock,
                       value.get("availableForSale") is not False)
