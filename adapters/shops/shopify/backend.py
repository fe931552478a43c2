"""Shopify behind Kefu's shop port (:class:`core.shop.port.ShopBackend`).

Reads are Admin GraphQL queries mapped by :mod:`adapters.shops.shopify.mapping`. Changes:

* cancel — ``orderCancel`` (refund to the original payment methods when something was paid, restock,
  notify the customer); Shopify cancels in a background job, which is waited for briefly;
* new shipping address — ``orderUpdate`` with the whole ``shippingAddress`` (the current one with the
  shopper's changes; a province is kept only as Shopify's province code);
* return — ``returnCreate`` of the shipped lines (reason ``OTHER`` with the shopper's words as note);
* exchange — ``returnCreate`` with ``exchangeLineItems`` (Shopify's exchange path);
* refund — ``refundCreate`` against the order's captured payments, with ``@idempotent(key:)`` set to
  the change's idempotency key, so a repeated attempt returns the first refund.

``userErrors`` are :class:`~core.shop.port.ShopRefused` with Shopify's words. After an uncertain
answer :meth:`ShopifyShop.has_happened` reads the order back: cancelled, the address in place, a
return or exchange of those lines open, a refund with Kefu's note for that amount."""
from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Iterable
from typing import Any

from adapters.shops.shopify import mapping, queries
from adapters.shops.shopify.client import ShopifyClient, Sleep
from adapters.shops.shopify.fields import get, nodes
from core.shop.model import ShopCustomer, ShopOrder, ShopProduct
from core.shop.port import ChangeOutcome, ShopBackend, ShopRefused, ShopUnavailable
from core.shop.requests import (
    CancelOrder,
    Capability,
    ItemSwap,
    RefundPayment,
    RequestExchange,
    RequestReturn,
    ShopRequest,
    UpdateShippingAddress,
)

log = logging.getLogger(__name__)

_EMAIL = re.compile(r"[^\s\"'\\:()<>]{1,64}@[^\s\"'\\:()<>@]{1,190}")
_PROVINCE_CODE = re.compile(r"[A-Z0-9]{1,3}")
_OPEN = {"OPEN", "REQUESTED"}
_JOB_POLLS = 6


class ShopifyShop(ShopBackend):
    """One Shopify store through its Admin GraphQL API."""

    name = "shopify"
    capabilities = frozenset({Capability.CANCEL, Capability.UPDATE_ADDRESS, Capability.RETURN,
                              Capability.EXCHANGE, Capability.REFUND})

    def __init__(self, client: ShopifyClient, job_poll_s: float = 0.5, sleep: Sleep = asyncio.sleep) -> None:
        self._client = client
        self._job_poll_s = job_poll_s
        self._sleep = sleep
        self.currency = ""

    async def start(self) -> None:
        """Check the token and learn the shop's currency (prices of products are in it)."""
        await self._client.start()
        shop = (await self._client.query(queries.SHOP)).get("shop")
        currency = shop.get("currencyCode") if isinstance(shop, dict) else None
        if not isinstance(currency, str) or not re.fullmatch(r"[A-Z]{3}", currency):
            raise ShopUnavailable("Shopify did not say the shop's currency")
        self.currency = currency

    async def close(self) -> None:
        """Close the client's session."""
        await self._client.close()

    # -- reads ---------------------------------------------------------------------------------
    async def find_customer(self, email: str) -> ShopCustomer | None:
        """The customer whose email is exactly ``email`` (Shopify's search is fuzzier: checked here)."""
        wanted = email.strip().lower()
        if not _EMAIL.fullmatch(wanted):
            return None
        data = await self._client.query(queries.FIND_CUSTOMER, {"query": f'email:"{wanted}"'})
        for node in nodes(get(data, "customers")):
            try:
                found = mapping.customer(node)
            except ValueError:
                continue
            if found.email == wanted:
                return found
        return None

    async def order(self, external_id: str) -> ShopOrder | None:
        """One order by GID."""
        raw = await self._raw_order(external_id)
        return _mapped(mapping.order, raw) if raw is not None else None

    async def product(self, external_id: str) -> ShopProduct | None:
        """One product by GID."""
        if not _is_gid(external_id, "Product"):
            return None
        raw = (await self._client.query(queries.PRODUCT, {"id": external_id})).get("product")
        return _mapped(lambda p: mapping.product(p, self.currency), raw) if raw is not None else None

    async def product_of(self, inventory_item: str) -> str | None:
        """The product whose variant an inventory item stocks (inventory webhooks name only the item)."""
        if not _is_gid(inventory_item, "InventoryItem"):
            return None
        data = await self._client.query(queries.INVENTORY_ITEM, {"id": inventory_item})
        product = get(data, "inventoryItem", "variant", "product", "id")
        return product if isinstance(product, str) and _is_gid(product, "Product") else None

    async def orders(self, updated_since: str | None = None) -> AsyncIterator[ShopOrder]:
        """Every order, oldest update first (``updated_at:>=`` the given time)."""
        search = f"updated_at:>='{updated_since}'" if updated_since else None
        async for raw in self._pages(queries.ORDERS, "orders", queries.ORDERS_PAGE, {"query": search}):
            try:
                yield mapping.order(raw)
            except ValueError as exc:
                log.warning("shopify: an order Kefu cannot read was skipped (%s)", exc)

    async def products(self) -> AsyncIterator[ShopProduct]:
        """The whole catalogue."""
        async for raw in self._pages(queries.PRODUCTS, "products", queries.PRODUCTS_PAGE, {}):
            try:
                yield mapping.product(raw, self.currency)
            except ValueError as exc:
                log.warning("shopify: a product Kefu cannot read was skipped (%s)", exc)

    async def _pages(self, document: str, root: str, size: int,
                     variables: dict[str, Any]) -> AsyncIterator[dict[str, Any]]:
        after = None
        while True:
            page = get(await self._client.query(document, {**variables, "first": size, "after": after}),
                                root)
            for node in nodes(page):
                yield node
            cursor = get(page, "pageInfo", "endCursor")
            if get(page, "pageInfo", "hasNextPage") is not True or not isinstance(cursor, str):
                return
            after = cursor

    async def _raw_order(self, external_id: str) -> dict[str, Any] | None:
        if not _is_gid(external_id, "Order"):
            return None
        raw = (await self._client.query(queries.ORDER, {"id": external_id})).get("order")
        return raw if isinstance(raw, dict) else None

    # -- changes -------------------------------------------------------------------------------
    async def apply(self, request: ShopRequest, idempotency_key: str) -> ChangeOutcome:
        """Make the change in Shopify (see the module docstring for which mutation does what)."""
        if isinstance(request, CancelOrder):
            return await self._cancel(request)
        if isinstance(request, UpdateShippingAddress):
            return await self._update_address(request)
        if isinstance(request, RequestReturn):
            return await self._return(request.order_id, [(i, q) for i, q in request.items], [], request.reason)
        if isinstance(request, RequestExchange):
            return await self._return(request.order_id, [(s.item_id, s.quantity) for s in request.swaps],
                                      list(request.swaps), request.reason)
        if isinstance(request, RefundPayment):
            return await self._refund(request, idempotency_key)
        raise ShopRefused(f"Shopify cannot make a {type(request).__name__} through Kefu")

    async def _cancel(self, request: CancelOrder) -> ChangeOutcome:
        data = await self._client.mutate(queries.ORDER_CANCEL, {
            "orderId": request.order_id, "reason": "CUSTOMER",
            "refundMethod": {"originalPaymentMethodsRefund": request.refund_cents > 0},
            "staffNote": _note("Cancelled by the shopper through Kefu", request.reason)})
        payload = _payload(data, "orderCancel", "orderCancelUserErrors")
        job = get(payload, "job", "id")
        if isinstance(job, str):
            await self._wait_for(job)
        return await self._outcome(request.order_id, job if isinstance(job, str) else None)

    async def _wait_for(self, job: str) -> None:
        """Shopify cancels in a background job: wait a little for it (the order read back shows the rest)."""
        for _ in range(_JOB_POLLS):
            try:
                done = get(await self._client.query(queries.JOB, {"id": job}), "job", "done")
            except ShopUnavailable:
                return
            if done is True:
                return
            await self._sleep(self._job_poll_s)

    async def _update_address(self, request: UpdateShippingAddress) -> ChangeOutcome:
        raw = await self._required_order(request.order_id)
        current = raw.get("shippingAddress") if isinstance(raw.get("shippingAddress"), dict) else {}
        data = await self._client.mutate(queries.ORDER_UPDATE, {"input": {
            "id": request.order_id, "shippingAddress": _address_input(current, request.address)}})
        _payload(data, "orderUpdate", "userErrors")
        return await self._outcome(request.order_id, None)

    async def _return(self, order_id: str, items: list[tuple[str, int]], swaps: list[ItemSwap],
                      reason: str | None) -> ChangeOutcome:
        raw = await self._required_order(order_id)
        lines = _return_lines(raw, items, reason)
        body: dict[str, Any] = {"orderId": order_id, "returnLineItems": lines}
        if swaps:
            body["exchangeLineItems"] = [{"variantId": s.new_variant_id, "quantity": s.quantity} for s in swaps]
        data = await self._client.mutate(queries.RETURN_CREATE, {"returnInput": body})
        created = get(_payload(data, "returnCreate", "userErrors"), "return", "id")
        return await self._outcome(order_id, created if isinstance(created, str) else None)

    async def _refund(self, request: RefundPayment, key: str) -> ChangeOutcome:
        raw = await self._required_order(request.order_id)
        transactions = _refund_transactions(raw, request.amount_cents)
        data = await self._client.mutate(queries.REFUND_CREATE, {"key": key, "input": {
            "orderId": request.order_id, "notify": True, "note": _refund_note(request),
            "transactions": transactions}})
        refund = get(_payload(data, "refundCreate", "userErrors"), "refund", "id")
        return await self._outcome(request.order_id, refund if isinstance(refund, str) else None)

    async def _required_order(self, order_id: str) -> dict[str, Any]:
        raw = await self._raw_order(order_id)
        if raw is None:
            raise ShopRefused(f"Shopify has no order {order_id}")
        return raw

    async def _outcome(self, order_id: str, reference: str | None) -> ChangeOutcome:
        """The change is done: the order as Shopify has it now, or only the reference when reading fails
        (the change stands either way; the core then records it from the request)."""
        try:
            return ChangeOutcome(await self.order(order_id), reference)
        except ShopUnavailable as exc:
            log.warning("shopify: the change is made, reading the order back failed (%s)", exc.reason)
            return ChangeOutcome(None, reference)

    # -- reading an uncertain change back ------------------------------------------------------
    async def has_happened(self, request: ShopRequest) -> ChangeOutcome | None:
        """Whether Shopify shows ``request`` done (its outcome) or not (None)."""
        raw = await self._raw_order(request.order_id)
        if raw is None:
            return None
        order = _mapped(mapping.order, raw)
        if isinstance(request, CancelOrder):
            return ChangeOutcome(order) if raw.get("cancelledAt") else None
        if isinstance(request, UpdateShippingAddress):
            now = mapping.address(raw.get("shippingAddress")) or {}
            wanted = {k: v for k, v in request.address.items() if k in ("line1", "line2", "city", "zip") and v}
            return ChangeOutcome(order) if all(now.get(k) == v for k, v in wanted.items()) else None
        if isinstance(request, RequestReturn | RequestExchange):
            return await self._open_return(request, order)
        if isinstance(request, RefundPayment):
            return await self._refunded(request, order)
        return None

    async def _open_return(self, request: RequestReturn | RequestExchange, order: ShopOrder) -> ChangeOutcome | None:
        raw = (await self._client.query(queries.RETURNS, {"id": request.order_id})).get("order")
        wanted = _tally(request.items if isinstance(request, RequestReturn)
                        else [(s.item_id, s.quantity) for s in request.swaps])
        variants = _tally([(s.new_variant_id, s.quantity) for s in request.swaps]
                          if isinstance(request, RequestExchange) else [])
        for found in nodes(get(raw, "returns")):
            lines = _tally([(get(n, "fulfillmentLineItem", "lineItem", "id"), n.get("quantity"))
                            for n in nodes(found.get("returnLineItems"))])
            exchanges = _tally([(n.get("variantId"), n.get("quantity")) for n in nodes(found.get("exchangeLineItems"))])
            if found.get("status") in _OPEN and lines == wanted and exchanges == variants:
                return ChangeOutcome(order, found.get("id") if isinstance(found.get("id"), str) else None)
        return None

    async def _refunded(self, request: RefundPayment, order: ShopOrder) -> ChangeOutcome | None:
        raw = (await self._client.query(queries.REFUNDS, {"id": request.order_id})).get("order")
        note = _refund_note(request)
        for refund in nodes(get(raw, "refunds")):
            try:
                amount = mapping.money(get(refund, "totalRefundedSet"))
            except ValueError:
                continue
            if get(refund, "note") == note and amount == request.amount_cents:
                return ChangeOutcome(order, refund.get("id") if isinstance(refund.get("id"), str) else None)
        return None


def _tally(pairs: Iterable[tuple[Any, Any]]) -> dict[str, int]:
    """Quantities by id (a line returned from two parcels counts once, with both quantities)."""
    out: dict[str, int] = {}
    for key, quantity in pairs:
        if isinstance(key, str) and isinstance(quantity, int) and not isinstance(quantity, bool):
            out[key] = out.get(key, 0) + quantity
    return out


def _is_gid(value: str, kind: str) -> bool:
    return bool(re.fullmatch(rf"gid://shopify/{kind}/\d{{1,19}}", value or ""))


def _mapped(convert: Any, raw: Any) -> Any:
    try:
        return convert(raw)
    except (ValueError, KeyError, TypeError) as exc:
        raise ShopUnavailable(f"Shopify sent a record Kefu cannot read ({exc})") from None


def _payload(data: dict[str, Any], field: str, errors_field: str) -> dict[str, Any]:
    """A mutation's payload; its user errors are a refusal in Shopify's words."""
    payload = data.get(field)
    if not isinstance(payload, dict):
        raise ShopUnavailable(f"Shopify's answer to {field} had no payload")
    errors = [e for e in nodes(payload.get(errors_field)) if isinstance(e, dict)]
    if errors:
        words = "; ".join(str(e.get("message"))[:200] for e in errors[:3])
        raise ShopRefused(f"Shopify refused {field}: {words}")
    return payload


def _note(prefix: str, reason: str | None) -> str:
    return f"{prefix}: {reason.strip()}"[:255] if reason and reason.strip() else prefix


def _refund_note(request: RefundPayment) -> str:
    """The refund's note, which also finds it again after an uncertain answer."""
    return _note(f"Refund of {request.amount_cents / 100:.2f} through Kefu", request.reason)


def _address_input(current: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Shopify's ``MailingAddressInput``: the current address with the shopper's changes."""
    province = new.get("province")
    code = current.get("provinceCode")
    if province and province not in (current.get("province"), code):
        if not _PROVINCE_CODE.fullmatch(str(province)):
            raise ShopRefused("Shopify takes a province only as its province code")
        code = province
    country = str(new.get("country") or current.get("countryCodeV2") or "").upper()
    if not re.fullmatch(r"[A-Z]{2}", country):
        raise ShopRefused("Shopify takes a country only as its two-letter code")
    out = {"firstName": current.get("firstName"), "lastName": current.get("lastName"),
           "address1": new.get("line1") or current.get("address1"),
           "address2": new.get("line2") if "line2" in new else current.get("address2"),
           "city": new.get("city") or current.get("city"), "zip": new.get("zip") or current.get("zip"),
           "provinceCode": code, "countryCode": country, "phone": current.get("phone")}
    return {k: v for k, v in out.items() if v is not None}


def _return_lines(order: dict[str, Any], items: list[tuple[str, int]], reason: str | None) -> list[dict[str, Any]]:
    """The fulfillment lines that shipped ``items`` (line item id, quantity), as ``ReturnLineItemInput``."""
    shipped: dict[str, list[tuple[str, int]]] = {}
    for done in nodes(order.get("fulfillments")):
        if not isinstance(done, dict) or done.get("status") != "SUCCESS":
            continue
        for node in nodes(done.get("fulfillmentLineItems")):
            line, fid, quantity = get(node, "lineItem", "id"), node.get("id"), node.get("quantity")
            if isinstance(line, str) and isinstance(fid, str) and isinstance(quantity, int):
                shipped.setdefault(line, []).append((fid, quantity))
    note = {"returnReason": "OTHER", "returnReasonNote": reason.strip()[:255]} if reason and reason.strip() \
        else {"returnReason": "UNKNOWN"}
    lines = []
    for item, wanted in items:
        left = wanted
        for fid, quantity in shipped.get(item, []):
            if left <= 0:
                break
            take = min(left, quantity)
            lines.append({"fulfillmentLineItemId": fid, "quantity": take, **note})
            left -= take
        if left > 0:
            raise ShopRefused(f"Shopify shows {item} not shipped in that quantity")
    return lines


def _refund_transactions(order: dict[str, Any], amount_cents: int) -> list[dict[str, Any]]:
    """``OrderTransactionInput`` refunds of ``amount_cents`` against the order's captured payments, the
    refunds made so far counted against the earliest payments."""
    done = [t for t in nodes(order.get("transactions")) if isinstance(t, dict) and t.get("status") == "SUCCESS"]
    refunded = sum(mapping.money(t.get("amountSet")) for t in done if t.get("kind") == "REFUND")
    left = amount_cents
    out = []
    for parent in (t for t in done if t.get("kind") in ("SALE", "CAPTURE")):
        amount = mapping.money(parent.get("amountSet"))
        used = min(refunded, amount)
        refunded -= used
        take = min(left, amount - used)
        if take > 0:
            out.append({"orderId": order["id"], "parentId": parent["id"], "gateway": parent.get("gateway"),
                        "kind": "REFUND", "amount": f"{take / 100:.2f}"})
            left -= take
    if left > 0 or amount_cents <= 0:
        raise ShopRefused("Shopify shows less paid on this order than the refund")
    return out
