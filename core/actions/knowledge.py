"""Answers policy and FAQ questions from the shop's knowledge base."""
from __future__ import annotations

from core.actions.base import Action, ActionResult
from core.store import Store
from core.turn import Turn

# Which knowledge-base topic answers which intent.
TOPIC_OF_INTENT = {
    "check_refund_policy": "returns", "return_item": "returns", "exchange_item": "exchanges",
    "get_refund": "refunds", "track_refund": "refunds", "delivery_options": "shipping",
    "delivery_period": "shipping", "check_payment_methods": "payment", "payment_issue": "payment",
    "get_invoice": "invoices", "check_invoice": "invoices", "coupon": "coupons",
    "price_promotion": "coupons", "check_privacy_policy": "privacy", "cancel_order": "orders",
    "change_order": "orders", "change_shipping_address": "orders", "check_cancellation_fee": "orders",
}


class KnowledgeAction(Action):
    """Quotes the shop's own article on the topic, in the shopper's language."""

    name = "knowledge"

    def __init__(self, store: Store) -> None:
        self._store = store

    async def run(self, turn: Turn) -> ActionResult:
        """The first article on the intent's topic; offer a human when the shop has none."""
        topic = TOPIC_OF_INTENT.get(turn.nlu.intent, "")
        facts = {}
        for lang in ("zh", "en"):
            articles = self._store.knowledge.by_topic(topic, lang)
            if articles:
                facts.setdefault("title", {})[lang] = articles[0]["title"]
                facts.setdefault("body", {})[lang] = articles[0]["body"]
        if turn.language not in facts.get("title", {}):
            return ActionResult("faq_missing", buttons=[("btn_human", "/human")])
        return ActionResult("faq_answer", facts)
