"""What a shop's own system knows, as the shop port hands it to the core: customers, orders with their
items, payments and fulfilments, and the catalogue. Money is integer cents in the record's currency;
ids are the shop's own (``external_id``); times are ISO 8601 UTC strings or None when the shop does
not say (never invented)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ShopCustomer:
    """A customer of the shop."""

    external_id: str
    email: str | None = None
    phone: str | None = None
    name: str | None = None
    zip: str | None = None
    address: dict[str, Any] | None = None


@dataclass(frozen=True)
class ShopItem:
    """One line of an order."""

    external_id: str
    variant_id: str | None
    product_id: str | None
    name: str
    quantity: int
    price_cents: int
    options: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ShopPayment:
    """A payment or a refund (``kind``: ``payment`` / ``refund``) with the shop's id for it."""

    kind: str
    amount_cents: int
    method: str
    external_id: str | None = None
    created_at: str | None = None


@dataclass(frozen=True)
class ShopFulfilment:
    """A parcel: carrier and tracking number when the shop has them, and when it shipped / arrived."""

    carrier: str | None = None
    tracking_number: str | None = None
    tracking_url: str | None = None
    shipped_at: str | None = None
    delivered_at: str | None = None


@dataclass(frozen=True)
class ShopOrder:
    """An order as the shop has it. ``number`` is what the shopper sees and types ("#1001");
    ``status`` is one of Kefu's order statuses (:data:`core.store.ORDER_STATUSES`), mapped by the
    backend from the shop's own."""

    external_id: str
    number: str
    customer: ShopCustomer
    status: str
    currency: str
    total_cents: int
    created_at: str | None = None
    updated_at: str | None = None
    address: dict[str, Any] | None = None
    items: tuple[ShopItem, ...] = ()
    payments: tuple[ShopPayment, ...] = ()
    fulfilments: tuple[ShopFulfilment, ...] = ()
    expected_delivery: str | None = None
    """When it arrived (delivered) or is expected to; None when the shop does not say."""


@dataclass(frozen=True)
class ShopVariant:
    """One buyable variant: options (``{"size": "M", "color": "red"}``), price, stock (None: unknown)."""

    external_id: str
    price_cents: int
    currency: str
    options: dict[str, str] = field(default_factory=dict)
    sku: str | None = None
    stock: int | None = None
    available: bool = True


@dataclass(frozen=True)
class ShopProduct:
    """A product with its variants; titles and descriptions per language where the shop has them."""

    external_id: str
    title: dict[str, str]
    variants: tuple[ShopVariant, ...]
    description: dict[str, str] = field(default_factory=dict)
    category: str | None = None
    tags: tuple[str, ...] = ()
    image_url: str | None = None
