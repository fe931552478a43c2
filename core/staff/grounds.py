"""What the store says about a conversation, in zh and en: the only text that may back a summary's
claims of status (identity verified, refunded, …) and its amounts of money (see
:class:`core.reply.grounding.GroundingChecker`'s ``trusted`` text).

The shopper is verified when their channel identity belongs to a customer or they proved who they
are in the chat; the orders are that customer's only (those the shopper named, the one the dialogue
worked on, those with requests made in this chat); the requests are those made in this chat. Nothing
here approves anything or names a manager or a VIP: such claims are never backed."""
from __future__ import annotations

from functools import partial
from typing import Any

from core.i18n import t
from core.messages import Language
from core.money import format_price
from core.staff.summary import orders_named
from core.store import Store

_REQUEST_KINDS = {"cancel": ("取消", "cancellation"), "return": ("退货", "return"), "exchange": ("换货", "exchange"),
                  "change_items": ("改商品", "item change"), "invoice": ("发票", "invoice")}
_REQUEST_STATUSES = {"done": ("已完成", "done"), "requested": ("已提交", "submitted"),
                     "awaiting_approval": ("等待同事决定", "waiting for a colleague to decide")}


def store_facts(store: Store, conversation_id: str) -> dict[Language, str]:
    """The store's facts about the conversation, one per line, in each language ("" when it knows none)."""
    conversation = store.conversations.get(conversation_id) or {}
    state = store.conversations.state(conversation_id)
    customer_id = conversation.get("customer_id") or state.get("customer_id")
    lines: dict[Language, list[str]] = {"zh": [], "en": []}
    if customer_id:
        lines["zh"].append("身份已验证")
        lines["en"].append("identity verified")
    requests = list(store.db["order_requests"].rows_where("conversation_id = ?", [conversation_id], order_by="id"))
    named = [*orders_named(store, conversation_id), (state.get("slots") or {}).get("order_id"),
             state.get("last_order"), *(r["order_id"] for r in requests)]
    for order_id in dict.fromkeys(o for o in named if o):
        order = store.orders.get_for_customer(order_id, customer_id) if customer_id else None
        if order is not None:
            _add(lines, _order_facts(order))
    for request in requests:
        _add(lines, _request_facts(request, store.orders.get(request["order_id"]) or {}))
    return {language: "\n".join(found) for language, found in lines.items()}


def _order_facts(order: dict[str, Any]) -> dict[Language, str]:
    """An order's status, total, what was paid and what was refunded."""
    price = partial(format_price, currency=order.get("currency") or "CNY")
    paid, refunded = (sum(p["amount_cents"] or 0 for p in order["payments"] if p["kind"] == kind)
                      for kind in ("payment", "refund"))
    status, total = f"status_{order['status']}", price(order["total_cents"] or 0)
    zh = f"订单 {order['id']}：{t(status, 'zh')}，总额 {total}，已付 {price(paid)}"
    en = f"order {order['id']}: {t(status, 'en')}, total {total}, paid {price(paid)}"
    if refunded:
        zh += f"，已退款 {price(refunded)}"
        en += f", refunded {price(refunded)}"
    return {"zh": zh, "en": en}


def _request_facts(request: dict[str, Any], order: dict[str, Any]) -> dict[Language, str]:
    """A request made in the chat: what, for which order, its status and amount."""
    (kind_zh, kind_en), (status_zh, status_en) = (
        _REQUEST_KINDS.get(request["kind"], (request["kind"], request["kind"])),
        _REQUEST_STATUSES.get(request["status"], (request["status"], request["status"])))
    zh = f"订单 {request['order_id']} 的{kind_zh}申请：{status_zh}"
    en = f"{kind_en} request for order {request['order_id']}: {status_en}"
    if request["amount_cents"]:
        amount = format_price(abs(request["amount_cents"]), order.get("currency") or "CNY")
        zh += f"，金额 {amount}"
        en += f", amount {amount}"
    return {"zh": zh, "en": en}


def _add(lines: dict[Language, list[str]], facts: dict[Language, str]) -> None:
    for language, line in facts.items():
        lines[language].append(line)
