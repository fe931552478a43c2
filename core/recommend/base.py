"""The recommender extension point."""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from core.store import ProductHit, ProductQuery


@dataclass
class Recommendation:
    """A product picked for a shopper and why: ``reason`` is an i18n key, ``reason_facts`` fill it."""

    hit: ProductHit
    reason: str
    reason_facts: dict[str, str]
    score: float


class Recommender(ABC):
    """Picks products for a shopper within the conversation's constraints."""

    @abstractmethod
    def recommend(self, customer_id: int | None, query: ProductQuery, k: int = 5,
                  exclude: set[str] | None = None) -> list[Recommendation]:
        """Up to ``k`` products that satisfy ``query``, best first."""
