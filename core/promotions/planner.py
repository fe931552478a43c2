"""Planning: from a campaign to one stored, rendered delivery per targeted customer.

Segment → respect rules → channel → recommended products → coupon → message. Everything is
written in one transaction (coupons and deliveries together), and planning the same campaign and
occasion again adds only customers not planned before."""
from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from core.messages import Language
from core.promotions.campaigns import Campaign, Campaigns, iso
from core.promotions.coupons import Coupons, CouponTerms
from core.promotions.facts import CustomerFacts, load_facts
from core.promotions.personalise import Personaliser
from core.promotions.respect import Respect
from core.promotions.segments import Segment
from core.recommend.base import Recommender

Progress = Callable[[int, int], None]
"""Called with (customers done, customers in total) while planning."""


@dataclass(frozen=True)
class Target:
    """One occasion of a triggered journey: who, which occasion, and the product it is about."""

    customer_id: int
    occasion: str
    item: dict[str, str] = field(default_factory=dict)  # the product's title per language


@dataclass
class PlanResult:
    """What one planning run did."""

    targeted: int = 0
    planned: int = 0
    skipped: Counter = field(default_factory=Counter)
    already_planned: int = 0
    seconds: float = 0.0


@dataclass
class Preview:
    """What one customer would receive."""

    customer_id: int
    name: str | None
    language: str
    channel: str | None
    skipped: str | None
    text: str


class Planner:
    """Plans campaigns into deliveries."""

    def __init__(self, campaigns: Campaigns, recommender: Recommender, respect: Respect,
                 shop_name: Mapping[str, str], default_language: Language, channels: set[str]) -> None:
        self._campaigns = campaigns
        self._db = campaigns.db
        self._coupons = Coupons(campaigns.db)
        self._recommender = recommender
        self._respect = respect
        self._shop_name = shop_name
        self._default_language = default_language
        self._channels = channels

    def plan(self, campaign: Campaign, now: datetime, targets: list[Target] | None = None, occasion: str = "",
             progress: Progress | None = None) -> PlanResult:
        """Plan ``campaign`` now: for its segment (one run, ``occasion``: "" for a one-off campaign, the
        run for a recurring one), or for the journey ``targets`` (those within its segment)."""
        started = time.perf_counter()
        definition = campaign.definition
        targets = targets or []
        by_customer = {t.customer_id: t for t in targets}
        facts = load_facts(self._db, list(by_customer) if definition.is_journey else None)
        chosen = Segment(definition.segment, self._db, now).select(facts)
        pairs = [(c, by_customer.get(c.id) or Target(c.id, occasion)) for c in chosen
                 if c.id in by_customer or not definition.is_journey]
        done = self._campaigns.planned_customers(campaign.id, sorted({t.occasion for _, t in pairs}))
        result = PlanResult(targeted=len(pairs))
        pending = [(c, t) for c, t in pairs if (c.id, t.occasion) not in done]
        result.already_planned = len(pairs) - len(pending)
        excluded = self._respect.exclusions([c for c, _ in pending], now)
        terms = CouponTerms.from_rule(definition.coupon, now) if definition.coupon else None
        personaliser = Personaliser(definition, self._recommender, self._shop_name, self._default_language)
        rows, coupon_rows = [], []
        codes = iter(self._coupons.issue_rows(terms, campaign.id, [c.id for c, _ in pending])) if terms else None
        stamp = iso(now)
        for n, (customer, target) in enumerate(pending, start=1):
            identity = customer.identity_on(self._channels)
            reason = excluded.get(customer.id) or (None if identity else "no_channel")
            coupon = next(codes) if codes else None
            row = {"campaign_id": campaign.id, "customer_id": customer.id, "occasion": target.occasion,
                   "language": personaliser.language(customer), "created_at": stamp, "updated_at": stamp,
                   "attempts": 0}
            if reason:
                result.skipped[reason] += 1
                rows.append({**row, "status": "skipped", "reason": reason})
            else:
                zone = self._respect.rules.zone(customer.timezone)
                reply = personaliser.render(customer, coupon["code"] if coupon else None, terms,
                                            personaliser.products(customer), zone, _item(target, customer, personaliser))
                if coupon:
                    coupon_rows.append(coupon)
                rows.append({**row, "status": "pending", "channel": identity[0], "user_id": identity[1],
                             "coupon_code": coupon["code"] if coupon else None, "body": json.dumps(reply.to_dict()),
                             "due_at": self._due_at(campaign, customer, now)})
                result.planned += 1
            if progress and (n % 1000 == 0 or n == len(pending)):
                progress(n, len(pending))
        with self._db.atomic():
            self._db["coupons"].insert_all(coupon_rows, batch_size=2000)
            self._db["deliveries"].insert_all(rows, batch_size=2000)
        result.seconds = time.perf_counter() - started
        return result

    def preview(self, campaign: Campaign, now: datetime, sample: int = 3) -> list[Preview]:
        """What ``sample`` customers of the segment would receive; nothing is stored, codes are examples."""
        definition = campaign.definition
        chosen = Segment(definition.segment, self._db, now).select(load_facts(self._db))[:sample]
        excluded = self._respect.exclusions(chosen, now)
        terms = CouponTerms.from_rule(definition.coupon, now) if definition.coupon else None
        personaliser = Personaliser(definition, self._recommender, self._shop_name, self._default_language)
        previews = []
        for customer in chosen:
            identity = customer.identity_on(self._channels)
            code = self._coupons.issue_rows(terms, campaign.id, [customer.id])[0]["code"] if terms else None
            zone = self._respect.rules.zone(customer.timezone)
            reply = personaliser.render(customer, code, terms, personaliser.products(customer), zone)
            previews.append(Preview(customer.id, customer.name, reply.language, identity[0] if identity else None,
                                    excluded.get(customer.id) or (None if identity else "no_channel"), reply.text))
        return previews

    def _due_at(self, campaign: Campaign, customer: CustomerFacts, now: datetime) -> str:
        """Now, or the next ``local_time`` on the customer's own clock."""
        local_time = campaign.definition.schedule.local_time
        if local_time is None:
            return iso(now)
        local_now = now.astimezone(self._respect.rules.zone(customer.timezone))
        due = local_now.replace(hour=local_time.hour, minute=local_time.minute, second=0, microsecond=0)
        if due < local_now:
            due += timedelta(days=1)
        return iso(due)


def _item(target: Target, customer: CustomerFacts, personaliser: Personaliser) -> str:
    if not target.item:
        return ""
    return target.item.get(personaliser.language(customer)) or next(iter(target.item.values()))
