"""Keeping the cache fresh: the first full sync, events (webhooks) that name one order or product, and
the periodic reconciliation that catches missed events (orders updated since the last sync)."""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from core.clock import utc_now_iso
from core.shop.cache import ShopCache
from core.shop.port import ShopBackend
from core.store import Store
from core.store.engine import DatabaseError

log = logging.getLogger(__name__)

Progress = Callable[[str], None]
"""Called with ``"product"`` or ``"order"`` after each record synced (for a progress bar)."""
OVERLAP = timedelta(minutes=5)
"""A reconciliation starts this long before the last one began, so clock skew loses nothing."""


@dataclass
class SyncReport:
    """What one sync did."""

    products: int = 0
    orders: int = 0
    failed: list[str] = field(default_factory=list)
    seconds: float = 0.0


class ShopSync:
    """Copies the shop's catalogue and orders into the store."""

    def __init__(self, store: Store, shop: ShopBackend) -> None:
        self._store = store
        self._shop = shop
        self._cache = ShopCache(store, shop.name)

    async def full(self, progress: Progress | None = None) -> SyncReport:
        """Every product and every order."""
        return await self._run("full", None, progress, with_products=True)

    async def reconcile(self) -> SyncReport:
        """Orders updated since the last sync began (minus :data:`OVERLAP`); a full sync the first time."""
        row = self._store.db.execute("select started_at from shop_sync where name = 'orders'").fetchone()
        if row is None or not row[0]:
            return await self.full()
        since = (datetime.fromisoformat(row[0]) - OVERLAP).isoformat()
        return await self._run("reconcile", since, None, with_products=False)

    async def refresh_order(self, external_id: str) -> str | None:
        """Re-read one order (an event named it); its local id, or None when the shop has no such order."""
        order = await self._shop.order(external_id)
        if order is None:
            return None
        with self._store.db.atomic():
            return self._cache.order(order)

    async def refresh_product(self, external_id: str) -> bool:
        """Re-read one product (an event named it); False when the shop has no such product, which is
        then no longer offered if it was cached (a deleted product)."""
        product = await self._shop.product(external_id)
        if product is None:
            if self._cache.withdraw_product(external_id):
                log.info("shop product %s is gone from the shop: no longer offered", external_id)
            return False
        with self._store.db.atomic():
            self._cache.product(product)
        return True

    async def refresh_variant(self, external_id: str) -> bool:
        """Re-read the product of a cached variant (an event named only the variant); False when the
        variant is not cached (a new one arrives with its product's event or the reconciliation)."""
        variant = self._store.catalog.variant(external_id)
        return variant is not None and await self.refresh_product(variant["product_id"])

    async def _run(self, kind: str, since: str | None, progress: Progress | None, with_products: bool) -> SyncReport:
        started, clock = utc_now_iso(), time.monotonic()
        report = SyncReport()
        if with_products:
            async for product in self._shop.products():
                self._write(report, "product", product.external_id, lambda p=product: self._cache.product(p))
                if progress:
                    progress("product")
        async for order in self._shop.orders(since):
            self._write(report, "order", order.number, lambda o=order: self._cache.order(o))
            if progress:
                progress("order")
        report.seconds = round(time.monotonic() - clock, 3)
        self._store.db["shop_sync"].upsert({"name": "orders", "updated_since": since, "started_at": started,
                                           "finished_at": utc_now_iso(), "report": asdict(report)},
                                          pk="name")
        log.info("shop %s sync: %d products, %d orders, %d failed in %.1f s", kind, report.products,
                 report.orders, len(report.failed), report.seconds)
        return report

    def _write(self, report: SyncReport, kind: str, name: str, write: Callable[[], object]) -> None:
        """One record into the cache; a record the store refuses is reported, the sync goes on."""
        try:
            with self._store.db.atomic():
                write()
        except (ValueError, KeyError, *DatabaseError) as exc:
            report.failed.append(f"{kind} {name}: {exc}")
            return
        if kind == "product":
            report.products += 1
        else:
            report.orders += 1
