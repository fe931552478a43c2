"""Request an electronic invoice for a shipped or delivered order (within the policy window)."""
from __future__ import annotations

from typing import Any

from core.dialogue.flows.base import Flow, FlowContext
from core.shop.changes import OrderChange
from core.turn import ActionResult


def mask_email(email: str | None) -> str:
    """"alice@example.com" -> "a***@example.com" (the shopper recognises it; a reader learns little)."""
    if not email or "@" not in email:
        return "-"
    name, domain = email.split("@", 1)
    return f"{name[:1]}***@{domain}"


class InvoiceFlow(Flow):
    """Records the invoice request (audited) and says where the invoice will be emailed. It changes no
    order, so it needs no confirmation."""

    name = "invoice"
    rule = "invoice"
    changes_order = False

    def ask(self, ctx: FlowContext, slot: str, order: dict[str, Any]) -> ActionResult:
        """The invoice needs nothing but the order."""
        raise AssertionError("invoice asks nothing")

    def execute(self, ctx: FlowContext, order: dict[str, Any] | None) -> ActionResult:
        """Record the request once per order."""
        assert order is not None
        email = mask_email(ctx.customer.get("email"))
        if not any(r["kind"] == "invoice" for r in ctx.changes.requests(order["id"])):
            ctx.changes.apply(OrderChange(order["id"], "invoice_requested", ctx.actor,
                                          {"conversation_id": ctx.turn.conversation_id},
                                          request={"kind": "invoice", "status": "requested",
                                                   "conversation_id": ctx.turn.conversation_id}))
        return ActionResult("done_invoice", {"order_id": order["id"], "email": email})
