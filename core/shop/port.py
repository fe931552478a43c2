"""The shop port: the one interface through which the core reads the shop's own system and makes the
changes shoppers confirm there. The shop's system is the source of truth; Kefu's store is its cache
(:mod:`core.shop.cache`). Backends live in ``adapters/shops/`` (Medusa, Shopify); the ``local``
backend (:mod:`core.shop.local`) is the store itself, for shops that import snapshots and the demo.

Errors a backend raises, and what the core does with them:

* :class:`ShopUnavailable` — the request did not reach the shop or the shop could not answer
  (connection refused, 5xx before anything changed, a timeout before sending). Nothing changed.
* :class:`ShopRefused` — the shop answered that it will not do it (4xx, GraphQL ``userErrors``, an
  order in a state that forbids it). Nothing changed; ``reason`` is the shop's words, for staff.
* :class:`ShopUncertain` — the request was sent and no answer came (a timeout or a dropped connection
  after sending). It may have happened: the core asks :meth:`ShopBackend.has_happened` before it
  sends anything again, and never sends a change twice without that answer.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from dataclasses import dataclass

from core.shop.model import ShopCustomer, ShopOrder, ShopProduct
from core.shop.requests import Capability, ShopRequest


class ShopError(Exception):
    """A shop backend could not do what was asked (see the module docstring for the kinds)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ShopUnavailable(ShopError):
    """The shop could not be reached or could not answer; nothing changed."""


class ShopRefused(ShopError):
    """The shop refused the request; nothing changed."""


class ShopUncertain(ShopError):
    """A change was sent but no answer came: it may or may not have happened."""


@dataclass(frozen=True)
class ChangeOutcome:
    """What the shop did: ``order`` is the order as the shop has it now (None for the local backend,
    whose write to the store *is* the change); ``reference`` the shop's id for what it created (a
    return, a refund), for the audit log."""

    order: ShopOrder | None = None
    reference: str | None = None


class ShopBackend(ABC):
    """One shop platform. Reads are cheap to retry; :meth:`apply` is never retried blindly."""

    name: str
    capabilities: frozenset[Capability]
    keeps_orders_in_store: bool = False
    """True only for the local backend: the store is the shop, so a change is written there directly."""

    async def start(self) -> None:
        """Open connections and check the credentials (raise :class:`ShopError` naming what is wrong)."""

    async def close(self) -> None:
        """Close connections."""

    @abstractmethod
    async def find_customer(self, email: str) -> ShopCustomer | None:
        """The shop's customer with this email, or None."""

    @abstractmethod
    async def order(self, external_id: str) -> ShopOrder | None:
        """One order with items, payments and fulfilments (tracking), or None when the shop has none."""

    @abstractmethod
    async def product(self, external_id: str) -> ShopProduct | None:
        """One product with its variants (prices, stock), or None when the shop has none."""

    @abstractmethod
    def orders(self, updated_since: str | None = None) -> AsyncIterator[ShopOrder]:
        """Every order (updated at or after ``updated_since``, ISO UTC, when given), for the sync."""

    @abstractmethod
    def products(self) -> AsyncIterator[ShopProduct]:
        """The whole catalogue, for the sync."""

    @abstractmethod
    async def apply(self, request: ShopRequest, idempotency_key: str) -> ChangeOutcome:
        """Make the change in the shop. ``idempotency_key`` is the same for every attempt at the same
        confirmed change; send it where the platform accepts one. Raises :class:`ShopError`."""

    @abstractmethod
    async def has_happened(self, request: ShopRequest) -> ChangeOutcome | None:
        """After :class:`ShopUncertain` or a crash: read the order back and say whether ``request`` is
        already done there (its outcome) or not (None). Raises :class:`ShopUnavailable` when it
        cannot tell."""

    def can(self, capability: Capability) -> bool:
        """Whether this backend can make that kind of change."""
        return capability in self.capabilities
