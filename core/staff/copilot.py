"""The copilot's facts about one conversation, for staff: who the customer is, their own recent orders
with status and tracking, the products they looked at, the conversation's mood, their earlier conversations. Only what the store
holds; what it lacks is left out (shown as unknown), never guessed. The inbox panel, the canned
replies' variables and the Slack card read them."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.sentiment.mood import mood_label
from core.store import Store

RECENT_ORDERS = 5
EARLIER_CONVERSATIONS = 5
VIEWED = 5


@dataclass(frozen=True)
class CopilotFacts:
    """The facts shown beside one conversation; ``customer`` is empty for an unknown visitor."""

    conversation_id: str
    language: str
    mood: str
    customer: dict[str, Any] = field(default_factory=dict)
    orders: list[dict[str, Any]] = field(default_factory=list)
    earlier: list[dict[str, Any]] = field(default_factory=list)
    viewed: list[dict[str, Any]] = field(default_factory=list)

    def variables(self, order_id: str | None = None) -> dict[str, str]:
        """The canned replies' variables that have a value: the customer's name and email, and the
        order (``order_id`` when it is one of theirs, else their newest) with its tracking number."""
        order = next((o for o in self.orders if o["id"] == order_id), self.orders[0] if self.orders else None)
        values = {"name": self.customer.get("name"), "email": self.customer.get("email"),
                  "order_id": order and order["id"], "tracking": order and order["tracking"]}
        return {key: str(value) for key, value in values.items() if value}


def copilot_facts(store: Store, conversation_id: str) -> CopilotFacts | None:
    """The copilot's facts for a conversation; None when there is no such conversation."""
    conversation = store.conversations.get(conversation_id)
    if conversation is None:
        return None
    customer_id = conversation.get("customer_id")
    customer = store.customers.get(customer_id) if customer_id else None
    facts = CopilotFacts(conversation_id, conversation.get("language") or "", mood_label(conversation.get("mood")))
    if customer is None:
        return facts
    return CopilotFacts(
        facts.conversation_id, facts.language, facts.mood,
        customer={"name": customer.get("name"), "email": customer.get("email"),
                  "since": customer.get("created_at"), "language": customer.get("language")},
        orders=[{"id": o["id"], "status": o["status"], "carrier": o.get("carrier"),
                 "tracking": o.get("tracking_number"), "expected_delivery": o.get("expected_delivery"),
                 "created_at": o["created_at"]}
                for o in store.orders.for_customer(customer_id, limit=RECENT_ORDERS)],
        earlier=_earlier(store, customer_id, conversation_id), viewed=_viewed(store, customer_id))


def _viewed(store: Store, customer_id: int) -> list[dict[str, Any]]:
    """The products the customer last looked at (the store's ``view`` events), newest first, each once."""
    seen: dict[str, dict[str, Any]] = {}
    for event in store.events.for_customer(customer_id):
        product = store.catalog.product(event["product_id"]) if event["kind"] == "view" else None
        if product and product["id"] not in seen and len(seen) < VIEWED:
            seen[product["id"]] = {"id": product["id"], "title_en": product["title_en"], "title_zh": product["title_zh"],
                                   "at": event["created_at"]}
    return list(seen.values())


def _earlier(store: Store, customer_id: int, conversation_id: str) -> list[dict[str, Any]]:
    """The customer's other conversations, newest first: when, how they ended, the first line."""
    earlier = []
    for row in store.conversations.of_customer(customer_id, but=conversation_id, limit=EARLIER_CONVERSATIONS):
        first = next((m["text"] for m in store.conversations.transcript(row["id"])
                      if m["direction"] == "in" and m["text"]), "")
        earlier.append({"started_at": row["started_at"], "outcome": row["status"], "first_line": first[:200]})
    return earlier
