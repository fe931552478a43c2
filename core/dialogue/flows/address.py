"""Change the delivery address of a pending order."""
from __future__ import annotations

from typing import Any

from core.dialogue.flows.base import YES_NO, Flow, FlowContext
from core.dialogue.flows.slots import read_address
from core.shop.requests import Capability, UpdateShippingAddress
from core.store.changes import OrderChange
from core.turn import ActionResult


def address_text(address: Any) -> str:
    """An address as one line, whether stored as text or as {line1, city, zip, …}."""
    if isinstance(address, dict):
        return ", ".join(str(address[k]) for k in ("line1", "city", "zip") if address.get(k))
    return str(address or "-")


class ChangeAddressFlow(Flow):
    """Asks for the new address, confirms old and new, then updates the order."""

    name = "change_address"
    rule = "change_address"
    slots = ("address",)
    capability = Capability.UPDATE_ADDRESS

    def fill(self, ctx: FlowContext, order: dict[str, Any] | None) -> None:
        """The new address."""
        read_address(ctx)

    def ask(self, ctx: FlowContext, slot: str, order: dict[str, Any]) -> ActionResult:
        """Where to?"""
        return ActionResult("ask_address", {"order_id": order["id"], "old": address_text(order["address"])})

    def confirmation(self, ctx: FlowContext, order: dict[str, Any]) -> ActionResult:
        """Old and new address."""
        return ActionResult("confirm_change_address", {"order_id": order["id"], "old": address_text(order["address"]),
                                                       "new": ctx.slots["address"]}, buttons=YES_NO)

    def execute(self, ctx: FlowContext, order: dict[str, Any] | None) -> ActionResult:
        """Replace the address (keeping the country)."""
        assert order is not None
        old = order["address"] if isinstance(order["address"], dict) else {}
        new = {"line1": ctx.slots["address"], "country": old.get("country", "CN")}
        ctx.changes.apply(OrderChange(order["id"], "change_address", ctx.actor,
                                      ctx.confirmation_audit(old=address_text(order["address"]), new=new["line1"]),
                                      address=new, shop=UpdateShippingAddress(ctx.shop_id(order), new)))
        return ActionResult("done_change_address", {"order_id": order["id"], "new": new["line1"]})
