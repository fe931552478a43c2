"""Read-only flows: where an order is, and where its refund is."""
from __future__ import annotations

from typing import Any

from core.dialogue.flows.base import Flow, FlowContext, payment_kind, status_name
from core.dialogue.orders import order_facts
from core.i18n import t
from core.turn import ActionResult

_REFUND_STATUSES = ("cancelled", "refunded", "return_requested", "exchange_requested")


class TrackOrderFlow(Flow):
    """Status, carrier, tracking number and expected date; the latest order when none is named."""

    name = "track_order"
    changes_order = False

    def relevant(self, ctx: FlowContext, order: dict[str, Any]) -> bool:
        """Any order can be tracked."""
        return True

    def ask(self, ctx: FlowContext, slot: str, order: dict[str, Any]) -> ActionResult:
        """Track has no slots besides the order."""
        raise AssertionError("track_order asks nothing")

    def execute(self, ctx: FlowContext, order: dict[str, Any] | None) -> ActionResult:
        """The order's status facts."""
        assert order is not None
        return ActionResult("order_status", order_facts(order))


class RefundStatusFlow(Flow):
    """Refunds paid on an order, or where its return, exchange or cancellation request stands."""

    name = "refund_status"
    changes_order = False

    def relevant(self, ctx: FlowContext, order: dict[str, Any]) -> bool:
        """Orders with a refund, or in a status that leads to one."""
        return order["status"] in _REFUND_STATUSES

    def ask(self, ctx: FlowContext, slot: str, order: dict[str, Any]) -> ActionResult:
        """Refund status has no slots besides the order."""
        raise AssertionError("refund_status asks nothing")

    def execute(self, ctx: FlowContext, order: dict[str, Any] | None) -> ActionResult:
        """Refund rows first (amount, method, date); otherwise the latest request; otherwise none."""
        assert order is not None
        refunds = [p for p in order["payments"] if p["kind"] == "refund"]
        if refunds:
            lines = {lang: ("；" if lang == "zh" else "; ").join(
                t("refund_line" if r["created_at"] else "refund_line_undated", lang, amount=ctx.price(r["amount_cents"]),
                  method=_method(r["method"], lang), date=(r["created_at"] or "")[:10]) for r in refunds)
                for lang in ("zh", "en")}
            return ActionResult("refund_done", {"order_id": order["id"], "refunds": lines})
        requests = [r for r in ctx.changes.requests(order["id"]) if r["kind"] in ("return", "cancel", "exchange")]
        if requests or order["status"] in ("return_requested", "exchange_requested"):
            latest = requests[-1] if requests else {"amount_cents": None, "refund_method": None, "status": "requested"}
            return ActionResult("refund_pending", {
                "order_id": order["id"], "status": status_name(order["status"]),
                "approval": {lang: t("refund_awaits_approval", lang) if latest["status"] == "awaiting_approval" else ""
                             for lang in ("zh", "en")}})
        return ActionResult("refund_none", {"order_id": order["id"], "status": status_name(order["status"])})


def _method(method: str | None, lang: str) -> str:
    """A payment method's name ("alipay" -> "支付宝"; a shop's own id such as "paypal_2720658" by its kind),
    never a raw id: "the original payment method" when the kind is not known."""
    kind = payment_kind(method)
    return t(f"pay_{kind}" if kind else "pay_other", lang)
