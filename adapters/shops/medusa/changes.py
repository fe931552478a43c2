"""The after-sales changes Kefu makes in Medusa through the Admin API, and how each is read back.

* cancel: ``POST /admin/orders/{id}/cancel``; Medusa refunds captured payments in full itself (and
  releases an authorisation), so no separate refund is sent. Done when the order is canceled.
* address: ``POST /admin/orders/{id}`` with ``shipping_address`` (only the fields given change).
  Done when the order's shipping address has them.
* return: ``POST /admin/returns`` (the order, the fulfilment's stock location, the reason, Kefu's
  idempotency key in ``metadata.kefu_key``), ``…/request-items``, ``…/request``. Done when the order
  has a requested (or received) return of those items. A draft left by an earlier attempt that died
  half-way (``metadata.kefu_key`` the same) is carried on, not duplicated; a draft Medusa refused to
  take further is canceled, so the order is left as it was.
* exchange: ``POST /admin/exchanges`` (the order, the reason, ``metadata.kefu_key``),
  ``…/inbound/items`` (what comes back, to the location it shipped from), ``…/outbound/items`` (the new
  variants at Medusa's price), ``…/request``. Done when the order has a requested return, made by an
  exchange, of those items. Medusa keeps any price difference as the order's pending difference for
  staff to charge or refund. A draft Medusa refused to take further is canceled.

Medusa takes no idempotency key on these calls: Kefu's core reads back (:func:`has_happened`) before it
sends a change again."""
from __future__ import annotations

from typing import Any

from adapters.shops.medusa import mapping
from adapters.shops.medusa.client import MedusaClient, is_medusa_id
from core.shop.port import ChangeOutcome, ShopError, ShopRefused, ShopUncertain
from core.shop.requests import (CancelOrder, Capability, RequestExchange, RequestReturn, ShopRequest,
                                UpdateShippingAddress)

CAPABILITIES = frozenset({Capability.CANCEL, Capability.UPDATE_ADDRESS, Capability.RETURN, Capability.EXCHANGE})
"""What Kefu changes in Medusa; the rest (item changes before shipping, refunds on their own) goes to a
colleague in Medusa's admin."""
ReadOrder = dict[str, Any]


class MedusaChanges:
    """Sends the changes through one client."""

    def __init__(self, client: MedusaClient) -> None:
        self._client = client

    async def read(self, order_id: str) -> ReadOrder:
        """The order's admin JSON (:data:`mapping.ORDER_FIELDS`); refused when Medusa has no such order."""
        found = await self._client.get(f"/admin/orders/{order_id}", {"fields": mapping.ORDER_FIELDS}) \
            if is_medusa_id(order_id) else None
        if found is None or not isinstance(found.get("order"), dict):
            raise ShopRefused(f"Medusa has no order {order_id}")
        return found["order"]

    async def apply(self, request: ShopRequest, key: str) -> ChangeOutcome:
        """Make ``request``; the order as Medusa has it afterwards."""
        if not is_medusa_id(request.order_id):
            raise ShopRefused("not a Medusa order id")
        if isinstance(request, CancelOrder):
            await self._client.post(f"/admin/orders/{request.order_id}/cancel", {})
            return await self._outcome(request.order_id)
        if isinstance(request, UpdateShippingAddress):
            body = mapping.medusa_address(request.address)
            await self._client.post(f"/admin/orders/{request.order_id}", {"shipping_address": body})
            return await self._outcome(request.order_id)
        if isinstance(request, RequestReturn):
            return await self._request_return(request, key)
        if isinstance(request, RequestExchange):
            return await self._request_exchange(request, key)
        raise ShopRefused(f"Kefu does not make {type(request).__name__} changes in Medusa")

    async def has_happened(self, request: ShopRequest) -> ChangeOutcome | None:
        """Whether Medusa's order shows ``request`` done."""
        order = await self.read(request.order_id)
        if isinstance(request, RequestReturn):
            done = _returned(order, request.items)
        elif isinstance(request, RequestExchange):
            done = _returned(order, tuple((swap.item_id, swap.quantity) for swap in request.swaps), exchange=True)
        else:
            done = _shows(order, request)
        return ChangeOutcome(mapping.order(order), done) if done else None

    async def _request_return(self, request: RequestReturn, key: str) -> ChangeOutcome:
        order = await self.read(request.order_id)
        draft = next((r for r in order.get("returns") or [] if isinstance(r, dict) and r.get("status") == "open"
                      and is_medusa_id(r.get("id")) and isinstance(r.get("metadata"), dict)
                      and r["metadata"].get("kefu_key") == key), None)
        return_id = draft["id"] if draft else await self._new_return(request, order, key)
        path = f"/admin/returns/{return_id}"
        steps = [] if draft and draft.get("items") else [(f"{path}/request-items", {
            "items": [{"id": item_id, "quantity": quantity, **({"description": request.reason} if request.reason else {})}
                      for item_id, quantity in request.items]})]
        await self._finish(path, steps)
        return await self._outcome(request.order_id, return_id)

    async def _request_exchange(self, request: RequestExchange, key: str) -> ChangeOutcome:
        order = await self.read(request.order_id)
        body: dict[str, Any] = {"order_id": request.order_id, "metadata": {"kefu_key": key}}
        if request.reason:
            body["description"] = request.reason[:500]
        made = (await self._client.post("/admin/exchanges", body)).get("exchange")
        if not isinstance(made, dict) or not is_medusa_id(made.get("id")):
            raise ShopUncertain("POST /admin/exchanges answered without an exchange id")
        inbound: dict[str, Any] = {"items": [{"id": s.item_id, "quantity": s.quantity} for s in request.swaps]}
        location = _location(order)
        if location:
            inbound["location_id"] = location
        path = f"/admin/exchanges/{made['id']}"
        await self._finish(path, [(f"{path}/inbound/items", inbound), (f"{path}/outbound/items", {
            "items": [{"variant_id": s.new_variant_id, "quantity": s.quantity} for s in request.swaps]})])
        return await self._outcome(request.order_id, made["id"])

    async def _finish(self, draft: str, steps: list[tuple[str, dict[str, Any]]]) -> None:
        """Send the steps that fill a draft return or exchange, then ``{draft}/request``; a refusal (or an
        outage) on the way cancels the draft so the order is left as it was. No answer: left for the read-back."""
        try:
            for path, body in steps:
                await self._client.post(path, body)
            await self._client.post(f"{draft}/request", {})
        except ShopUncertain:
            raise
        except ShopError:
            await self._drop_draft(f"{draft}/request")
            raise

    async def _new_return(self, request: RequestReturn, order: ReadOrder, key: str) -> str:
        body: dict[str, Any] = {"order_id": request.order_id, "metadata": {"kefu_key": key}}
        location = _location(order)
        if location:
            body["location_id"] = location
        if request.reason:
            body["description"] = request.reason[:500]
        created = await self._client.post("/admin/returns", body)
        made = created.get("return")
        if not isinstance(made, dict) or not is_medusa_id(made.get("id")):
            raise ShopUncertain("POST /admin/returns answered without a return id")
        return made["id"]

    async def _drop_draft(self, path: str) -> None:
        """Cancel the draft Medusa would not take further (best effort: it changes nothing for the shopper)."""
        try:
            await self._client.delete(path)
        except ShopError:
            pass

    async def _outcome(self, order_id: str, reference: str | None = None) -> ChangeOutcome:
        """Medusa's order after a change that it answered 2xx to; a failed read-back is uncertain, not a failure."""
        try:
            order = await self.read(order_id)
        except ShopError as exc:
            raise ShopUncertain(f"the change was made but the order could not be read back ({exc.reason})") from None
        return ChangeOutcome(mapping.order(order), reference or order_id)


def _shows(order: ReadOrder, request: ShopRequest) -> str | None:
    """The order's id when it shows a cancel or an address change done, else None."""
    if isinstance(request, CancelOrder):
        done = mapping.kefu_status(order) == "cancelled"
    elif isinstance(request, UpdateShippingAddress):
        now = order.get("shipping_address") if isinstance(order.get("shipping_address"), dict) else {}
        done = all(str(now.get(field) or "").lower() == value.lower()
                   for field, value in mapping.medusa_address(request.address).items())
    else:
        done = False
    return str(order.get("id")) if done else None


def _location(order: ReadOrder) -> str | None:
    """The stock location the order shipped from (where things come back to)."""
    return next((f["location_id"] for f in order.get("fulfillments") or []
                 if isinstance(f, dict) and is_medusa_id(f.get("location_id"))), None)


def _returned(order: ReadOrder, items: tuple[tuple[str, int], ...], exchange: bool = False) -> str | None:
    """The id of a requested or received return of exactly these items (made by an exchange, or not), else None."""
    wanted = sorted(items)
    for made in order.get("returns") or []:
        if not isinstance(made, dict) or made.get("status") in ("open", "canceled", None):
            continue
        if mapping.by_exchange(made) != exchange:
            continue
        items = sorted((str(i.get("item_id")), mapping.count(i.get("quantity")))
                       for i in made.get("items") or [] if isinstance(i, dict))
        if items == wanted:
            return str(made.get("id"))
    return None
