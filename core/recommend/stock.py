"""What a variant's stock says: in stock, out of stock, or not known (a shop that does not count it,
such as Medusa's unmanaged inventory, leaves ``stock`` empty)."""
from __future__ import annotations

from typing import Any

SELLABLE_SQL = "available = 1 and (stock is null or stock > 0)"
"""The SQL condition of :func:`sellable` over a ``variants`` row."""


def in_stock(variant: dict[str, Any]) -> bool | None:
    """True in stock, False not available or none left, None when the shop keeps no count."""
    if not variant.get("available"):
        return False
    stock = variant.get("stock")
    return None if stock is None else stock > 0


def sellable(variant: dict[str, Any]) -> bool:
    """Whether the variant can be offered: available and not known to be out of stock."""
    return in_stock(variant) is not False
