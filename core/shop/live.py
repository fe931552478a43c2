"""Reading the order a shopper asks about live from the shop, inside the turn: a short timeout, the
answer written to the cache on the way; when the shop does not answer in time, the cached copy,
marked with when the cache last heard from the shop (``stale_since``) so the reply can say so."""
from __future__ import annotations

import asyncio
import logging
from typing import Any

from core.shop.cache import ShopCache
from core.shop.model import ShopOrder
from core.shop.port import ShopBackend, ShopError
from core.store import Store

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 2.0


class LiveOrders:
    """Fresh orders from the shop, falling back to the cache."""

    def __init__(self, store: Store, shop: ShopBackend, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self._store = store
        self._shop = shop
        self._cache = ShopCache(store, shop.name)
        self._timeout_s = timeout_s

    async def fresh(self, order: dict[str, Any]) -> dict[str, Any]:
        """``order`` (a cached order with items and payments) as the shop has it now; the cached copy
        with ``stale_since`` when the shop cannot say within the timeout."""
        if self._shop.keeps_orders_in_store:
            return order
        try:
            found = await asyncio.wait_for(self._shop.order(order.get("external_id") or order["id"]), self._timeout_s)
        except (ShopError, TimeoutError) as exc:
            log.warning("order read from the shop failed (%s); using the cached copy", _why(exc))
            return {**order, "stale_since": order.get("synced_at") or order.get("updated_at")}
        if found is None:  # the shop no longer has it: say what the cache knows, as of when
            return {**order, "stale_since": order.get("synced_at") or order.get("updated_at")}
        with self._store.db.atomic():
            local_id = self.cache(found)
        return self._store.orders.get(local_id) or order

    def cache(self, order: ShopOrder) -> str:
        """Write an order the shop just returned into the cache; its local id."""
        return self._cache.order(order)


def _why(exc: Exception) -> str:
    return exc.reason if isinstance(exc, ShopError) else "timed out"
