"""Which of the shopper's coupons apply to an order or to their cart: validity, minimum spend, expiry
and earlier use checked against the coupons table."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from core import clock
from core.dialogue.flows.base import Flow, FlowContext
from core.i18n import t
from core.promotions.coupons import Coupons
from core.turn import ActionResult

CART_DAYS = 30


class CouponsFlow(Flow):
    """Checks every coupon the shopper may use (their own and the shop-wide ones) against the total of
    the named order, their latest pending order, or the products in their cart."""

    name = "coupons"
    changes_order = False
    needs_order = False

    def relevant(self, ctx: FlowContext, order: dict[str, Any]) -> bool:
        """Coupons go on orders not yet paid for and shipped."""
        return order["status"] == "pending"

    def ask(self, ctx: FlowContext, slot: str, order: dict[str, Any]) -> ActionResult:
        """Coupons ask nothing."""
        raise AssertionError("coupons asks nothing")

    def execute(self, ctx: FlowContext, order: dict[str, Any] | None) -> ActionResult:
        """Usable coupons with their discount; the others with why not."""
        total, target = self._total(ctx, order)
        if total is None:
            return ActionResult("coupons_no_target")
        coupons = Coupons(ctx.store.db)
        rows = ctx.store.db["coupons"].rows_where("customer_id is null or customer_id = ?", [ctx.customer["id"]],
                                                  order_by="expires_at")
        usable, unusable = {"zh": [], "en": []}, {"zh": [], "en": []}
        for row in rows:
            check = coupons.check(row["code"], total, ctx.customer["id"])
            for lang in ("zh", "en"):
                if check.ok:
                    usable[lang].append(t("coupon_usable", lang, code=row["code"], discount=ctx.price(check.discount_cents),
                                          expires=(row["expires_at"] or "")[:10]))
                elif check.reason in ("min_spend", "expired", "used"):
                    unusable[lang].append(t(f"coupon_{check.reason}", lang, code=row["code"],
                                            min_spend=ctx.price(row["min_spend_cents"] or 0),
                                            expires=(row["expires_at"] or "")[:10]))
        facts = {"target": target, "total": ctx.price(total)}
        if not usable["en"]:
            return ActionResult("coupons_none", {**facts, "others": _lines(unusable)})
        return ActionResult("coupons_list", {**facts, "coupons": _lines(usable), "others": _lines(unusable)})

    def _total(self, ctx: FlowContext, order: dict[str, Any] | None) -> tuple[int | None, dict[str, str]]:
        if order is None:
            latest = [o for o in ctx.store.orders.for_customer(ctx.customer["id"]) if o["status"] == "pending"]
            order = ctx.store.orders.get(latest[0]["id"]) if latest else None
        if order is not None:
            return order["total_cents"] or 0, {lang: t("coupon_target_order", lang, order_id=order["id"])
                                               for lang in ("zh", "en")}
        cart = ctx.store.db.execute(
            "select distinct product_id from events where customer_id = ? and kind = 'cart' "
            "and created_at >= ?", [ctx.customer["id"], (clock.utc_now() - timedelta(days=CART_DAYS)).isoformat()]).fetchall()
        prices = [min((v["price_cents"] for v in ctx.store.catalog.variants(pid)), default=0) for (pid,) in cart]
        if not prices:
            return None, {}
        return sum(prices), {lang: t("coupon_target_cart", lang, count=len(prices)) for lang in ("zh", "en")}


def _lines(texts: dict[str, list[str]]) -> dict[str, str]:
    return {lang: "\n".join(lines) for lang, lines in texts.items()}
