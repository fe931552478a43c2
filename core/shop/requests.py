"""The after-sales changes a flow asks the shop to make, as the shop port receives them. Each names the
order by the shop's id and carries everything the shop needs; the engine adds an idempotency key
(:class:`core.shop.port.ShopBackend.apply`)."""
from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Capability(StrEnum):
    """What a backend can change in the shop's system."""

    CANCEL = "cancel"
    UPDATE_ADDRESS = "update_address"
    CHANGE_ITEMS = "change_items"
    RETURN = "return"
    EXCHANGE = "exchange"
    REFUND = "refund"


@dataclass(frozen=True)
class CancelOrder:
    """Cancel the order and refund ``refund_cents`` (what was paid and not yet refunded) to the
    original payment methods."""

    order_id: str
    reason: str | None
    refund_cents: int
    capability = Capability.CANCEL


@dataclass(frozen=True)
class UpdateShippingAddress:
    """Replace the order's shipping address (``line1``, ``line2``, ``city``, ``province``, ``zip``,
    ``country``, as far as known)."""

    order_id: str
    address: dict[str, Any]
    capability = Capability.UPDATE_ADDRESS


@dataclass(frozen=True)
class ItemSwap:
    """One line of the order to get another variant."""

    item_id: str
    quantity: int
    new_variant_id: str


@dataclass(frozen=True)
class ChangeItems:
    """Before shipping: swap items of the order for other variants; ``difference_cents`` is what the
    shopper pays (positive) or gets back (negative)."""

    order_id: str
    swaps: tuple[ItemSwap, ...]
    difference_cents: int
    capability = Capability.CHANGE_ITEMS


@dataclass(frozen=True)
class RequestReturn:
    """After delivery: the shopper sends ``items`` (item id, quantity) back for ``reason``; the refund
    (``refund_cents`` by ``refund_method``) follows when the shop receives them."""

    order_id: str
    items: tuple[tuple[str, int], ...]
    reason: str | None
    refund_cents: int
    refund_method: str
    capability = Capability.RETURN


@dataclass(frozen=True)
class RequestExchange:
    """After delivery: send items back for other variants of the same product."""

    order_id: str
    swaps: tuple[ItemSwap, ...]
    reason: str | None
    difference_cents: int
    capability = Capability.EXCHANGE


@dataclass(frozen=True)
class RefundPayment:
    """Refund ``amount_cents`` of the order's payments."""

    order_id: str
    amount_cents: int
    reason: str | None
    capability = Capability.REFUND


ShopRequest = CancelOrder | UpdateShippingAddress | ChangeItems | RequestReturn | RequestExchange | RefundPayment
