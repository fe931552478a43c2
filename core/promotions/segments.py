"""Segments: which customers a campaign targets, by rules over their facts."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import sqlite_utils

from core.money import to_cents
from core.promotions.definition import SegmentRules
from core.promotions.facts import CustomerFacts, customers_with_affinity


class Segment:
    """Rules compiled once, then matched against each customer's facts."""

    def __init__(self, rules: SegmentRules, db: sqlite_utils.Database, now: datetime) -> None:
        self.rules = rules
        self._now = now
        self._affinity = customers_with_affinity(db, rules.categories) if rules.categories else None
        self._min_spend = to_cents(rules.min_spend) if rules.min_spend is not None else None
        self._max_spend = to_cents(rules.max_spend) if rules.max_spend is not None else None

    def matches(self, c: CustomerFacts) -> bool:
        """Whether every rule holds for the customer."""
        r = self.rules
        checks = (
            not r.languages or (c.language or "") in r.languages,
            not r.channels or any(channel in r.channels for channel, _ in c.identities),
            self._min_spend is None or c.spend_cents >= self._min_spend,
            self._max_spend is None or c.spend_cents <= self._max_spend,
            r.min_orders is None or c.orders >= r.min_orders,
            r.max_orders is None or c.orders <= r.max_orders,
            r.purchased_within_days is None or _within(c.last_order, self._now, r.purchased_within_days),
            r.not_purchased_for_days is None or not _within(c.last_order, self._now, r.not_purchased_for_days),
            r.active_within_days is None or _within(c.last_active, self._now, r.active_within_days),
            r.inactive_for_days is None or not _within(c.last_active, self._now, r.inactive_for_days),
            self._affinity is None or c.id in self._affinity,
        )
        return all(checks)

    def select(self, customers: Iterable[CustomerFacts]) -> list[CustomerFacts]:
        """The customers in the segment."""
        return [c for c in customers if self.matches(c)]


def _within(when: datetime | None, now: datetime, days: int) -> bool:
    return when is not None and when >= now - timedelta(days=days)
