"""What a shopper chose about themselves: their customer record, language, marketing consent and
whether a channel can still reach them. Channels call this; the pipeline reads the results."""
from __future__ import annotations

from typing import Any

from core.messages import Identity, Language
from core.store import Store


class Profiles:
    """Shopper preferences kept on the customer record (and the conversation, for language)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def ensure_customer(self, identity: Identity, name: str | None, language: Language) -> dict[str, Any]:
        """The customer linked to ``identity``; a new one is created and linked on first contact."""
        customers = self._store.customers
        customer = customers.for_identity(identity.channel, identity.user_id)
        if customer is None:
            customer_id = customers.upsert({"external_id": identity.conversation_id, "name": name,
                                            "language": language})
            customers.link_identity(identity.channel, identity.user_id, customer_id)
            self._store.conversations.ensure(identity, customer_id)
            customer = customers.get(customer_id)
        assert customer is not None
        return customer

    def set_language(self, identity: Identity, language: Language) -> None:
        """Answer in ``language`` from now on: stored on the customer (if any) and the conversation."""
        customer = self._store.customers.for_identity(identity.channel, identity.user_id)
        if customer is not None:
            self._store.db["customers"].update(customer["id"], {"language": language})
        self._store.conversations.ensure(identity, customer["id"] if customer else None)
        self._store.conversations.set_language(identity.conversation_id, language)

    def set_marketing_consent(self, customer_id: int, granted: bool, source: str) -> None:
        """Record a consent decision (time and source are kept with a grant); audited either way."""
        self._store.customers.set_marketing_consent(customer_id, granted, source)
        self._store.audit.record(f"customer:{customer_id}", "consent.grant" if granted else "consent.withdraw",
                                 f"customer:{customer_id}", {"source": source})

    def set_unreachable(self, customer_id: int, unreachable: bool) -> None:
        """Mark whether messages can reach the customer (e.g. they blocked the bot)."""
        self._store.customers.set_unreachable(customer_id, unreachable)
