"""Shared values and helpers of the promotions tests."""
from __future__ import annotations

from datetime import UTC, datetime, time

from core.promotions.campaigns import Campaign, Campaigns
from core.promotions.definition import CampaignDefinition, parse_definition
from core.promotions.respect import RespectRules
from core.store import Store

NOW = datetime(2026, 11, 2, 6, 0, tzinfo=UTC)  # 14:00 in Shanghai, 06:00 in London
NO_QUIET = RespectRules(time(0), time(0), weekly_cap=2, complaint_days=14)

MESSAGE = {"zh": "{name}您好！\n{products}\n优惠券 {coupon}：{discount}，满{min_spend}可用，{expires}前有效。",
           "en": "Hi {name}!\n{products}\nCoupon {coupon}: {discount} off over {min_spend}, until {expires}."}


def definition(**overrides: object) -> CampaignDefinition:
    """A campaign definition with a coupon; ``overrides`` replace top-level fields."""
    return parse_definition({"name": "test", "message": MESSAGE,
                             "coupon": {"percent": 10, "min_spend": 100, "valid_days": 14}, **overrides})


def start(store: Store, **overrides: object) -> Campaign:
    """Create and start a campaign; returns it."""
    campaigns = Campaigns(store.db)
    campaign_id = campaigns.create(definition(**overrides))
    campaigns.set_status(campaign_id, "running")
    campaign = campaigns.get(campaign_id)
    assert campaign is not None
    return campaign
