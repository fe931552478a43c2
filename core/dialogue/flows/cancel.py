"""Cancel a pending order, with a reason; paid amounts are refunded to the original methods."""
from __future__ import annotations

import re
from typing import Any

from core.dialogue.flows.base import YES_NO, Flow, FlowContext, items_text, net_paid
from core.dialogue.flows.slots import read_reason
from core.shop.requests import CancelOrder, Capability
from core.shop.changes import OrderChange
from core.turn import ActionResult


class CancelOrderFlow(Flow):
    """Asks why, confirms, then cancels and writes the refund rows (or, above the policy's approval
    limit, records the request and asks a colleague to approve)."""

    name = "cancel_order"
    rule = "cancel"
    slots = ("reason",)
    asked_by = re.compile(r"cancel|取消|撤销|不要这个订单", re.IGNORECASE)
    capability = Capability.CANCEL

    def fill(self, ctx: FlowContext, order: dict[str, Any] | None) -> None:
        """The reason."""
        read_reason(ctx, self.asked_by)

    def ask(self, ctx: FlowContext, slot: str, order: dict[str, Any]) -> ActionResult:
        """Why cancel?"""
        return ActionResult("ask_cancel_reason", {"order_id": order["id"]})

    def confirmation(self, ctx: FlowContext, order: dict[str, Any]) -> ActionResult:
        """Order, items, refund amount."""
        refund = sum(net_paid(order).values())
        return ActionResult("confirm_cancel_order", {"order_id": order["id"], "items": items_text(order),
                                                     "refund": ctx.price(refund)}, buttons=YES_NO)

    def execute(self, ctx: FlowContext, order: dict[str, Any] | None) -> ActionResult:
        """Cancel and refund, or hand the approval to a colleague."""
        assert order is not None
        paid = net_paid(order)
        refund = sum(paid.values())
        reason = ctx.slots.get("reason")
        if ctx.policy.needs_approval("refund", refund):
            ctx.changes.apply(OrderChange(order["id"], "cancel_order_requested", ctx.actor,
                                          ctx.confirmation_audit(reason=reason, refund_cents=refund, approval=True),
                                          request={"kind": "cancel", "status": "awaiting_approval", "reason": reason,
                                                   "refund_method": "original", "amount_cents": refund,
                                                   "conversation_id": ctx.turn.conversation_id}))
            ctx.handoff.request(ctx.turn.conversation_id, f"approval:cancel {order['id']}", 2)
            return ActionResult("done_awaiting_approval", {"order_id": order["id"], "amount": ctx.price(refund)})
        ctx.changes.apply(OrderChange(
            order["id"], "cancel_order", ctx.actor, ctx.confirmation_audit(reason=reason, refund_cents=refund),
            status="cancelled",
            payments=[{"kind": "refund", "amount_cents": cents, "method": method} for method, cents in paid.items()],
            request={"kind": "cancel", "status": "done", "reason": reason, "refund_method": "original",
                     "amount_cents": refund, "conversation_id": ctx.turn.conversation_id},
            shop=CancelOrder(ctx.shop_id(order), reason, refund)))
        return ActionResult("done_cancel_order", {"order_id": order["id"], "refund": ctx.price(refund)})
