"""What staff write to define a campaign (YAML or CLI), validated with clear messages."""
from __future__ import annotations

import string
from datetime import datetime, time
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from core.nesting import load_yaml
from core.promotions.crontab import check_crontab

PLACEHOLDERS = {"name", "products", "item", "coupon", "discount", "min_spend", "expires", "shop"}
"""What a message may use: the customer's name, their recommended products, the product a journey
is about (the cart item, the restocked or cheaper item, the delivered item), their coupon code, the
discount, the coupon's minimum spend and expiry date, and the shop's name."""

TRIGGERS = ("abandoned_cart", "back_in_stock", "price_drop", "review_request", "win_back", "birthday")


class DefinitionError(ValueError):
    """A campaign definition is invalid; the message says where and why."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SegmentRules(_Strict):
    """Who is targeted: every rule given must hold (amounts in the shop's currency units, not cents)."""

    languages: list[Literal["zh", "en"]] = Field(default_factory=list)
    channels: list[str] = Field(default_factory=list)
    min_spend: float | None = Field(None, ge=0)
    max_spend: float | None = Field(None, ge=0)
    min_orders: int | None = Field(None, ge=0)
    max_orders: int | None = Field(None, ge=0)
    purchased_within_days: int | None = Field(None, ge=1)
    not_purchased_for_days: int | None = Field(None, ge=1)
    active_within_days: int | None = Field(None, ge=1)
    inactive_for_days: int | None = Field(None, ge=1)
    categories: list[str] = Field(default_factory=list)


class CouponRule(_Strict):
    """One single-use coupon per targeted customer: ``percent`` or ``amount`` off."""

    percent: int | None = Field(None, ge=1, le=90)
    amount: float | None = Field(None, gt=0)
    min_spend: float = Field(0, ge=0)
    valid_days: int = Field(14, ge=1, le=366)
    currency: str = "CNY"

    @model_validator(mode="after")
    def _one_kind(self) -> CouponRule:
        if (self.percent is None) == (self.amount is None):
            raise ValueError("give exactly one of percent or amount")
        return self


class Schedule(_Strict):
    """When a campaign is planned: ``at`` once, ``cron`` repeatedly, or ``local_time`` (each customer's
    own clock, on the day it starts). Nothing: as soon as it is started."""

    at: datetime | None = None
    cron: str | None = None
    local_time: time | None = None

    @field_validator("at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("give a timezone, e.g. 2026-05-01T10:00:00+08:00")
        return value

    @field_validator("cron")
    @classmethod
    def _cron(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                check_crontab(value)
            except ValueError as exc:
                raise ValueError(f"not a crontab expression ({exc})") from None
        return value

    @model_validator(mode="after")
    def _at_most_one(self) -> Schedule:
        if sum(v is not None for v in (self.at, self.cron, self.local_time)) > 1:
            raise ValueError("give at most one of at, cron or local_time")
        return self


class Trigger(_Strict):
    """A triggered journey: who qualifies is checked regularly and each occasion is messaged once."""

    kind: Literal["abandoned_cart", "back_in_stock", "price_drop", "review_request", "win_back", "birthday"]
    after_hours: float = Field(4, gt=0, description="abandoned cart: hours after the last cart event")
    after_days: int = Field(3, ge=0, description="review request: days after delivery")
    inactive_days: int = Field(60, ge=1, description="win-back: days without an order")
    window_days: int = Field(30, ge=1, description="how far back a cart, view or delivery still counts")


class CampaignDefinition(_Strict):
    """A whole campaign as staff define it."""

    name: str = Field(min_length=1, max_length=120)
    message: dict[Literal["zh", "en"], str]
    segment: SegmentRules = Field(default_factory=SegmentRules)
    coupon: CouponRule | None = None
    products: int = Field(3, ge=0, le=5, description="recommended products per customer")
    product_category: str | None = None
    schedule: Schedule = Field(default_factory=Schedule)
    trigger: Trigger | None = None

    @field_validator("message")
    @classmethod
    def _bilingual(cls, value: dict[str, str]) -> dict[str, str]:
        if set(value) != {"zh", "en"} or not all(text.strip() for text in value.values()):
            raise ValueError("give the message in both zh and en")
        for lang, text in value.items():
            used = {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
            unknown = used - PLACEHOLDERS
            if unknown:
                raise ValueError(f"{lang}: unknown placeholder(s) {sorted(unknown)}; "
                                 f"use {sorted(PLACEHOLDERS)}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> CampaignDefinition:
        uses_coupon = any("{coupon}" in text or "{discount}" in text for text in self.message.values())
        if uses_coupon and self.coupon is None:
            raise ValueError("the message mentions a coupon but the campaign has no coupon rule")
        if self.trigger is not None and self.schedule != Schedule():
            raise ValueError("a triggered journey runs on its trigger; leave schedule out")
        return self

    @property
    def is_journey(self) -> bool:
        """Whether customers are messaged when a trigger fires rather than on a schedule."""
        return self.trigger is not None


def parse_definition(data: object) -> CampaignDefinition:
    """A validated definition from parsed YAML/JSON; :class:`DefinitionError` names each problem."""
    try:
        return CampaignDefinition.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'campaign'}: {e['msg']}"
                             for e in exc.errors())
        raise DefinitionError(problems) from None


def load_definition(text: str) -> CampaignDefinition:
    """Parse a YAML campaign file's text."""
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        raise DefinitionError(f"not valid YAML: {exc}") from None
    return parse_definition(data)
