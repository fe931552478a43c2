"""The GraphQL documents Kefu sends to Shopify's Admin API (version :data:`~adapters.shops.shopify.client.API_VERSION`).

Page sizes keep each document's *requested* cost (what Shopify reserves from the bucket before
running it: a connection costs 2 + ``first`` × its node) well under the 1,000-point single query
limit; the *actual* cost, refunded afterwards, is far lower."""
from __future__ import annotations

ORDERS_PAGE = 2
"""Orders per page of the sync: an order with its lines, parcels, payments and returns requests ~330 points."""
PRODUCTS_PAGE = 5
"""Products per page of the catalogue sync (~110 points each, 50 variants)."""

_ADDRESS = "firstName lastName address1 address2 city province provinceCode zip country countryCodeV2 phone"
_CUSTOMER = f"id email phone firstName lastName defaultAddress {{ {_ADDRESS} }}"
_MONEY = "shopMoney { amount currencyCode }"
ORDER_FIELDS = f"""id name email createdAt updatedAt cancelledAt closedAt currencyCode
  displayFinancialStatus displayFulfillmentStatus returnStatus
  totalPriceSet {{ {_MONEY} }}
  customer {{ {_CUSTOMER} }}
  shippingAddress {{ {_ADDRESS} }}
  lineItems(first: 20) {{ nodes {{ id title quantity currentQuantity
    variant {{ id title product {{ id }} selectedOptions {{ name value }} }}
    originalUnitPriceSet {{ {_MONEY} }} }} }}
  fulfillments(first: 3) {{ status createdAt deliveredAt estimatedDeliveryAt
    trackingInfo(first: 3) {{ company number url }}
    fulfillmentLineItems(first: 20) {{ nodes {{ id quantity lineItem {{ id }} }} }} }}
  transactions(first: 10) {{ id kind status gateway createdAt amountSet {{ {_MONEY} }} }}
  returns(first: 3) {{ nodes {{ id name status exchangeLineItems(first: 5) {{ nodes {{ id }} }} }} }}"""

FIND_CUSTOMER = f"""query FindCustomer($query: String!) {{
  customers(first: 5, query: $query) {{ nodes {{ {_CUSTOMER} }} }} }}"""

ORDER = f"query Order($id: ID!) {{ order(id: $id) {{ {ORDER_FIELDS} }} }}"

ORDERS = f"""query Orders($first: Int!, $after: String, $query: String) {{
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {{
    pageInfo {{ hasNextPage endCursor }} nodes {{ {ORDER_FIELDS} }} }} }}"""

_PRODUCT_FIELDS = """id title description productType tags updatedAt options { name values }
  variants(first: 50) { nodes { id title sku price inventoryQuantity availableForSale selectedOptions { name value } } }"""

PRODUCT = f"query Product($id: ID!) {{ product(id: $id) {{ {_PRODUCT_FIELDS} }} }}"

PRODUCTS = f"""query Products($first: Int!, $after: String) {{
  products(first: $first, after: $after) {{ pageInfo {{ hasNextPage endCursor }} nodes {{ {_PRODUCT_FIELDS} }} }} }}"""

SHOP = "query Shop { shop { name myshopifyDomain currencyCode } }"

RETURNS = """query Returns($id: ID!) { order(id: $id) { id returns(first: 10) { nodes { id name status
  returnLineItems(first: 20) { nodes { quantity fulfillmentLineItem { lineItem { id } } } }
  exchangeLineItems(first: 10) { nodes { quantity variantId } } } } } }"""

REFUNDS = """query Refunds($id: ID!) { order(id: $id) { id refunds(first: 20) { id note createdAt
  totalRefundedSet { shopMoney { amount currencyCode } } } } }"""

INVENTORY_ITEM = "query Item($id: ID!) { inventoryItem(id: $id) { id variant { id product { id } } } }"

JOB = "query Job($id: ID!) { job(id: $id) { id done } }"

ORDER_CANCEL = """mutation OrderCancel($orderId: ID!, $reason: OrderCancelReason!,
    $refundMethod: OrderCancelRefundMethodInput!, $staffNote: String) {
  orderCancel(orderId: $orderId, reason: $reason, refundMethod: $refundMethod, restock: true,
      notifyCustomer: true, staffNote: $staffNote) {
    job { id done } orderCancelUserErrors { field message code } } }"""

ORDER_UPDATE = """mutation OrderUpdate($input: OrderInput!) {
  orderUpdate(input: $input) { order { id } userErrors { field message } } }"""

RETURN_CREATE = """mutation ReturnCreate($returnInput: ReturnInput!) {
  returnCreate(returnInput: $returnInput) { return { id name status } userErrors { field message code } } }"""

REFUND_CREATE = """mutation RefundCreate($input: RefundInput!, $key: String!) {
  refundCreate(input: $input) @idempotent(key: $key) {
    refund { id totalRefundedSet { shopMoney { amount currencyCode } } } userErrors { field message } } }"""
