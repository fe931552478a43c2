"""Followers of the Official Account as shop customers: created on first contact, consent to
marketing recorded with its time and source, marked unreachable when they unfollow."""
from __future__ import annotations

from core.store import Store

CHANNEL = "wechat"
CONSENT_YES = "wechat:consent:yes"
CONSENT_NO = "wechat:consent:no"


class Followers:
    """Customer records behind WeChat OpenIDs."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def customer_id(self, open_id: str) -> int:
        """The customer linked to ``open_id``; a new one (external id ``wechat:OPENID``) is created
        and linked when there is none."""
        customers = self._store.customers
        customer = customers.for_identity(CHANNEL, open_id)
        if customer:
            return customer["id"]
        customer_id = customers.upsert({"external_id": f"{CHANNEL}:{open_id}"})
        customers.link_identity(CHANNEL, open_id, customer_id)
        return customer_id

    def subscribed(self, open_id: str) -> int:
        """A (re-)follow: the customer, reachable again."""
        customer_id = self.customer_id(open_id)
        self._store.customers.set_unreachable(customer_id, False)
        return customer_id

    def unsubscribed(self, open_id: str) -> None:
        """An unfollow: WeChat delivers nothing more to them, so the customer is unreachable."""
        customer = self._store.customers.for_identity(CHANNEL, open_id)
        if customer:
            self._store.customers.set_unreachable(customer["id"], True)
            self._store.audit.record(CHANNEL, "unsubscribed", f"customer:{customer['id']}")

    def answer_consent(self, open_id: str, consent: bool) -> None:
        """Store the follower's answer to the marketing question (and audit it)."""
        customer_id = self.customer_id(open_id)
        self._store.customers.set_marketing_consent(customer_id, consent, source=CHANNEL)
        self._store.audit.record(CHANNEL, "marketing_consent", f"customer:{customer_id}", {"consent": consent})
