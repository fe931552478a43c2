"""Change the delivery address of a pending order: the new address is split into its parts (street,
unit, city, state or province, zip), given on one line or a few parts at a time, each part
corrected by saying it again; what is missing is asked for, and the shopper confirms the parts before
the change. A street alone is never saved as an address."""
from __future__ import annotations

import re
from typing import Any

from core.dialogue.flows.base import YES_NO, Flow, FlowContext
from core.dialogue.flows.slots import given_parts
from core.i18n import t
from core.nlu.addresses import AddressParts
from core.shop.requests import Capability, UpdateShippingAddress
from core.shop.changes import OrderChange
from core.turn import ActionResult

# A shop's own address records name the parts their way (tau-retail, Shopify exports: address1, state);
# Kefu's are the shop port's (line1, province). A changed address keeps the order's names.
_SHOP_NAMES = {"line1": "address1", "line2": "address2", "province": "state"}
_ONE_LINE = (("line1", "address1"), ("line2", "address2"), ("city",), ("province", "state"), ("zip",))
PART_LABELS = ("line1", "line2", "city", "province", "zip", "country")
_US = {"US", "USA", "UNITED STATES", "UNITED STATES OF AMERICA"}
_US_STATE = re.compile(r"^[A-Z]{2}$")


def missing_parts(parts: dict[str, str], order: dict[str, Any]) -> list[str]:
    """The parts a deliverable address still lacks: the street and the city; in the US also the state
    and the zip code."""
    old = order["address"] if isinstance(order["address"], dict) else {}
    country = str(parts.get("country") or old.get("country") or "").upper()
    needed = ["line1", "city"]
    if country in _US or _US_STATE.match(parts.get("province", "")):
        needed += ["province", "zip"]
    return [key for key in needed if not parts.get(key)]


def address_text(address: Any) -> str:
    """An address as one line, whether stored as text or as parts (Kefu's or the shop's names)."""
    if isinstance(address, dict):
        return ", ".join(str(value) for names in _ONE_LINE
                         if (value := next((address[n] for n in names if address.get(n)), None))) or "-"
    return str(address or "-")


def parts_text(fields: dict[str, str]) -> dict[str, str]:
    """The parsed parts, labelled, in both languages ("street: 4127 Maple Avenue; city: Portland; …")."""
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
        """The new address's parts, gathered over the messages (a part said again replaces the one
        before; a street with its city starts a new address); the ``address`` slot once none is missing."""
        given = given_parts(ctx.turn)
        if not given or order is None:
            return
        parts = {} if {"line1", "city"} <= given.keys() else dict(ctx.slots.get("address_parts") or {})
        parts.update(given)
        ctx.slots["address_parts"] = parts
        if missing_parts(parts, order):
            ctx.slots.pop("address", None)
        else:
            ctx.slots["address"] = parts

    def ask(self, ctx: FlowContext, slot: str, order: dict[str, Any]) -> ActionResult:
        """Where to? With some parts given: those, and what is still missing."""
        parts = ctx.slots.get("address_parts")
        if not parts:
            return ActionResult("ask_address", {"order_id": order["id"], "old": address_text(order["address"])})
        missing = missing_parts(parts, order)
        return ActionResult("ask_address_rest", {"have": parts_text(parts), "missing": {
            lang: ("、" if lang == "zh" else ", ").join(t(f"address_part_{key}", lang) for key in missing)
            for lang in ("zh", "en")}})

    def confirmation(self, ctx: FlowContext, order: dict[str, Any]) -> ActionResult:
        """Old address, and the new one part by part."""
        return ActionResult("confirm_change_address", {"order_id": order["id"], "old": address_text(order["address"]),
                                                       "new": parts_text(ctx.slots["address"])},
                            buttons=YES_NO)

    def execute(self, ctx: FlowContext, order: dict[str, Any] | None) -> ActionResult:
        """Replace the address with its parts (keeping the country when none was said)."""
        assert order is not None
        old = order["address"] if isinstance(order["address"], dict) else {}
        parts = AddressParts(**ctx.slots["address"])
        new = in_order_names(parts, old)
        ctx.changes.apply(OrderChange(order["id"], "change_address", ctx.actor,
                                      ctx.confirmation_audit(old=address_text(order["address"]), new=address_text(new)),
                                      address=new,
                                      shop=UpdateShippingAddress(ctx.shop_id(order),
                                                                 {"country": old.get("country", "CN"), **parts.fields()})))
        return ActionResult("done_change_address", {"order_id": order["id"], "new": address_text(new)})
