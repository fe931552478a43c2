"""An in-memory shop system behind the shop port, for testing what the core does with any backend:
changes sent first and recorded only on success, refusals, outages, answers that never come (the
change made or not), live reads and their fallback. The real backends are tested against a real
Medusa server and a fake Shopify API (tests/shops/)."""
from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace

from core.shop.model import ShopCustomer, ShopFulfilment, ShopItem, ShopOrder, ShopPayment, ShopProduct
from core.shop.port import ChangeOutcome, ShopBackend, ShopError, ShopUnavailable, ShopUncertain
from core.shop.requests import (Capability, CancelOrder, RequestReturn, ShopRequest, UpdateShippingAddress)


class Crash(BaseException):
    """The process dying right after the shop made a change, before Kefu heard of it."""


@dataclass
class MemoryShop(ShopBackend):
    """Orders and products by external id; switches for faults; every change it made, with its key."""

    orders_by_id: dict[str, ShopOrder] = field(default_factory=dict)
    products_by_id: dict[str, ShopProduct] = field(default_factory=dict)
    capabilities: frozenset[Capability] = frozenset(Capability)
    fail_next: ShopError | None = None
    """Raised by the next :meth:`apply` (nothing changes)."""
    then_lose_answer: bool = False
    """The next :meth:`apply` makes the change, then raises :class:`ShopUncertain`."""
    then_crash: bool = False
    """The next :meth:`apply` makes the change, then raises :class:`Crash`."""
    down: bool = False
    """Every call raises :class:`ShopUnavailable`."""
    made: list[tuple[ShopRequest, str]] = field(default_factory=list)
    name: str = "memory"

    def add(self, order: ShopOrder) -> None:
        """Put an order in the shop (a new one, or a change made in the shop's own admin)."""
        self.orders_by_id[order.external_id] = order

    async def find_customer(self, email: str) -> ShopCustomer | None:
        self._check()
        return next((o.customer for o in self.orders_by_id.values() if o.customer.email == email), None)

    async def order(self, external_id: str) -> ShopOrder | None:
        self._check()
        return self.orders_by_id.get(external_id)

    async def product(self, external_id: str) -> ShopProduct | None:
        self._check()
        return self.products_by_id.get(external_id)

    async def orders(self, updated_since: str | None = None) -> AsyncIterator[ShopOrder]:
        self._check()
        for order in list(self.orders_by_id.values()):
            if updated_since is None or (order.updated_at or "") >= updated_since:
                yield order

    async def products(self) -> AsyncIterator[ShopProduct]:
        self._check()
        for product in list(self.products_by_id.values()):
            yield product

    async def apply(self, request: ShopRequest, idempotency_key: str) -> ChangeOutcome:
        self._check()
        if self.fail_next is not None:
            error, self.fail_next = self.fail_next, None
            raise error
        order = self.orders_by_id[request.order_id]
        self.orders_by_id[order.external_id] = changed = _changed(order, request)
        self.made.append((request, idempotency_key))
        if self.then_lose_answer:
            self.then_lose_answer = False
            raise ShopUncertain("read timed out after sending")
        if self.then_crash:
            self.then_crash = False
            raise Crash
        return ChangeOutcome(changed, reference=f"ref-{len(self.made)}")

    async def has_happened(self, request: ShopRequest) -> ChangeOutcome | None:
        self._check()
        order = self.orders_by_id[request.order_id]
        done = _changed(order, request) == order
        return ChangeOutcome(order) if done else None

    def _check(self) -> None:
        if self.down:
            raise ShopUnavailable("connection refused")


def _changed(order: ShopOrder, request: ShopRequest) -> ShopOrder:
    """The order after ``request`` (the same order when it is already so)."""
    if isinstance(request, CancelOrder):
        if order.status == "cancelled":
            return order
        refund = (ShopPayment("refund", request.refund_cents, order.payments[0].method, "re_1"),) \
            if request.refund_cents else ()
        return replace(order, status="cancelled", payments=order.payments + refund)
    if isinstance(request, UpdateShippingAddress):
        return replace(order, address=dict(request.address))
    if isinstance(request, RequestReturn):
        return replace(order, status="return_requested")
    raise NotImplementedError(type(request).__name__)


def sample_order(number: str = "#1001", status: str = "pending", email: str = "ana@example.com",
                 tracking: str | None = None) -> ShopOrder:
    """A paid order of one customer, in dollars."""
    customer = ShopCustomer("cus_ana", email, "+14155550100", "Ana Diaz", "94107",
                            {"line1": "1 Market St", "city": "San Francisco", "zip": "94107", "country": "US"})
    fulfilments = (ShopFulfilment("UPS", tracking, None, "2026-11-20T10:00:00+00:00"),) if tracking else ()
    return ShopOrder(f"ord_{number.lstrip('#')}", number, customer, status, "USD", 5990,
                     "2026-11-18T09:00:00+00:00", "2026-11-18T09:00:00+00:00", customer.address,
                     (ShopItem("li_1", "var_tee_m", "prod_tee", "Organic tee", 1, 5990, {"size": "M"}),),
                     (ShopPayment("payment", 5990, "card", "pay_1", "2026-11-18T09:00:00+00:00"),), fulfilments)
