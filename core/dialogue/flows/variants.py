"""Swapping an item for another variant (size, colour) of the same product: changing the items of a
pending order, or exchanging delivered items. The price difference is settled with a payments or
refunds row; above the policy's approval limit a colleague approves first."""
from __future__ import annotations

from abc import abstractmethod
from typing import Any

from core.dialogue.flows.base import YES_NO, Flow, FlowContext, item_shop_id, items_text, net_paid, numbered_items
from core.dialogue.flows.slots import read_item, read_variant, variant_choices
from core.i18n import t
from core.shop.requests import Capability, ChangeItems, ItemSwap, RequestExchange, ShopRequest
from core.shop.changes import OrderChange
from core.turn import ActionResult
from core.vocabulary import options_label


def _options_text(options: dict[str, Any]) -> dict[str, str]:
    return {lang: options_label(options, lang) or "-" for lang in ("zh", "en")}


class _VariantSwapFlow(Flow):
    """Shared by :class:`ChangeItemsFlow` and :class:`ExchangeFlow`."""

    slots = ("item", "variant")
    request_kind: str
    new_status: str | None

    def fill(self, ctx: FlowContext, order: dict[str, Any] | None) -> None:
        """Which item, then which variant."""
        if order is None:
            return
        read_item(ctx, order, allow_all=False)
        read_variant(ctx, order)

    def ask(self, ctx: FlowContext, slot: str, order: dict[str, Any]) -> ActionResult:
        """Which item? Which size or colour instead (with what is in stock, or the ones that fit the wish)?"""
        if slot == "item":
            return ActionResult("ask_item", {"order_id": order["id"], "items": numbered_items(order)})
        item = self._item(ctx, order)
        missing, among = ctx.slots.pop("variant_missing", None), ctx.slots.pop("variant_among", None)
        facts = {"order_id": order["id"], "item": items_text(order, [item["id"]]), "choices": variant_choices(ctx, item)}
        if missing:
            return ActionResult("variant_unavailable", {**facts, "wanted": _options_text(missing)})
        if among:  # several variants fit the wish equally well: which of them?
            return ActionResult("ask_variant_among", {**facts, "wanted": _options_text(ctx.slots.get("variant_wish", {})),
                                                      "choices": variant_choices(ctx, item, among)})
        return ActionResult("ask_variant", facts)

    def confirmation(self, ctx: FlowContext, order: dict[str, Any]) -> ActionResult:
        """Old and new variant, the new one's price and the price difference."""
        item, variant = self._item(ctx, order), self._variant(ctx)
        difference = (variant["price_cents"] - item["price_cents"]) * item["quantity"]
        return ActionResult(f"confirm_{self.name}", {
            "order_id": order["id"], "item": items_text(order, [item["id"]]), "new": _options_text(variant["options"]),
            "price": ctx.price(variant["price_cents"]), "difference": _difference_text(ctx, difference)}, buttons=YES_NO)

    def execute(self, ctx: FlowContext, order: dict[str, Any] | None) -> ActionResult:
        """Swap the variant, settle the difference, record the request and audit it."""
        assert order is not None
        item, variant = self._item(ctx, order), self._variant(ctx)
        difference = (variant["price_cents"] - item["price_cents"]) * item["quantity"]
        details = {"item_id": item["id"], "from_variant": item["variant_id"], "to_variant": variant["id"],
                   "difference_cents": difference}
        method = next(iter(net_paid(order)), None) or "original"
        if ctx.policy.needs_approval("exchange", difference):
            ctx.changes.apply(OrderChange(order["id"], f"{self.name}_requested", ctx.actor,
                                          ctx.confirmation_audit(**details, approval=True),
                                          request={"kind": self.request_kind, "status": "awaiting_approval",
                                                   "amount_cents": difference, "details": details,
                                                   "conversation_id": ctx.turn.conversation_id}))
            ctx.handoff.request(ctx.turn.conversation_id, f"approval:{self.request_kind} {order['id']}", 2)
            return ActionResult("done_awaiting_approval", {"order_id": order["id"], "amount": ctx.price(abs(difference))})
        new_item = {**item, "variant_id": variant["id"], "price_cents": variant["price_cents"],
                    "options": variant["options"]}
        payments = [] if difference == 0 else [{"kind": "payment" if difference > 0 else "refund",
                                                "amount_cents": abs(difference), "method": method}]
        ctx.changes.apply(OrderChange(
            order["id"], self.name, ctx.actor, ctx.confirmation_audit(**details), status=self.new_status,
            shop=self.shop_request(ctx, order, ItemSwap(item_shop_id(item), item["quantity"], variant["id"]), difference),
            items=[new_item], total_cents=(order["total_cents"] or 0) + difference, payments=payments,
            request={"kind": self.request_kind, "status": "done", "amount_cents": difference, "details": details,
                     "refund_method": method if difference < 0 else None,
                     "conversation_id": ctx.turn.conversation_id}))
        return ActionResult(f"done_{self.name}", {"order_id": order["id"], "new": _options_text(variant["options"]),
                                                  "difference": _difference_text(ctx, difference)})

    @abstractmethod
    def shop_request(self, ctx: FlowContext, order: dict[str, Any], swap: ItemSwap, difference: int) -> ShopRequest:
        """What the shop must do for the swap."""

    @staticmethod
    def _item(ctx: FlowContext, order: dict[str, Any]) -> dict[str, Any]:
        return next(i for i in order["items"] if i["id"] == ctx.slots["item"])

    @staticmethod
    def _variant(ctx: FlowContext) -> dict[str, Any]:
        variant = ctx.store.catalog.variant(ctx.slots["variant"])
        assert variant is not None
        return variant


class ChangeItemsFlow(_VariantSwapFlow):
    """Another size or colour for an item of a pending order."""

    name = "change_items"
    rule = "change_items"
    sibling = "exchange"
    request_kind = "change_items"
    new_status = None
    capability = Capability.CHANGE_ITEMS

    def shop_request(self, ctx: FlowContext, order: dict[str, Any], swap: ItemSwap, difference: int) -> ShopRequest:
        """Swap the line in the pending order."""
        return ChangeItems(ctx.shop_id(order), (swap,), difference)


class ExchangeFlow(_VariantSwapFlow):
    """Exchange a delivered item for another variant of the same product, within the policy window and
    the policy's exchanges-per-item limit."""

    name = "exchange"
    rule = "exchange"
    sibling = "change_items"
    request_kind = "exchange"
    new_status = "exchange_requested"
    capability = Capability.EXCHANGE

    def shop_request(self, ctx: FlowContext, order: dict[str, Any], swap: ItemSwap, difference: int) -> ShopRequest:
        """Send the delivered item back for the new variant."""
        return RequestExchange(ctx.shop_id(order), (swap,), ctx.slots.get("reason"), difference)

    def refusal(self, ctx: FlowContext, order: dict[str, Any]) -> ActionResult | None:
        """Status and window (the base rules), then the per-item limit once the item is known."""
        refused = super().refusal(ctx, order)
        if refused or "item" not in ctx.slots:
            return refused
        done = [r for r in ctx.changes.requests(order["id"])
                if r["kind"] == "exchange" and r["details"].get("item_id") == ctx.slots["item"]]
        if len(done) >= ctx.policy.exchanges_per_item:
            return ActionResult("refuse_exchange_limit", {"order_id": order["id"], "limit": ctx.policy.exchanges_per_item})
        return None


def _difference_text(ctx: FlowContext, cents: int) -> dict[str, str]:
    if cents == 0:
        return {lang: t("difference_none", lang) for lang in ("zh", "en")}
    key = "difference_pay" if cents > 0 else "difference_refund"
    return {lang: t(key, lang, amount=ctx.price(abs(cents))) for lang in ("zh", "en")}
