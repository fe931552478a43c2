"""Customers and the channel identities linked to them."""
from __future__ import annotations

from typing import Any

import sqlite_utils

from core.clock import utc_now_iso
from core.store.jsoncols import decode
from core.store.rows import first_row


class Customers:
    """Read and write customers."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def get(self, customer_id: int) -> dict[str, Any] | None:
        """One customer by id, or None."""
        return decode(first_row(self._db, "select * from customers where id = ?", [customer_id]), "address")

    def by_external_id(self, external_id: str) -> dict[str, Any] | None:
        """The customer imported under ``external_id``, or None."""
        rows = list(self._db["customers"].rows_where("external_id = ?", [external_id]))
        return decode(rows[0], "address") if rows else None

    def upsert(self, customer: dict[str, Any]) -> int:
        """Create or update a customer keyed by ``external_id``; returns its id."""
        existing = self.by_external_id(customer["external_id"])
        if existing:
            self._db["customers"].update(existing["id"], customer)
            return existing["id"]
        row = {"created_at": utc_now_iso(), **customer}
        return self._db["customers"].insert(row).last_pk

    def for_identity(self, channel: str, user_id: str) -> dict[str, Any] | None:
        """The customer a channel identity is linked to, or None."""
        return decode(first_row(self._db, "select c.* from identities i join customers c on c.id = i.customer_id "
                                          "where i.channel = ? and i.user_id = ?", [channel, user_id]), "address")

    def link_identity(self, channel: str, user_id: str, customer_id: int) -> None:
        """Link a channel identity to a customer (replacing an earlier link)."""
        self._db["identities"].upsert(
            {"channel": channel, "user_id": user_id, "customer_id": customer_id, "created_at": utc_now_iso()},
            pk=("channel", "user_id"),
        )

    def set_marketing_consent(self, customer_id: int, consent: bool, source: str) -> None:
        """Record a shopper's answer to the marketing question: consent with its time and source,
        or no consent (time and source cleared)."""
        at, source_or_none = (utc_now_iso(), source) if consent else (None, None)
        self._db["customers"].update(customer_id, {"marketing_consent": int(consent), "consent_at": at,
                                                   "consent_source": source_or_none})

    def set_unreachable(self, customer_id: int, unreachable: bool = True) -> None:
        """Mark a customer as (no longer) reachable, e.g. after they unfollowed the shop's account."""
        self._db["customers"].update(customer_id, {"unreachable": int(unreachable)})

    def identities(self, customer_id: int) -> list[dict[str, Any]]:
        """Every channel identity of a customer."""
        return list(self._db["identities"].rows_where("customer_id = ?", [customer_id]))

    def ids_with_external_prefix(self, *prefixes: str) -> list[int]:
        """The ids of customers whose external id starts with one of ``prefixes``, in order."""
        clauses = " or ".join("substr(external_id, 1, ?) = ?" for _ in prefixes) or "0"
        params = [value for prefix in prefixes for value in (len(prefix), prefix)]
        return [row[0] for row in self._db.execute(f"select id from customers where {clauses} order by id", params)]

    def count(self) -> int:
        """How many customers the shop has."""
        return self._db["customers"].count
