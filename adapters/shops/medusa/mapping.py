"""Medusa v2 Admin API JSON as Kefu's shop model. Everything here comes from the network: a field of
the wrong type is treated as absent, never trusted.

* Money: Medusa v2 amounts are decimal major units (``89.5`` is 89.50 USD); Kefu keeps integer cents.
* The number a shopper sees is ``#<display_id>``.
* Statuses: Medusa's ``status`` says little (an order stays ``pending`` through delivery), so Kefu's
  status comes from, in order: canceled; an open return (or exchange) request; fully refunded; then
  ``fulfillment_status`` (delivered, shipped, fulfilled = processed, else pending).
* Tracking: ``fulfillments[].labels[].tracking_number``; Medusa has no carrier field, so the carrier is
  ``fulfillments[].metadata.carrier`` when the shop puts it there, else the fulfilment provider."""
from __future__ import annotations

from typing import Any

from core.money import to_cents
from core.shop.model import (ShopCustomer, ShopFulfilment, ShopItem, ShopOrder, ShopPayment, ShopProduct,
                             ShopVariant)

ORDER_FIELDS = ",".join((
    "+email", "+currency_code", "+customer_id", "+canceled_at", "+total", "*items", "*items.variant.options",
    "*items.variant.options.option", "*fulfillments",
    "*fulfillments.labels", "*payment_collections", "*payment_collections.payments",
    "*payment_collections.payments.refunds", "*returns", "*returns.items", "*shipping_address", "*customer"))
"""What an order read asks for (a ``+``/``*`` list adds to Medusa's defaults; ``payment_status`` and
``fulfillment_status`` are computed only when payments and fulfilments are asked for)."""
PRODUCT_FIELDS = ",".join(("*variants", "*variants.options", "*variants.options.option", "*variants.prices",
                           "*variants.inventory_items", "*variants.inventory_items.inventory",
                           "*variants.inventory_items.inventory.location_levels", "*categories", "*tags"))
"""The admin API has no ``inventory_quantity`` (only the store API computes it): stock is read from the
variant's inventory items and their levels at each location."""
OPTION_NAMES = {"colour": "color", "颜色": "color", "尺码": "size", "尺寸": "size"}
"""Medusa's option titles are the shop's own; Kefu's flows know ``color`` and ``size``."""
OPEN_RETURN = ("requested", "partially_received")
"""Return statuses of a request still open (``open`` is a draft staff are building; not asked for yet)."""
SHIPPING_STATUS = {"delivered": "delivered", "partially_delivered": "delivered", "shipped": "shipped",
                   "partially_shipped": "shipped", "fulfilled": "processed", "partially_fulfilled": "processed"}
ADDRESS_KEYS = {"line1": "address_1", "line2": "address_2", "city": "city", "province": "province",
                "zip": "postal_code", "country": "country_code"}
"""Kefu's address keys and Medusa's."""


def cents(value: Any) -> int:
    """A Medusa amount (major units, a number or a decimal string) in cents; 0 when it is not one."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return 0
    try:
        return to_cents(value)
    except ValueError:
        return 0


def major(amount_cents: int) -> float:
    """Cents as the major-unit amount Medusa takes."""
    return round(amount_cents / 100, 2)


def kefu_status(order: dict[str, Any]) -> str:
    """Kefu's status of a Medusa order (see the module docstring)."""
    if order.get("status") == "canceled" or order.get("canceled_at"):
        return "cancelled"
    open_returns = [r for r in _dicts(order.get("returns")) if r.get("status") in OPEN_RETURN]
    if any(by_exchange(r) for r in open_returns):
        return "exchange_requested"
    if open_returns:
        return "return_requested"
    if order.get("payment_status") == "refunded":
        return "refunded"
    return SHIPPING_STATUS.get(str(order.get("fulfillment_status")), "pending")


def by_exchange(made: dict[str, Any]) -> bool:
    """Whether a return is the inbound half of an exchange."""
    return bool(made.get("exchange_id") or made.get("exchange"))


def address(medusa: Any) -> dict[str, Any] | None:
    """A Medusa address as Kefu's (``line1``, ``city``, ``zip``, ``country`` upper-case, …)."""
    if not isinstance(medusa, dict):
        return None
    found = {ours: _text(medusa.get(theirs)) for ours, theirs in ADDRESS_KEYS.items()}
    if found["country"]:
        found["country"] = found["country"].upper()
    found = {key: value for key, value in found.items() if value}
    return found or None


def medusa_address(kefu: dict[str, Any]) -> dict[str, str]:
    """Kefu's address as the fields Medusa's ``shipping_address`` takes (only those given)."""
    body = {theirs: str(kefu[ours]) for ours, theirs in ADDRESS_KEYS.items() if kefu.get(ours)}
    if "country_code" in body:
        body["country_code"] = body["country_code"].lower()
    return body


def customer(medusa: dict[str, Any], shipping: dict[str, Any] | None = None) -> ShopCustomer:
    """A Medusa customer; its zip and address from its default shipping address, else ``shipping``."""
    addresses = _dicts(medusa.get("addresses"))
    default = next((a for a in addresses if a.get("is_default_shipping")), addresses[0] if addresses else None)
    home = address(default) or shipping
    name = " ".join(part for part in (_text(medusa.get("first_name")), _text(medusa.get("last_name"))) if part)
    phone = _text(medusa.get("phone")) or (_text(default.get("phone")) if default else None)
    return ShopCustomer(str(medusa.get("id") or ""), _text(medusa.get("email")), phone, name or None,
                        home.get("zip") if home else None, home)


def order(medusa: dict[str, Any]) -> ShopOrder:
    """A Medusa order (read with :data:`ORDER_FIELDS`)."""
    shipping = address(medusa.get("shipping_address"))
    buyer = medusa.get("customer") if isinstance(medusa.get("customer"), dict) else {}
    if not buyer.get("email"):
        buyer = {**buyer, "id": buyer.get("id") or medusa.get("customer_id") or "", "email": medusa.get("email")}
    shopper = customer(buyer, shipping)
    if shopper.phone is None and isinstance(medusa.get("shipping_address"), dict):
        shopper = ShopCustomer(shopper.external_id, shopper.email, _text(medusa["shipping_address"].get("phone")),
                               shopper.name, shopper.zip, shopper.address)
    items = tuple(ShopItem(str(i.get("id")), _text(i.get("variant_id")), _text(i.get("product_id")), _title(i),
                           count(i.get("quantity")), cents(i.get("unit_price")), option_values(i.get("variant")))
                  for i in _dicts(medusa.get("items")))
    return ShopOrder(str(medusa.get("id")), f"#{medusa.get('display_id')}", shopper, kefu_status(medusa),
                     str(medusa.get("currency_code") or "").upper(), cents(medusa.get("total")),
                     _text(medusa.get("created_at")), _text(medusa.get("updated_at")), shipping, items,
                     payments(medusa), fulfilments(medusa))


def payments(medusa: dict[str, Any]) -> tuple[ShopPayment, ...]:
    """Each payment not canceled, then its refunds."""
    found: list[ShopPayment] = []
    for collection in _dicts(medusa.get("payment_collections")):
        for payment in _dicts(collection.get("payments")):
            if payment.get("canceled_at"):
                continue
            method = str(payment.get("provider_id") or "")
            found.append(ShopPayment("payment", cents(payment.get("amount")), method, _text(payment.get("id")),
                                     _text(payment.get("captured_at")) or _text(payment.get("created_at"))))
            found += [ShopPayment("refund", cents(refund.get("amount")), method, _text(refund.get("id")),
                                  _text(refund.get("created_at"))) for refund in _dicts(payment.get("refunds"))]
    return tuple(found)


def fulfilments(medusa: dict[str, Any]) -> tuple[ShopFulfilment, ...]:
    """One per label (tracking number) of each fulfilment not canceled; one without tracking when it has none."""
    found: list[ShopFulfilment] = []
    for fulfilment in _dicts(medusa.get("fulfillments")):
        if fulfilment.get("canceled_at"):
            continue
        metadata = fulfilment.get("metadata") if isinstance(fulfilment.get("metadata"), dict) else {}
        carrier = _text(metadata.get("carrier")) or _text(fulfilment.get("provider_id"))
        shipped, delivered = _text(fulfilment.get("shipped_at")), _text(fulfilment.get("delivered_at"))
        labels = [label for label in _dicts(fulfilment.get("labels")) if _text(label.get("tracking_number"))]
        found += [ShopFulfilment(carrier, _text(label.get("tracking_number")), _text(label.get("tracking_url")),
                                 shipped, delivered) for label in labels] or [ShopFulfilment(carrier, None, None,
                                                                                             shipped, delivered)]
    return tuple(found)


def product(medusa: dict[str, Any], currency: str) -> ShopProduct:
    """A Medusa product (read with :data:`PRODUCT_FIELDS`), priced in ``currency`` (lower-case code) where it can be."""
    variants = tuple(_variant(v, currency) for v in _dicts(medusa.get("variants")))
    categories = [c for c in _dicts(medusa.get("categories")) if _text(c.get("handle"))]
    tags = tuple(str(t["value"]) for t in _dicts(medusa.get("tags")) if _text(t.get("value")))
    title = _text(medusa.get("title")) or str(medusa.get("id"))
    description = _text(medusa.get("description"))
    return ShopProduct(str(medusa.get("id")), {"en": title}, variants, {"en": description} if description else {},
                       _text(categories[0].get("handle")) if categories else None, tags,
                       _text(medusa.get("thumbnail")))


def _variant(medusa: dict[str, Any], currency: str) -> ShopVariant:
    """Priced in ``currency`` when it has such a price, else in the first currency it has one in."""
    prices = [p for p in _dicts(medusa.get("prices")) if _text(p.get("currency_code"))]
    plain = [p for p in prices if not p.get("price_rules") and not p.get("rules_count")] or prices
    plain = [p for p in plain if str(p["currency_code"]).lower() == currency] or plain
    currency = str(plain[0]["currency_code"]) if plain else currency
    managed = medusa.get("manage_inventory") is not False
    stock = _stock(medusa)
    options = option_values(medusa)
    available = bool(plain) and (not managed or bool(medusa.get("allow_backorder")) or (stock or 0) > 0)
    return ShopVariant(str(medusa.get("id")), cents(plain[0].get("amount")) if plain else 0, currency.upper(),
                       options, _text(medusa.get("sku")), stock if managed else None, available)


def _stock(variant: dict[str, Any]) -> int | None:
    """Units that can be sold: for each inventory item, what its locations have available divided by
    how many one variant needs; the fewest of those. None when Medusa did not say."""
    counts = []
    for link in _dicts(variant.get("inventory_items")):
        inventory = link.get("inventory") if isinstance(link.get("inventory"), dict) else {}
        levels = _dicts(inventory.get("location_levels"))
        if not levels:
            continue
        available = sum(max(0, count(level.get("stocked_quantity")) - count(level.get("reserved_quantity")))
                        for level in levels)
        counts.append(available // max(1, count(link.get("required_quantity")) or 1))
    return min(counts) if counts else None


def _title(item: dict[str, Any]) -> str:
    title = _text(item.get("product_title")) or _text(item.get("title")) or "item"
    variant = _text(item.get("variant_title"))
    return f"{title} ({variant})" if variant and variant != title else title


def option_values(variant: Any) -> dict[str, str]:
    """A variant's options (``{"size": "M", "color": "Red"}``) from its option values and their options."""
    options = {}
    for value in _dicts(variant.get("options")) if isinstance(variant, dict) else []:
        option = value.get("option") if isinstance(value.get("option"), dict) else {}
        if _text(option.get("title")) and _text(value.get("value")):
            title = str(option["title"]).strip().lower()
            options[OPTION_NAMES.get(title, title)] = str(value["value"])
    return options


def count(value: Any) -> int:
    """A quantity (0 when it is not one)."""
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
