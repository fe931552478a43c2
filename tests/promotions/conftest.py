"""Promotions fixtures: the small shop with consenting customers on several channels, and a planner."""
from __future__ import annotations

import pytest
from promo_helpers import NO_QUIET

from core.promotions.campaigns import Campaigns
from core.promotions.planner import Planner
from core.promotions.respect import Respect
from core.recommend.popular import PopularityRecommender
from core.store import Store


@pytest.fixture
def shop(store: Store) -> Store:
    """The small shop: Alice (en, telegram) and 王波 (zh, telegram) consent; Carol (web) does not."""
    alice = store.customers.by_external_id("C1")["id"]
    bob = store.customers.by_external_id("C2")["id"]
    for cid in (alice, bob):
        store.customers.set_marketing_consent(cid, True, "test")
    store.db["customers"].update(bob, {"timezone": "Asia/Shanghai"})
    carol = store.customers.upsert({"external_id": "C3", "name": "Carol", "language": "en"})
    store.customers.link_identity("web", "session-c", carol)
    return store


@pytest.fixture
def planner(shop: Store) -> Planner:
    """A planner over the small shop on every channel, without quiet hours."""
    return Planner(Campaigns(shop.db), PopularityRecommender(shop), Respect(shop.db, NO_QUIET),
                   {"zh": "小店", "en": "Little Shop"}, "en", {"telegram", "web", "wechat"})
