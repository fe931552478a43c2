"""The recommender extension point."""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from core.store import ProductHit, ProductQuery


@dataclass
class Recommendation:
    """A product picked for a shopper and why: ``reason`` is an i18n key, ``reason_facts`` fill it.

    ``trace`` is for staff: the score's components and what drove them (empty for recommenders
    that do not explain themselves)."""

    hit: ProductHit
    reason: str
    reason_facts: dict[str, Any]
    score: float
    trace: dict[str, Any] = field(default_factory=dict)


class Recommender(ABC):
    """Picks products for a shopper within the conversation's constraints."""

    @abstractmethod
    def recommend(self, customer_id: int | None, query: ProductQuery, k: int = 5,
                  exclude: set[str] | None = None) -> list[Recommendation]:
        """Up to ``k`` products that satisfy ``query``, best first."""

    @abstractmethod
    def similar(self, product_id: str, customer_id: int | None = None, k: int = 5,
                query: ProductQuery | None = None) -> list[Recommendation]:
        """"More like this": up to ``k`` products like ``product_id`` (never itself), within ``query``."""

    @abstractmethod
    def has_history(self, customer_id: int | None) -> bool:
        """Whether the shopper has events to learn from (False: a new or anonymous shopper)."""

    @abstractmethod
    def top_categories(self, n: int = 4) -> list[str]:
        """The ``n`` most popular category ids, for the onboarding question of new shoppers."""
