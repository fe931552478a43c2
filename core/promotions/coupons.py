"""Coupons: unguessable single-use codes, checked against the store and redeemed once.

A code is ``KF-`` and 16 characters of base32 from :mod:`secrets` (80 random bits): it cannot be
guessed or enumerated. A coupon bound to a customer is only ever used by that customer: a check or
redemption that does not say who is buying is refused (``customer_required``), never read as
"anyone". Redemption is one conditional INSERT, so two concurrent redemptions of the same code
cannot both succeed; redeeming again for the same order answers the first result."""
from __future__ import annotations

import base64
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlite_utils

from core.clock import utc_now
from core.money import format_price, to_cents
from core.promotions.definition import CouponRule

REFUSALS = ("unknown", "expired", "used", "min_spend", "wrong_customer", "customer_required")


def new_code() -> str:
    """A fresh coupon code, e.g. ``KF-7QK2-M4XD-J9TA-2BWE``."""
    raw = base64.b32encode(secrets.token_bytes(10)).decode()
    return "KF-" + "-".join(raw[i:i + 4] for i in range(0, 16, 4))


def normalise_code(code: str) -> str:
    """The code as stored: upper case, separators and spaces tidied (``kf 7qk2m4xd…`` works too)."""
    raw = re.sub(r"[^A-Z0-9]", "", code.upper())
    raw = raw.removeprefix("KF")
    return "KF-" + "-".join(raw[i:i + 4] for i in range(0, len(raw), 4)) if raw else ""


@dataclass(frozen=True)
class CouponTerms:
    """What a campaign's coupons give (money in cents)."""

    kind: str  # "percent" or "amount"
    value: int  # percent, or cents off
    min_spend_cents: int
    expires_at: datetime
    currency: str

    @classmethod
    def from_rule(cls, rule: CouponRule, now: datetime) -> CouponTerms:
        """Terms for coupons issued now under ``rule``."""
        kind, value = ("percent", rule.percent) if rule.percent is not None else ("amount", to_cents(rule.amount or 0))
        return cls(kind, int(value), to_cents(rule.min_spend), now + timedelta(days=rule.valid_days), rule.currency)

    def discount_text(self, language: str) -> str:
        """"10%" / "¥20.00" as a shopper reads it (zh percent as 折: 10% off is 9折)."""
        if self.kind == "amount":
            return format_price(self.value, self.currency)
        if language == "zh":
            return f"{(100 - self.value) / 10:g}折"
        return f"{self.value}%"


@dataclass(frozen=True)
class CouponCheck:
    """The outcome of checking (or redeeming) a code for an order total."""

    ok: bool
    code: str
    reason: str | None = None  # one of REFUSALS when not ok
    discount_cents: int = 0
    coupon: dict[str, Any] | None = None


class Coupons:
    """Issue, check and redeem coupons in the store."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def issue_rows(self, terms: CouponTerms, campaign_id: int, customer_ids: list[int]) -> list[dict[str, Any]]:
        """Coupon rows (not yet stored) for each customer, one fresh code each."""
        created = utc_now().isoformat(timespec="seconds")
        expires = terms.expires_at.isoformat(timespec="seconds")
        return [{"code": new_code(), "kind": terms.kind, "value": terms.value, "min_spend_cents": terms.min_spend_cents,
                 "expires_at": expires, "customer_id": cid, "campaign_id": campaign_id, "single_use": 1,
                 "created_at": created} for cid in customer_ids]

    def get(self, code: str) -> dict[str, Any] | None:
        """One coupon by its (normalised) code."""
        return next(self._db["coupons"].rows_where("code = ?", [normalise_code(code)]), None)

    def check(self, code: str, total_cents: int, customer_id: int | None = None,
              now: datetime | None = None) -> CouponCheck:
        """Whether ``code`` can be used on an order of ``total_cents`` by ``customer_id`` (required for a
        coupon bound to a customer; None is enough only for an unbound one)."""
        code = normalise_code(code)
        coupon = self.get(code) if code else None
        if coupon is None:
            return CouponCheck(False, code, "unknown")
        now = now or utc_now()
        if datetime.fromisoformat(coupon["expires_at"]) <= now:
            return CouponCheck(False, code, "expired", coupon=coupon)
        refusal = _binding_refusal(coupon, customer_id)
        if refusal is not None:
            return CouponCheck(False, code, refusal, coupon=coupon)
        if coupon["single_use"] and self._redemption(code) is not None:
            return CouponCheck(False, code, "used", coupon=coupon)
        if total_cents < (coupon["min_spend_cents"] or 0):
            return CouponCheck(False, code, "min_spend", coupon=coupon)
        return CouponCheck(True, code, discount_cents=_discount(coupon, total_cents), coupon=coupon)

    def redeem(self, code: str, order_id: str, total_cents: int, customer_id: int | None = None,
               now: datetime | None = None) -> CouponCheck:
        """Redeem ``code`` for an order: checked, then recorded once. The same order redeeming the
        same code again, for the same customer, gets the first answer back (shops retry)."""
        code = normalise_code(code)
        earlier = self._redemption(code, order_id) if code else None
        if earlier is not None:
            coupon = self.get(code)
            refusal = _binding_refusal(coupon, customer_id) if coupon is not None else None
            if refusal is not None:
                return CouponCheck(False, code, refusal, coupon=coupon)
            return CouponCheck(True, code, discount_cents=earlier["discount_cents"] or 0, coupon=coupon)
        check = self.check(code, total_cents, customer_id, now)
        if not check.ok:
            return check
        assert check.coupon is not None
        with self._db.atomic():
            inserted = self._db.execute(
                "insert into redemptions (code, customer_id, order_id, redeemed_at, order_total_cents, discount_cents) "
                "select ?, ?, ?, ?, ?, ? where ? = 0 or not exists (select 1 from redemptions where code = ?)",
                [code, customer_id, order_id, (now or utc_now()).isoformat(timespec="seconds"), total_cents,
                 check.discount_cents, check.coupon["single_use"], code]).rowcount
        return check if inserted else CouponCheck(False, code, "used", coupon=check.coupon)

    def _redemption(self, code: str, order_id: str | None = None) -> dict[str, Any] | None:
        where, args = ("code = ? and order_id = ?", [code, order_id]) if order_id else ("code = ?", [code])
        return next(self._db["redemptions"].rows_where(where, args, limit=1), None)


def _binding_refusal(coupon: dict[str, Any], customer_id: int | None) -> str | None:
    """Why a coupon bound to a customer cannot go to ``customer_id`` (None: it can, or it is unbound)."""
    if coupon["customer_id"] is None:
        return None
    if customer_id is None:
        return "customer_required"
    return None if coupon["customer_id"] == customer_id else "wrong_customer"


def _discount(coupon: dict[str, Any], total_cents: int) -> int:
    """Cents off ``total_cents``: a percentage rounded to the cent, or the amount, never above the total."""
    if coupon["kind"] == "percent":
        return min(total_cents, (total_cents * coupon["value"] + 50) // 100)
    return min(total_cents, coupon["value"])
