"""``MedusaShop``: Kefu's shop port on a Medusa v2 server's Admin API (docs/SHOPS.md, "Medusa")."""
from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from adapters.shops.medusa import mapping
from adapters.shops.medusa.changes import CAPABILITIES, MedusaChanges
from adapters.shops.medusa.client import MedusaAuth, MedusaClient, is_medusa_id
from core.shop.model import ShopCustomer, ShopOrder, ShopProduct
from core.shop.port import ChangeOutcome, ShopBackend, ShopError, ShopRefused, ShopUnavailable
from core.shop.requests import ShopRequest

PAGE = 100
CHECKS = (("orders", "/admin/orders"), ("customers", "/admin/customers"), ("products", "/admin/products"))
"""What ``start`` reads once to prove the credentials may read what Kefu needs."""


@dataclass(frozen=True)
class MedusaConfig:
    """Where Medusa is and how Kefu signs in (an API key, or an admin user's email and password)."""

    url: str
    auth: MedusaAuth
    timeout_s: float = 5.0


class MedusaShop(ShopBackend):
    """A Medusa store through its Admin API."""

    name = "medusa"
    capabilities = CAPABILITIES

    def __init__(self, config: MedusaConfig) -> None:
        self._client = MedusaClient(config.url, config.auth, config.timeout_s)
        self._changes = MedusaChanges(self._client)
        self._currency = "usd"

    async def start(self) -> None:
        """Reach Medusa, sign in, and read one order, customer and product; the store's currency."""
        await self._client.open()
        try:
            await self._client.healthy()
            await self._client.login()
            for what, path in CHECKS:
                try:
                    await self._client.get(path, {"limit": "1", "fields": "id"})
                except ShopRefused as exc:
                    raise ShopRefused(f"Medusa will not let Kefu read {what}: {exc.reason}") from None
            self._currency = await self._store_currency()
        except ShopError:
            await self._client.close()
            raise

    async def close(self) -> None:
        """Close the HTTP session."""
        await self._client.close()

    async def find_customer(self, email: str) -> ShopCustomer | None:
        """The customer with this email (Medusa's own match), or None."""
        found = await self._client.get("/admin/customers", {"email": email.strip().lower(), "limit": "1",
                                                            "fields": "id,email,phone,first_name,last_name,*addresses"})
        rows = [c for c in (found or {}).get("customers") or [] if isinstance(c, dict)]
        return mapping.customer(rows[0]) if rows else None

    async def order(self, external_id: str) -> ShopOrder | None:
        """One order with items, payments, fulfilments (tracking) and returns."""
        if not is_medusa_id(external_id):
            return None
        found = await self._client.get(f"/admin/orders/{external_id}", {"fields": mapping.ORDER_FIELDS})
        medusa = (found or {}).get("order")
        return mapping.order(medusa) if isinstance(medusa, dict) else None

    async def product(self, external_id: str) -> ShopProduct | None:
        """One product with its variants, prices in the store's currency and stock."""
        if not is_medusa_id(external_id):
            return None
        found = await self._client.get(f"/admin/products/{external_id}", {"fields": mapping.PRODUCT_FIELDS})
        medusa = (found or {}).get("product")
        return mapping.product(medusa, self._currency) if isinstance(medusa, dict) else None

    async def orders(self, updated_since: str | None = None) -> AsyncIterator[ShopOrder]:
        """Every order (updated at or after ``updated_since``), oldest first, a page at a time."""
        params = {"fields": mapping.ORDER_FIELDS, "order": "created_at"}
        if updated_since:
            params["updated_at[$gte]"] = updated_since
        async for medusa in self._pages("/admin/orders", "orders", params):
            yield mapping.order(medusa)

    async def products(self) -> AsyncIterator[ShopProduct]:
        """The whole catalogue, a page at a time."""
        async for medusa in self._pages("/admin/products", "products",
                                        {"fields": mapping.PRODUCT_FIELDS, "order": "created_at"}):
            yield mapping.product(medusa, self._currency)

    async def apply(self, request: ShopRequest, idempotency_key: str) -> ChangeOutcome:
        """Make the change in Medusa (:mod:`adapters.shops.medusa.changes`)."""
        return await self._changes.apply(request, idempotency_key)

    async def has_happened(self, request: ShopRequest) -> ChangeOutcome | None:
        """Read the order back: the change's outcome when Medusa shows it done, else None."""
        try:
            return await self._changes.has_happened(request)
        except ShopRefused as exc:  # the order itself is gone: nobody can tell what happened
            raise ShopUnavailable(exc.reason) from None

    async def _pages(self, path: str, key: str, params: dict[str, str]) -> AsyncIterator[dict[str, Any]]:
        offset = 0
        while True:
            page = await self._client.get(path, {**params, "limit": str(PAGE), "offset": str(offset)}) or {}
            rows = [row for row in page.get(key) or [] if isinstance(row, dict)]
            for row in rows:
                yield row
            offset += len(rows)
            count = page.get("count")
            if not rows or (isinstance(count, int) and offset >= count):
                return

    async def _store_currency(self) -> str:
        """The store's default currency (lower-case code), for catalogue prices."""
        found = await self._client.get("/admin/stores", {"fields": "id,*supported_currencies"}) or {}
        for store in found.get("stores") or []:
            for currency in (store.get("supported_currencies") or []) if isinstance(store, dict) else []:
                if isinstance(currency, dict) and currency.get("is_default") and currency.get("currency_code"):
                    return str(currency["currency_code"]).lower()
        return "usd"
