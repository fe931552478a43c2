"""Change the delivery address of a pending order: the new address is split into its parts (street,
unit, city, state or province, zip), which the shopper confirms before the change."""
from __future__ import annotations

from typing import Any

from core.dialogue.flows.base import YES_NO, Flow, FlowContext
from core.dialogue.flows.slots import read_address
from core.i18n import t
from core.nlu.addresses import AddressParts, parse_address
from core.shop.requests import Capability, UpdateShippingAddress
from core.shop.changes import OrderChange
from core.turn import ActionResult

# A shop's own address records name the parts their way (tau-retail, Shopify exports: address1, state);
# Kefu's are the shop port's (line1, province). A changed address keeps the order's names.
_SHOP_NAMES = {"line1": "address1", "line2": "address2", "province": "state"}
_ONE_LINE = (("line1", "address1"), ("line2", "address2"), ("city",), ("province", "state"), ("zip",))
PART_LABELS = ("line1", "line2", "city", "province", "zip", "country")


def address_text(address: Any) -> str:
    """An address as one line, whether stored as text or as parts (Kefu's or the shop's names)."""
    if isinstance(address, dict):
        return ", ".join(str(value) for names in _ONE_LINE
                         if (value := next((address[n] for n in names if address.get(n)), None))) or "-"
    return str(address or "-")


def parts_text(parts: AddressParts) -> dict[str, str]:
    """The parsed parts, labelled, in both languages ("street: 4127 Maple Avenue; city: Portland; …")."""
    fields = parts.fields()
    return {lang: ("；" if lang == "zh" else "; ").join(
        f"{t(f'address_part_{key}', lang)}{'：' if lang == 'zh' else ': '}{fields[key]}" for key in PART_LABELS if key in fields)
        for lang in ("zh", "en")}


def in_order_names(parts: AddressParts, old: dict[str, Any]) -> dict[str, str]:
    """The new address under the field names the order's address already uses; its country stays
    unless the shopper said another."""
    fields = {"country": old.get("country", "CN"), **parts.fields()}
    if "address1" in old:
        fields = {_SHOP_NAMES.get(key, key): value for key, value in fields.items()}
    return fields


class ChangeAddressFlow(Flow):
    """Asks for the new address, confirms old and new (the new one part by part), then updates the order."""

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
        """Old address, and the new one part by part."""
        return ActionResult("confirm_change_address", {"order_id": order["id"], "old": address_text(order["address"]),
                                                       "new": parts_text(parse_address(ctx.slots["address"]))},
                            buttons=YES_NO)

    def execute(self, ctx: FlowContext, order: dict[str, Any] | None) -> ActionResult:
        """Replace the address with its parts (keeping the country when none was said)."""
        assert order is not None
        old = order["address"] if isinstance(order["address"], dict) else {}
        parts = parse_address(ctx.slots["address"])
        new = in_order_names(parts, old)
        ctx.changes.apply(OrderChange(order["id"], "change_address", ctx.actor,
                                      ctx.confirmation_audit(old=address_text(order["address"]), new=address_text(new)),
                                      address=new,
                                      shop=UpdateShippingAddress(ctx.shop_id(order),
                                                                 {"country": old.get("country", "CN"), **parts.fields()})))
        return ActionResult("done_change_address", {"order_id": order["id"], "new": address_text(new)})
