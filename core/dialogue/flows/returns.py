"""Return delivered items within the policy window: which items, why, and where the refund goes."""
from __future__ import annotations

import re
from typing import Any

from core.dialogue.flows.base import (YES_NO, Flow, FlowContext, item_shop_id, items_text, net_paid, numbered_items,
                                      refund_method_text)
from core.dialogue.flows.slots import chosen_items, read_item, read_reason, read_refund_method
from core.shop.requests import Capability, RequestReturn
from core.shop.changes import OrderChange
from core.turn import ActionResult


class ReturnFlow(Flow):
    """Records the return request (status ``return_requested``) with the refund amount and method; a
    refund above the policy's approval limit also asks a colleague to approve it."""

    name = "return_items"
    rule = "return"
    slots = ("item", "reason", "refund_method")
    asked_by = re.compile(r"\breturn|refund|send\s+(?:it\s+|them\s+)?back|退货|退款|退掉|退了|退回", re.IGNORECASE)
    capability = Capability.RETURN

    def fill(self, ctx: FlowContext, order: dict[str, Any] | None) -> None:
        """Items, reason, refund method: each from this message when it holds it."""
        if order is not None:
            read_item(ctx, order, allow_all=True)
        if ctx.turn.state.awaiting != "item":
            read_reason(ctx, self.asked_by)
        read_refund_method(ctx, order)

    def ask(self, ctx: FlowContext, slot: str, order: dict[str, Any]) -> ActionResult:
        """Which items? Why? Refund to the original method or store credit?"""
        if slot == "item":
            return ActionResult("ask_return_items", {"order_id": order["id"], "items": numbered_items(order)})
        items = items_text(order, [i["id"] for i in chosen_items(order, ctx.slots["item"])])
        if slot == "reason":
            return ActionResult("ask_return_reason", {"order_id": order["id"], "items": items})
        return ActionResult("ask_refund_method", {"order_id": order["id"], "amount": ctx.price(self._amount(ctx, order)),
                                                  "items": items,
                                                  "original": refund_method_text("original", order)},
                            buttons=[(f"refund_method_{m}", f"/refund {m}") for m in ctx.policy.refund_methods])

    def confirmation(self, ctx: FlowContext, order: dict[str, Any]) -> ActionResult:
        """Items, refund amount and method."""
        items = chosen_items(order, ctx.slots["item"])
        method = ctx.slots["refund_method"]
        return ActionResult("confirm_return_items", {
            "order_id": order["id"], "items": items_text(order, [i["id"] for i in items]),
            "refund": ctx.price(self._amount(ctx, order)),
            "method": refund_method_text(method, order, ctx.slots.get("refund_gift_card", False))}, buttons=YES_NO)

    def execute(self, ctx: FlowContext, order: dict[str, Any] | None) -> ActionResult:
        """Mark the order ``return_requested`` and record the request (awaiting approval when above the limit)."""
        assert order is not None
        amount = self._amount(ctx, order)
        approval = ctx.policy.needs_approval("refund", amount)
        chosen = chosen_items(order, ctx.slots["item"])
        items = [i["id"] for i in chosen]
        reason, method = ctx.slots.get("reason"), ctx.slots["refund_method"]
        ctx.changes.apply(OrderChange(
            order["id"], "return_items", ctx.actor,
            ctx.confirmation_audit(items=items, reason=reason, refund_method=method, refund_cents=amount,
                                   approval=approval),
            status="return_requested",
            request={"kind": "return", "status": "awaiting_approval" if approval else "requested", "reason": reason,
                     "refund_method": method, "amount_cents": amount, "details": {"items": items},
                     "conversation_id": ctx.turn.conversation_id},
            shop=None if approval else RequestReturn(ctx.shop_id(order),
                                                     tuple((item_shop_id(i), i["quantity"]) for i in chosen),
                                                     reason, amount, method)))
        if approval:
            ctx.handoff.request(ctx.turn.conversation_id, f"approval:return {order['id']}", 2)
            return ActionResult("done_awaiting_approval", {"order_id": order["id"], "amount": ctx.price(amount)})
        return ActionResult("done_return_items", {
            "order_id": order["id"], "refund": ctx.price(amount),
            "method": refund_method_text(method, order, ctx.slots.get("refund_gift_card", False))})

    @staticmethod
    def _amount(ctx: FlowContext, order: dict[str, Any]) -> int:
        """The chosen items' price, never more than was paid and not yet refunded."""
        items = chosen_items(order, ctx.slots.get("item", "all"))
        return min(sum(i["price_cents"] * i["quantity"] for i in items), sum(net_paid(order).values()))
