"""The state of a fake Shopify store and its Admin GraphQL schema subset: customers, products with
variants and inventory, orders with line items, fulfillments, transactions, returns and refunds.

Tests seed it (:meth:`Shop.add_customer`, :meth:`Shop.add_product`, :meth:`Shop.add_order`,
:meth:`Shop.fulfil`, :meth:`Shop.deliver`); :data:`QUERIES` and :data:`MUTATIONS` are the root
fields of the API version the fake serves, shaped as Shopify documents them (GIDs, ``MoneyBag``
amounts as decimal strings, ``userErrors`` on every mutation payload)."""
from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from tests.fakes.graphql_lite import Connection, GraphQLError, Node

SHOP_DOMAIN = "kefu-test.myshopify.com"
CANCEL_REASONS = {"CUSTOMER", "DECLINED", "FRAUD", "INVENTORY", "OTHER", "STAFF"}
RETURN_REASONS = {"COLOR", "DEFECTIVE", "NOT_AS_DESCRIBED", "OTHER", "SIZE_TOO_LARGE", "SIZE_TOO_SMALL", "STYLE",
                  "UNKNOWN", "UNWANTED", "WRONG_ITEM"}
RESTOCK_TYPES = {"CANCEL", "LEGACY_RESTOCK", "NO_RESTOCK", "RETURN"}
_GID = re.compile(r"gid://shopify/([A-Za-z]+)/(\d{1,19})")


def now() -> str:
    """Shopify's DateTime: ISO 8601 in UTC with a Z."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def gid(kind: str, number: int) -> str:
    """``gid://shopify/<kind>/<number>``."""
    return f"gid://shopify/{kind}/{number}"


def parse_gid(value: Any, kind: str) -> int | None:
    """The number of a GID of ``kind``; None for another kind; an error for what is not a GID."""
    match = _GID.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise GraphQLError(f"Invalid global id '{value}'", "argumentLiteralsIncompatible")
    return int(match.group(2)) if match.group(1) == kind else None


def decimal(cents: int) -> str:
    """A Decimal scalar as Shopify writes it: ``19900 -> "199.0"``, ``1999 -> "19.99"``."""
    whole, frac = divmod(cents, 100)
    return f"{whole}.{f'{frac:02d}'.rstrip('0') or '0'}"


def cents(amount: Any, path: str) -> int:
    """Cents from a ``Money``/``Decimal`` input; an error naming ``path`` for anything else."""
    try:
        value = Decimal(str(amount))
    except InvalidOperation as exc:
        raise GraphQLError(f"Variable input {path}: invalid Decimal {amount!r}", "INVALID_VARIABLE") from exc
    if not value.is_finite() or value < 0:
        raise GraphQLError(f"Variable input {path}: invalid Decimal {amount!r}", "INVALID_VARIABLE")
    return int(value * 100)


def money_bag(amount: int, currency: str) -> Node:
    """A ``MoneyBag`` in shop and presentment currency (the same here)."""
    money = Node("MoneyV2", {"amount": decimal(amount), "currencyCode": currency})
    return Node("MoneyBag", {"shopMoney": money, "presentmentMoney": money})


def user_error(field_path: list[str] | None, message: str, code: str | None = None) -> dict[str, Any]:
    """One ``userErrors`` entry."""
    return {"field": field_path, "message": message, "code": code}


@dataclass
class Customer:
    id: int
    email: str
    phone: str | None
    first_name: str
    last_name: str
    address: dict[str, Any] | None


@dataclass
class Variant:
    id: int
    product_id: int
    title: str
    price: int
    sku: str
    inventory: int
    options: dict[str, str]


@dataclass
class Product:
    id: int
    title: str
    handle: str
    description: str
    options: list[tuple[str, list[str]]]
    variants: list[Variant]
    updated_at: str
    product_type: str = ""
    tags: tuple[str, ...] = ()


@dataclass
class LineItem:
    id: int
    variant_id: int
    title: str
    variant_title: str
    quantity: int
    price: int
    options: dict[str, str]
    refunded: int = 0


@dataclass
class Fulfillment:
    id: int
    lines: list[tuple[int, int, int]]  # (fulfillment line item id, line item id, quantity)
    company: str | None
    number: str | None
    url: str | None
    created_at: str
    delivered_at: str | None = None
    estimated_at: str | None = None
    status: str = "SUCCESS"


@dataclass
class Transaction:
    id: int
    kind: str
    amount: int
    gateway: str
    status: str = "SUCCESS"
    parent_id: int | None = None
    created_at: str = field(default_factory=now)


@dataclass
class Return:
    id: int
    name: str
    lines: list[tuple[int, int, int, str]]  # (return line item id, fulfillment line item id, quantity, reason)
    exchanges: list[tuple[int, int, int]]  # (exchange line item id, variant id, quantity)
    status: str = "OPEN"


@dataclass
class Refund:
    id: int
    amount: int
    note: str | None
    created_at: str


@dataclass
class Order:
    id: int
    name: str
    customer_id: int | None
    email: str | None
    currency: str
    created_at: str
    lines: list[LineItem]
    address: dict[str, Any] | None
    updated_at: str = field(default_factory=now)
    fulfillments: list[Fulfillment] = field(default_factory=list)
    transactions: list[Transaction] = field(default_factory=list)
    returns: list[Return] = field(default_factory=list)
    refunds: list[Refund] = field(default_factory=list)
    cancelled_at: str | None = None
    cancel_reason: str | None = None
    closed_at: str | None = None

    @property
    def total(self) -> int:
        """The sum of its lines."""
        return sum(line.price * line.quantity for line in self.lines)

    def paid(self) -> int:
        """Captured money minus refunds."""
        taken = sum(t.amount for t in self.transactions if t.status == "SUCCESS" and t.kind in ("SALE", "CAPTURE"))
        return taken - self.refunded()

    def refunded(self) -> int:
        """Money refunded so far."""
        return sum(t.amount for t in self.transactions if t.status == "SUCCESS" and t.kind == "REFUND")

    def financial_status(self) -> str:
        """``displayFinancialStatus``."""
        refunded, paid = self.refunded(), self.paid()
        if refunded and not paid:
            return "REFUNDED"
        if refunded:
            return "PARTIALLY_REFUNDED"
        if paid >= self.total:
            return "PAID"
        if any(t.kind == "AUTHORIZATION" and t.status == "SUCCESS" for t in self.transactions):
            return "AUTHORIZED"
        return "PARTIALLY_PAID" if paid else "PENDING"

    def fulfilled_quantity(self, line_id: int) -> int:
        """How many of a line were fulfilled."""
        return sum(q for f in self.fulfillments if f.status == "SUCCESS" for _, lid, q in f.lines if lid == line_id)

    def fulfillment_status(self) -> str:
        """``displayFulfillmentStatus``."""
        done = sum(self.fulfilled_quantity(line.id) for line in self.lines)
        if not done:
            return "UNFULFILLED"
        return "FULFILLED" if done >= sum(line.quantity for line in self.lines) else "PARTIALLY_FULFILLED"

    def returned_quantity(self, fulfillment_line_id: int) -> int:
        """How many of a fulfillment line are in returns not cancelled or declined."""
        return sum(q for r in self.returns if r.status not in ("CANCELED", "DECLINED")
                   for _, fid, q, _ in r.lines if fid == fulfillment_line_id)

    def return_status(self) -> str:
        """``returnStatus``."""
        if any(r.status == "OPEN" for r in self.returns):
            return "IN_PROGRESS"
        if any(r.status == "REQUESTED" for r in self.returns):
            return "RETURN_REQUESTED"
        return "RETURNED" if any(r.status == "CLOSED" for r in self.returns) else "NO_RETURN"


class Shop:
    """Everything the fake store holds, with ids from one counter (as real GIDs never repeat)."""

    def __init__(self, currency: str = "CNY") -> None:
        self.currency = currency
        self.customers: dict[int, Customer] = {}
        self.products: dict[int, Product] = {}
        self.orders: dict[int, Order] = {}
        self.jobs: dict[int, int] = {}  # job id -> order id
        self.idempotent: dict[str, dict[str, Any]] = {}  # idempotency key -> the first result
        self._ids = itertools.count(1001)
        self._order_numbers = itertools.count(1001)

    def next_id(self) -> int:
        """A fresh id for any kind of object."""
        return next(self._ids)

    # -- seeding -------------------------------------------------------------------------------
    def add_customer(self, email: str, first_name: str = "Mei", last_name: str = "Li", phone: str | None = None,
                     address: dict[str, Any] | None = None) -> Customer:
        """A customer with a default address."""
        customer = Customer(self.next_id(), email, phone, first_name, last_name,
                            address or address_input(first_name, last_name))
        self.customers[customer.id] = customer
        return customer

    def add_product(self, title: str, variants: list[tuple[dict[str, str], int, int]], description: str = "",
                    handle: str | None = None) -> Product:
        """A product; each variant is ``(options, price in cents, inventory)``."""
        product_id = self.next_id()
        names = list(dict.fromkeys(name for opts, _, _ in variants for name in opts)) or ["Title"]
        options = [(n, list(dict.fromkeys(opts.get(n, "Default Title") for opts, _, _ in variants))) for n in names]
        rows = [Variant(self.next_id(), product_id, " / ".join(opts.values()) or "Default Title", price,
                        f"SKU-{product_id}-{i}", stock, opts or {"Title": "Default Title"})
                for i, (opts, price, stock) in enumerate(variants, 1)]
        product = Product(product_id, title, handle or re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-"),
                          description, options, rows, now())
        self.products[product_id] = product
        return product

    def variant(self, variant_id: int) -> Variant | None:
        """A variant by number."""
        return next((v for p in self.products.values() for v in p.variants if v.id == variant_id), None)

    def add_order(self, customer: Customer | None, lines: list[tuple[Variant, int]], paid: bool = True,
                  created_at: str | None = None, gateway: str = "shopify_payments") -> Order:
        """An order of ``(variant, quantity)`` lines, paid by one sale unless ``paid`` is False."""
        items = []
        for variant, quantity in lines:
            product = self.products[variant.product_id]
            items.append(LineItem(self.next_id(), variant.id, product.title, variant.title, quantity, variant.price,
                                  dict(variant.options)))
        order = Order(self.next_id(), f"#{next(self._order_numbers)}", customer.id if customer else None,
                      customer.email if customer else None, self.currency, created_at or now(), items,
                      dict(customer.address) if customer and customer.address else None)
        if paid:
            order.transactions.append(Transaction(self.next_id(), "SALE", order.total, gateway))
        self.orders[order.id] = order
        return order

    def fulfil(self, order: Order, company: str = "SF Express", number: str = "SF1234567890",
               url: str | None = "https://www.sf-express.com/track?id=SF1234567890",
               quantities: dict[int, int] | None = None) -> Fulfillment:
        """Ship the order in one fulfillment: every line, or ``quantities`` (line item id -> quantity)."""
        shipped = quantities or {line.id: line.quantity for line in order.lines}
        done = Fulfillment(self.next_id(), [(self.next_id(), lid, q) for lid, q in shipped.items()],
                           company, number, url, now())
        order.fulfillments.append(done)
        order.updated_at = now()
        return done

    def deliver(self, order: Order) -> None:
        """Mark its fulfillments delivered."""
        for done in order.fulfillments:
            done.delivered_at = now()
        order.updated_at = now()

    # -- the schema ----------------------------------------------------------------------------
    def customer_node(self, customer: Customer) -> Node:
        def orders() -> list[Node]:
            return [self.order_node(o) for o in sorted(self.orders.values(), key=lambda o: o.created_at)
                    if o.customer_id == customer.id]

        return Node("Customer", {
            "id": gid("Customer", customer.id), "email": customer.email, "phone": customer.phone,
            "firstName": customer.first_name, "lastName": customer.last_name,
            "displayName": f"{customer.first_name} {customer.last_name}".strip(),
            "defaultAddress": address_node(customer.address),
            "numberOfOrders": str(sum(o.customer_id == customer.id for o in self.orders.values())),
            "orders": lambda _args: Connection("Order", orders())})

    def variant_node(self, variant: Variant) -> Node:
        return Node("ProductVariant", {
            "id": gid("ProductVariant", variant.id), "title": variant.title, "sku": variant.sku,
            "price": decimal(variant.price), "inventoryQuantity": variant.inventory,
            "availableForSale": variant.inventory > 0,
            "selectedOptions": [Node("SelectedOption", {"name": k, "value": v}) for k, v in variant.options.items()],
            "inventoryItem": Node("InventoryItem", {"id": gid("InventoryItem", inventory_item_id(variant))}),
            "product": Node("Product", {"id": gid("Product", variant.product_id)})})

    def product_node(self, product: Product) -> Node:
        return Node("Product", {
            "id": gid("Product", product.id), "title": product.title, "handle": product.handle,
            "description": product.description, "status": "ACTIVE", "updatedAt": product.updated_at,
            "productType": product.product_type, "tags": list(product.tags),
            "totalInventory": sum(v.inventory for v in product.variants),
            "options": [Node("ProductOption", {"name": n, "values": vals}) for n, vals in product.options],
            "variants": Connection("ProductVariant", [self.variant_node(v) for v in product.variants])})

    def order_node(self, order: Order) -> Node:
        lines = {line.id: line for line in order.lines}
        return Node("Order", {
            "id": gid("Order", order.id), "name": order.name, "email": order.email,
            "createdAt": order.created_at, "updatedAt": order.updated_at, "cancelledAt": order.cancelled_at,
            "cancelReason": order.cancel_reason, "closedAt": order.closed_at, "closed": order.closed_at is not None,
            "currencyCode": order.currency, "displayFinancialStatus": order.financial_status(),
            "displayFulfillmentStatus": order.fulfillment_status(), "returnStatus": order.return_status(),
            "totalPriceSet": money_bag(order.total, order.currency),
            "totalRefundedSet": money_bag(order.refunded(), order.currency),
            "shippingAddress": address_node(order.address),
            "customer": (lambda _args: self.customer_node(self.customers[order.customer_id]))
            if order.customer_id in self.customers else None,
            "lineItems": Connection("LineItem", [self._line_node(line, order) for line in order.lines]),
            "fulfillments": [self._fulfillment_node(f, lines, order) for f in order.fulfillments],
            "transactions": [self._transaction_node(t, order.currency) for t in order.transactions],
            "returns": Connection("Return", [self._return_node(r, order) for r in order.returns]),
            "refunds": [self._refund_node(r, order.currency) for r in order.refunds]})

    def _line_node(self, line: LineItem, order: Order) -> Node:
        variant = self.variant(line.variant_id)
        return Node("LineItem", {
            "id": gid("LineItem", line.id), "title": line.title, "variantTitle": line.variant_title,
            "quantity": line.quantity, "currentQuantity": line.quantity - line.refunded,
            "refundableQuantity": line.quantity - line.refunded, "sku": variant.sku if variant else None,
            "originalUnitPriceSet": money_bag(line.price, order.currency),
            "variant": Node("ProductVariant", {
                "id": gid("ProductVariant", line.variant_id), "title": line.variant_title,
                "product": Node("Product", {"id": gid("Product", variant.product_id)}),
                "selectedOptions": [Node("SelectedOption", {"name": k, "value": v})
                                    for k, v in line.options.items()]}) if variant else None})

    def _fulfillment_node(self, done: Fulfillment, lines: dict[int, LineItem], order: Order) -> Node:
        tracking = [Node("FulfillmentTrackingInfo", {"company": done.company, "number": done.number, "url": done.url})]
        return Node("Fulfillment", {
            "id": gid("Fulfillment", done.id), "status": done.status, "createdAt": done.created_at,
            "deliveredAt": done.delivered_at, "updatedAt": done.delivered_at or done.created_at,
            "estimatedDeliveryAt": done.estimated_at,
            "displayStatus": "DELIVERED" if done.delivered_at else "IN_TRANSIT",
            "trackingInfo": tracking if done.number else [],
            "fulfillmentLineItems": Connection("FulfillmentLineItem", [
                Node("FulfillmentLineItem", {"id": gid("FulfillmentLineItem", fid), "quantity": q,
                                             "lineItem": self._line_node(lines[lid], order)})
                for fid, lid, q in done.lines])})

    def _transaction_node(self, t: Transaction, currency: str) -> Node:
        return Node("OrderTransaction", {
            "id": gid("OrderTransaction", t.id), "kind": t.kind, "status": t.status, "gateway": t.gateway,
            "amountSet": money_bag(t.amount, currency), "createdAt": t.created_at,
            "parentTransaction": Node("OrderTransaction", {"id": gid("OrderTransaction", t.parent_id)})
            if t.parent_id else None})

    def _return_node(self, r: Return, order: Order) -> Node:
        shipped = {fid: lid for f in order.fulfillments for fid, lid, _ in f.lines}
        return Node("Return", {
            "id": gid("Return", r.id), "name": r.name, "status": r.status,
            "order": Node("Order", {"id": gid("Order", order.id)}),
            "returnLineItems": Connection("ReturnLineItem", [
                Node("ReturnLineItem", {"id": gid("ReturnLineItem", rid), "quantity": q, "returnReason": reason,
                                        "fulfillmentLineItem": Node("FulfillmentLineItem", {
                                            "id": gid("FulfillmentLineItem", fid),
                                            "lineItem": Node("LineItem", {"id": gid("LineItem", shipped[fid])})})})
                for rid, fid, q, reason in r.lines]),
            "exchangeLineItems": Connection("ExchangeLineItem", [
                Node("ExchangeLineItem", {"id": gid("ExchangeLineItem", eid), "quantity": q,
                                          "variantId": gid("ProductVariant", vid)})
                for eid, vid, q in r.exchanges])})

    def _refund_node(self, r: Refund, currency: str) -> Node:
        return Node("Refund", {"id": gid("Refund", r.id), "note": r.note, "createdAt": r.created_at,
                               "totalRefundedSet": money_bag(r.amount, currency)})


def inventory_item_id(variant: Variant) -> int:
    """The inventory item of a variant (one per variant, as in Shopify)."""
    return variant.id + 500_000


def address_input(first_name: str, last_name: str) -> dict[str, Any]:
    """A default Shanghai address for seeded customers."""
    return {"firstName": first_name, "lastName": last_name, "address1": "88 Century Avenue", "address2": None,
            "city": "Shanghai", "province": "Shanghai", "provinceCode": "SH", "zip": "200120", "country": "China",
            "countryCodeV2": "CN", "phone": None, "company": None}


def address_node(address: dict[str, Any] | None) -> Node | None:
    """A ``MailingAddress``."""
    if address is None:
        return None
    name = " ".join(p for p in (address.get("firstName"), address.get("lastName")) if p)
    return Node("MailingAddress", {**{k: address.get(k) for k in (
        "firstName", "lastName", "address1", "address2", "city", "province", "provinceCode", "zip", "country",
        "countryCodeV2", "phone", "company")}, "name": name or None})

