"""The root fields of the fake Shopify Admin GraphQL API: the reads (:data:`QUERIES`) and the
after-sales mutations (:data:`MUTATIONS`), each answering ``userErrors`` for what Shopify refuses.

Each resolver takes the :class:`~tests.fakes.shopify_shop.Shop`, the field's arguments and its
directives. Input is checked before anything changes, so a refused mutation changes nothing."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from tests.fakes.graphql_lite import Connection, GraphQLError, Node
from tests.fakes.shopify_shop import (
    SHOP_DOMAIN,
    CANCEL_REASONS,
    RESTOCK_TYPES,
    RETURN_REASONS,
    Order,
    Refund,
    Return,
    Shop,
    Transaction,
    cents,
    gid,
    inventory_item_id,
    now,
    parse_gid,
    user_error,
)

Resolver = Callable[[Shop, dict[str, Any], dict[str, dict[str, Any]]], Any]
_TERM = re.compile(r"""(\w+):(>=|<=|>|<)?(?:'([^']*)'|"([^"]*)"|(\S+))""")
_SEARCHABLE = {
    "Customer": {"email": lambda c: c.email, "phone": lambda c: c.phone},
    "Order": {"email": lambda o: o.email, "name": lambda o: o.name, "updated_at": lambda o: o.updated_at,
              "created_at": lambda o: o.created_at, "customer_id": lambda o: str(o.customer_id)},
    "Product": {"title": lambda p: p.title, "updated_at": lambda p: p.updated_at},
}


def _search(kind: str, items: list[Any], query: Any) -> list[Any]:
    """Shopify's search syntax, the part used here: ``field:value`` terms (ANDed), ``>``/``<`` on dates."""
    if query in (None, ""):
        return items
    if not isinstance(query, str):
        raise GraphQLError("query must be a string", "argumentLiteralsIncompatible")
    terms = _TERM.findall(query)
    if not terms or _TERM.sub("", query).strip():
        raise GraphQLError(f"The fake Shopify only searches field:value terms, not {query!r}", "unsupportedSearch")
    for name, op, *values in terms:
        getter = _SEARCHABLE[kind].get(name)
        if getter is None:
            raise GraphQLError(f"The fake Shopify cannot search {kind} by {name!r}", "unsupportedSearch")
        wanted = next(v for v in values if v)
        items = [i for i in items if _matches(getter(i), op, wanted)]
    return items


def _matches(value: str | None, op: str, wanted: str) -> bool:
    if value is None:
        return False
    if not op:
        return value.lower() == wanted.lower()
    return {">": value > wanted, ">=": value >= wanted, "<": value < wanted, "<=": value <= wanted}[op]


def _by_id(kind: str, table: Callable[[Shop], dict[int, Any]], node: Callable[[Shop, Any], Node]) -> Resolver:
    def resolve(shop: Shop, args: dict[str, Any], _directives: dict[str, dict[str, Any]]) -> Node | None:
        number = parse_gid(_required(args, "id"), kind)
        found = table(shop).get(number) if number is not None else None
        return node(shop, found) if found is not None else None
    return resolve


def _listing(kind: str, table: Callable[[Shop], dict[int, Any]], node: Callable[[Shop, Any], Node]) -> Resolver:
    def resolve(shop: Shop, args: dict[str, Any], _directives: dict[str, dict[str, Any]]) -> Connection:
        items = _search(kind, list(table(shop).values()), args.get("query"))
        if args.get("sortKey") == "UPDATED_AT":
            items.sort(key=lambda i: i.updated_at)
        return Connection(kind, [node(shop, i) for i in items])
    return resolve


def _variant(shop: Shop, args: dict[str, Any], _directives: dict[str, dict[str, Any]]) -> Node | None:
    number = parse_gid(_required(args, "id"), "ProductVariant")
    variant = shop.variant(number) if number is not None else None
    return shop.variant_node(variant) if variant else None


def _inventory_item(shop: Shop, args: dict[str, Any], _directives: dict[str, dict[str, Any]]) -> Node | None:
    number = parse_gid(_required(args, "id"), "InventoryItem")
    variant = next((v for p in shop.products.values() for v in p.variants if inventory_item_id(v) == number), None)
    if variant is None:
        return None
    return Node("InventoryItem", {"id": gid("InventoryItem", inventory_item_id(variant)),
                                  "variant": shop.variant_node(variant)})


def _job(shop: Shop, args: dict[str, Any], _directives: dict[str, dict[str, Any]]) -> Node | None:
    number = parse_gid(_required(args, "id"), "Job")
    if number not in shop.jobs:
        return None
    return Node("Job", {"id": gid("Job", number), "done": True, "query": None})


def _shop(shop: Shop, _args: dict[str, Any], _directives: dict[str, dict[str, Any]]) -> Node:
    return Node("Shop", {"name": "Kefu Test", "myshopifyDomain": SHOP_DOMAIN, "currencyCode": shop.currency})


QUERIES: dict[str, Resolver] = {
    "shop": _shop,
    "customers": _listing("Customer", lambda s: s.customers, Shop.customer_node),
    "customer": _by_id("Customer", lambda s: s.customers, Shop.customer_node),
    "orders": _listing("Order", lambda s: s.orders, Shop.order_node),
    "order": _by_id("Order", lambda s: s.orders, Shop.order_node),
    "products": _listing("Product", lambda s: s.products, Shop.product_node),
    "product": _by_id("Product", lambda s: s.products, Shop.product_node),
    "productVariant": _variant,
    "inventoryItem": _inventory_item,
    "job": _job,
}


# -- mutations ---------------------------------------------------------------------------------
def _required(args: dict[str, Any], *names: str) -> Any:
    missing = [n for n in names if args.get(n) is None]
    if missing:
        raise GraphQLError(f"Field is missing required arguments: {', '.join(missing)}", "missingRequiredArguments")
    return args[names[0]]


def _enum(value: Any, allowed: set[str], path: str) -> str:
    if value not in allowed:
        raise GraphQLError(f"Variable {path} was provided invalid value (expected one of {sorted(allowed)})",
                           "INVALID_VARIABLE")
    return value


def _input(args: dict[str, Any], name: str) -> dict[str, Any]:
    value = _required(args, name)
    if not isinstance(value, dict):
        raise GraphQLError(f"Variable {name} must be an input object", "INVALID_VARIABLE")
    return value


def _order(shop: Shop, order_id: Any) -> Order | None:
    number = parse_gid(order_id, "Order")
    return shop.orders.get(number) if number is not None else None


def _errors(typename: str, errors: list[dict[str, Any]], with_code: bool = True) -> list[Node]:
    keys = ("field", "message", "code") if with_code else ("field", "message")
    return [Node(typename, {k: e[k] for k in keys}) for e in errors]


def _order_cancel(shop: Shop, args: dict[str, Any], _directives: dict[str, dict[str, Any]]) -> Node:
    _required(args, "orderId", "reason", "restock")
    _enum(args["reason"], CANCEL_REASONS, "reason")
    order = _order(shop, args["orderId"])
    refund_method = args.get("refundMethod")
    errors = []
    if order is None:
        errors.append(user_error(["orderId"], "Order does not exist", "NOT_FOUND"))
    elif order.cancelled_at:
        errors.append(user_error(["orderId"], "Cannot cancel an order that has already been cancelled", "INVALID"))
    elif any(f.status == "SUCCESS" for f in order.fulfillments):
        errors.append(user_error(["orderId"], "Cannot cancel an order with fulfillments", "INVALID"))
    elif args.get("refund") is not None and refund_method is not None:
        errors.append(user_error(["refundMethod"], "Specify only one of refund and refundMethod", "INVALID"))
    elif args.get("refund") is None and not isinstance(refund_method, dict):
        errors.append(user_error(["refundMethod"], "A refund method is required", "INVALID"))
    job = None
    if not errors and order is not None:
        refund = bool(args.get("refund")) or bool((refund_method or {}).get("originalPaymentMethodsRefund"))
        _cancel(shop, order, args["reason"], refund, bool(args["restock"]))
        job_id = shop.next_id()
        shop.jobs[job_id] = order.id
        job = Node("Job", {"id": gid("Job", job_id), "done": False, "query": None})
    return Node("OrderCancelPayload", {"job": job, "orderCancelUserErrors": _errors("OrderCancelUserError", errors),
                                       "userErrors": _errors("UserError", errors, with_code=False)})


def _cancel(shop: Shop, order: Order, reason: str, refund: bool, restock: bool) -> None:
    order.cancelled_at = order.closed_at = order.updated_at = now()
    order.cancel_reason = reason
    paid = order.paid()
    sale = next((t for t in order.transactions if t.kind in ("SALE", "CAPTURE") and t.status == "SUCCESS"), None)
    if refund and paid and sale:
        order.transactions.append(Transaction(shop.next_id(), "REFUND", paid, sale.gateway, parent_id=sale.id))
        order.refunds.append(Refund(shop.next_id(), paid, "Order cancelled", now()))
    if restock:
        for line in order.lines:
            variant = shop.variant(line.variant_id)
            if variant:
                variant.inventory += line.quantity


def _order_update(shop: Shop, args: dict[str, Any], _directives: dict[str, dict[str, Any]]) -> Node:
    data = _input(args, "input")
    order = _order(shop, _required(data, "id"))
    address = data.get("shippingAddress")
    errors = []
    if order is None:
        errors.append(user_error(["id"], "Order does not exist"))
    elif address is not None and not isinstance(address, dict):
        raise GraphQLError("Variable input.shippingAddress must be an input object", "INVALID_VARIABLE")
    elif address is not None and not re.fullmatch(r"[A-Z]{2}", str(address.get("countryCode") or "")):
        errors.append(user_error(["shippingAddress", "countryCode"], "Country is invalid"))
    elif address is not None and not str(address.get("address1") or "").strip():
        errors.append(user_error(["shippingAddress", "address1"], "Address1 can't be blank"))
    if not errors and order is not None and address is not None:
        order.address = {k: address.get(k) for k in ("firstName", "lastName", "address1", "address2", "city",
                                                     "provinceCode", "zip", "phone", "company")}
        order.address.update(countryCodeV2=address["countryCode"], country=address["countryCode"],
                             province=address.get("provinceCode"))
        order.updated_at = now()
    return Node("OrderUpdatePayload", {"order": shop.order_node(order) if order and not errors else None,
                                       "userErrors": _errors("UserError", errors, with_code=False)})


def _return_create(shop: Shop, args: dict[str, Any], _directives: dict[str, dict[str, Any]]) -> Node:
    data = _input(args, "returnInput")
    order = _order(shop, _required(data, "orderId"))
    lines = data.get("returnLineItems") or []
    exchanges = data.get("exchangeLineItems") or []
    if not isinstance(lines, list) or not isinstance(exchanges, list):
        raise GraphQLError("returnLineItems and exchangeLineItems must be lists", "INVALID_VARIABLE")
    for i, line in enumerate(lines):
        _required(line, "fulfillmentLineItemId", "quantity")
        if line.get("returnReason") is not None:
            _enum(line["returnReason"], RETURN_REASONS, f"returnInput.returnLineItems.{i}.returnReason")
    errors = _return_errors(shop, order, lines, exchanges) if order else [
        user_error(["returnInput", "orderId"], "Order does not exist", "NOT_FOUND")]
    created = None
    if not errors and order is not None:
        created = Return(shop.next_id(), f"{order.name}-R{len(order.returns) + 1}",
                         [(shop.next_id(), parse_gid(line["fulfillmentLineItemId"], "FulfillmentLineItem") or 0,
                           line["quantity"], line.get("returnReason") or "UNKNOWN") for line in lines],
                         [(shop.next_id(), parse_gid(x["variantId"], "ProductVariant") or 0, x["quantity"])
                          for x in exchanges])
        order.returns.append(created)
        order.updated_at = now()
    return Node("ReturnCreatePayload", {"return": shop.order_node(order).fields["returns"].items[-1]
                                        if created and order else None,
                                        "userErrors": _errors("ReturnUserError", errors)})


def _return_errors(shop: Shop, order: Order, lines: list[dict[str, Any]],
                   exchanges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if not lines:
        return [user_error(["returnInput", "returnLineItems"], "Return must include at least one line item",
                           "INVALID")]
    fulfilled = {fid: q for f in order.fulfillments if f.status == "SUCCESS" for fid, _, q in f.lines}
    errors = []
    for i, line in enumerate(lines):
        path = ["returnInput", "returnLineItems", str(i)]
        fid = parse_gid(line["fulfillmentLineItemId"], "FulfillmentLineItem")
        quantity = line["quantity"]
        if fid not in fulfilled:
            errors.append(user_error([*path, "fulfillmentLineItemId"], "Fulfillment line item does not exist",
                                     "NOT_FOUND"))
        elif not isinstance(quantity, int) or quantity < 1 or quantity > fulfilled[fid] - order.returned_quantity(fid):
            errors.append(user_error([*path, "quantity"], "Quantity is not available for return", "INVALID"))
    for i, item in enumerate(exchanges):
        path = ["returnInput", "exchangeLineItems", str(i)]
        number = parse_gid(_required(item, "variantId", "quantity"), "ProductVariant")
        variant = shop.variant(number) if number is not None else None
        if variant is None:
            errors.append(user_error([*path, "variantId"], "Variant does not exist", "NOT_FOUND"))
        elif not isinstance(item["quantity"], int) or item["quantity"] < 1:
            errors.append(user_error([*path, "quantity"], "Quantity must be greater than 0", "INVALID"))
        elif variant.inventory < item["quantity"]:
            errors.append(user_error([*path, "variantId"], "Variant is out of stock", "INVALID"))
    return errors


def _refund_create(shop: Shop, args: dict[str, Any], directives: dict[str, dict[str, Any]]) -> Node:
    key = (directives.get("idempotent") or {}).get("key")
    if not isinstance(key, str) or not key:
        raise GraphQLError("refundCreate requires the @idempotent directive with a key", "BAD_REQUEST")
    if key in shop.idempotent:
        return shop.idempotent[key]["payload"]
    data = _input(args, "input")
    order = _order(shop, _required(data, "orderId"))
    lines = data.get("refundLineItems") or []
    transactions = data.get("transactions") or []
    for i, line in enumerate(lines):
        _required(line, "lineItemId", "quantity")
        if line.get("restockType") is not None:
            _enum(line["restockType"], RESTOCK_TYPES, f"input.refundLineItems.{i}.restockType")
    for i, t in enumerate(transactions):
        _required(t, "orderId", "gateway", "kind", "amount")
        _enum(t["kind"], {"REFUND"}, f"input.transactions.{i}.kind")
    amounts = [cents(t["amount"], f"input.transactions.{i}.amount") for i, t in enumerate(transactions)]
    errors = _refund_errors(order, lines, transactions, amounts) if order else [
        user_error(["orderId"], "Order does not exist")]
    refund = None
    if not errors and order is not None:
        refund = _apply_refund(shop, order, lines, transactions, amounts, data.get("note"))
    payload = Node("RefundCreatePayload", {
        "refund": refund, "order": shop.order_node(order) if order and refund else None,
        "userErrors": _errors("UserError", errors, with_code=False)})
    if refund is not None:
        shop.idempotent[key] = {"payload": payload}
    return payload


def _refund_errors(order: Order, lines: list[dict[str, Any]], transactions: list[dict[str, Any]],
                   amounts: list[int]) -> list[dict[str, Any]]:
    errors = []
    by_id = {line.id: line for line in order.lines}
    for i, line in enumerate(lines):
        item = by_id.get(parse_gid(line["lineItemId"], "LineItem"))
        if item is None:
            errors.append(user_error(["refundLineItems", str(i), "lineItemId"], "Line item does not exist"))
        elif not isinstance(line["quantity"], int) or not 0 < line["quantity"] <= item.quantity - item.refunded:
            errors.append(user_error(["refundLineItems", str(i), "quantity"],
                                     "Quantity cannot refund more items than were purchased"))
    parents = {t.id for t in order.transactions if t.kind in ("SALE", "CAPTURE") and t.status == "SUCCESS"}
    for i, t in enumerate(transactions):
        if parse_gid(t.get("parentId") or gid("OrderTransaction", 0), "OrderTransaction") not in parents:
            errors.append(user_error(["transactions", str(i), "parentId"], "Parent transaction does not exist"))
    if sum(amounts) > order.paid():
        errors.append(user_error(["transactions"], "Refund amount cannot exceed the amount refundable"))
    if not lines and not amounts:
        errors.append(user_error(None, "A refund needs line items or transactions"))
    return errors


def _apply_refund(shop: Shop, order: Order, lines: list[dict[str, Any]], transactions: list[dict[str, Any]],
                  amounts: list[int], note: str | None) -> Node:
    by_id = {line.id: line for line in order.lines}
    for line in lines:
        item = by_id[parse_gid(line["lineItemId"], "LineItem") or 0]
        item.refunded += line["quantity"]
        variant = shop.variant(item.variant_id)
        if variant and line.get("restockType") in ("RETURN", "CANCEL", "LEGACY_RESTOCK"):
            variant.inventory += line["quantity"]
    for t, amount in zip(transactions, amounts):
        parent = parse_gid(t["parentId"], "OrderTransaction")
        order.transactions.append(Transaction(shop.next_id(), "REFUND", amount, t["gateway"], parent_id=parent))
    refund = Refund(shop.next_id(), sum(amounts), note, now())
    order.refunds.append(refund)
    order.updated_at = now()
    return shop.order_node(order).fields["refunds"][-1]


MUTATIONS: dict[str, Resolver] = {
    "orderCancel": _order_cancel,
    "orderUpdate": _order_update,
    "returnCreate": _return_create,
    "refundCreate": _refund_create,
}
