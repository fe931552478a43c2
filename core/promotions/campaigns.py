"""Campaigns and their deliveries in the store.

A delivery is one message of one campaign to one customer for one occasion (``""`` for a
scheduled campaign; the cart, restock, order or year for a triggered journey); the unique key
(campaign, customer, occasion) makes planning idempotent. Its life: ``pending`` (rendered, due at
``due_at``) → ``sending`` → ``sent`` or, after retries, ``failed`` with the reason; or ``skipped``
with the reason (no consent, quiet-hour limits, caps, …)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from core.clock import utc_now_iso
from core.promotions.definition import CampaignDefinition, parse_definition
from core.promotions.facts import CustomerFacts

STATUSES = ("draft", "running", "paused")


@dataclass(frozen=True)
class Campaign:
    """A stored campaign."""

    id: int
    name: str
    status: str
    definition: CampaignDefinition
    created_at: str
    planned_at: str | None = None


@dataclass(frozen=True)
class Due:
    """A delivery ready to be sent."""

    id: int
    campaign_id: int
    customer_id: int
    occasion: str
    channel: str
    user_id: str
    body: dict[str, Any]
    attempts: int

    @property
    def key(self) -> str:
        """The delivery's idempotency key, given to the channel with the message."""
        return delivery_key(self.campaign_id, self.customer_id, self.occasion)


def iso(when: datetime) -> str:
    """A time as deliveries store it: ISO-8601 in UTC, to the second (so text order is time order)."""
    return when.astimezone(UTC).isoformat(timespec="seconds")


def delivery_key(campaign_id: int, customer_id: int, occasion: str = "") -> str:
    """``campaign:7:42`` (or ``campaign:7:42:cart-1312`` for a journey's occasion)."""
    return f"campaign:{campaign_id}:{customer_id}" + (f":{occasion}" if occasion else "")


class Campaigns:
    """Read and write campaigns and deliveries."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    # -- campaigns -----------------------------------------------------------------------
    def create(self, definition: CampaignDefinition) -> int:
        """Store a new campaign as a draft; returns its id."""
        now = utc_now_iso()
        return self.db["campaigns"].insert({"name": definition.name, "definition": definition.model_dump_json(),
                                            "status": "draft", "created_at": now, "updated_at": now}).last_pk

    def get(self, campaign_id: int) -> Campaign | None:
        """One campaign, or None."""
        row = next(self.db["campaigns"].rows_where("id = ?", [campaign_id]), None)
        return _campaign(row) if row else None

    def all(self, status: str | None = None) -> list[Campaign]:
        """Every campaign (optionally in one status), oldest first."""
        where, args = ("status = ?", [status]) if status else (None, None)
        return [_campaign(r) for r in self.db["campaigns"].rows_where(where, args, order_by="id")]

    def set_status(self, campaign_id: int, status: str) -> None:
        """Move a campaign to ``status`` (one of :data:`STATUSES`)."""
        if status not in STATUSES:
            raise ValueError(f"unknown campaign status {status!r}")
        self.db["campaigns"].update(campaign_id, {"status": status, "updated_at": utc_now_iso()})

    def mark_planned(self, campaign_id: int, when: datetime) -> None:
        """Remember that the campaign's scheduled run was planned (it is not planned again)."""
        self.db["campaigns"].update(campaign_id, {"planned_at": iso(when), "updated_at": utc_now_iso()})

    # -- deliveries ----------------------------------------------------------------------
    def planned_customers(self, campaign_id: int, occasions: list[str]) -> set[tuple[int, str]]:
        """(customer, occasion) pairs already planned for the campaign among ``occasions``."""
        rows = self.db.execute("select customer_id, occasion from deliveries where campaign_id = ? "
                               "and occasion in (select value from json_each(?))", [campaign_id, json.dumps(occasions)])
        return {(r[0], r[1]) for r in rows}

    def due(self, now: datetime, limit: int = 500) -> list[Due]:
        """Pending deliveries of running campaigns due by ``now``, earliest first."""
        rows = self.db.execute(
            "select d.id, d.campaign_id, d.customer_id, d.occasion, d.channel, d.user_id, d.body, d.attempts "
            "from deliveries d join campaigns c on c.id = d.campaign_id "
            "where d.status = 'pending' and d.due_at <= ? and c.status = 'running' order by d.due_at, d.id limit ?",
            [iso(now), limit])
        return [Due(*r[:6], json.loads(r[6]), r[7]) for r in rows]

    def claim(self, delivery_id: int) -> bool:
        """Mark a pending delivery as being sent (committed before the send); False if it was not pending."""
        with self.db.atomic():
            cursor = self.db.execute("update deliveries set status = 'sending', attempts = attempts + 1, "
                                     "updated_at = ? where id = ? and status = 'pending'", [utc_now_iso(), delivery_id])
        return cursor.rowcount == 1

    def mark_sent(self, delivery_id: int) -> None:
        """The channel accepted the message."""
        now = utc_now_iso()
        self._update(delivery_id, status="sent", reason=None, sent_at=now)

    def mark_failed(self, delivery_id: int, reason: str) -> None:
        """Not delivered, for good; the reason is kept."""
        self._update(delivery_id, status="failed", reason=reason[:500])

    def mark_skipped(self, delivery_id: int, reason: str) -> None:
        """Not sent on purpose (consent withdrawn, cap reached, handoff open, …)."""
        self._update(delivery_id, status="skipped", reason=reason)

    def postpone(self, delivery_id: int, until: datetime, reason: str | None = None) -> None:
        """Back to pending, due at ``until`` (a retry after a failure, or after quiet hours)."""
        self._update(delivery_id, status="pending", due_at=iso(until), reason=reason)

    def interrupted(self) -> list[Due]:
        """Deliveries left ``sending`` by a process that stopped mid-send."""
        rows = self.db.execute("select id, campaign_id, customer_id, occasion, channel, user_id, body, attempts "
                               "from deliveries where status = 'sending' order by id")
        return [Due(*r[:6], json.loads(r[6]), r[7]) for r in rows]

    def status_counts(self, campaign_id: int) -> dict[str, int]:
        """How many deliveries of the campaign are in each status."""
        return dict(self.db.execute("select status, count(*) from deliveries where campaign_id = ? group by status",
                                    [campaign_id]).fetchall())

    def customer_facts(self, customer_id: int) -> CustomerFacts:
        """A delivery's customer as facts for the check right before its send (an erased one has no consent)."""
        return CustomerFacts.from_row(next(self.db["customers"].rows_where("id = ?", [customer_id]), None))

    def _update(self, delivery_id: int, **values: Any) -> None:
        self.db["deliveries"].update(delivery_id, {**values, "updated_at": utc_now_iso()})


def _campaign(row: dict[str, Any]) -> Campaign:
    return Campaign(row["id"], row["name"], row["status"], parse_definition(json.loads(row["definition"])),
                    row["created_at"], row.get("planned_at"))
