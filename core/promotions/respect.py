"""Respect for the shopper: who may get a promotion now, and when their quiet hours end.

Consent (given, with its time and source) and reachability come from the customer record; a
weekly cap counts promotions sent in the last seven days; an open handoff or a complaint in the
last ``complaint_days`` days holds promotions back; quiet hours are in the customer's own
timezone. Checked for everyone at planning (in a few queries) and again for each message just
before it is sent."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlite_utils

from core.promotions.campaigns import iso
from core.promotions.facts import CustomerFacts

SKIP_REASONS = ("no_consent", "unreachable", "no_channel", "weekly_cap", "handoff_open", "recent_complaint",
                "paused")


@dataclass(frozen=True)
class RespectRules:
    """The shop's limits (from settings)."""

    quiet_start: time = time(21, 0)
    quiet_end: time = time(9, 0)
    weekly_cap: int = 2
    complaint_days: int = 14
    default_timezone: str = "Asia/Shanghai"

    def zone(self, name: str | None) -> ZoneInfo:
        """The customer's timezone, or the shop's default when unknown or unset."""
        try:
            return ZoneInfo(name) if name else ZoneInfo(self.default_timezone)
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo(self.default_timezone)

    def quiet_until(self, when: datetime, timezone: str | None) -> datetime | None:
        """If ``when`` falls in the customer's quiet hours, the moment they end (aware, UTC); else None."""
        local = when.astimezone(self.zone(timezone))
        start, end, now = self.quiet_start, self.quiet_end, local.timetz().replace(tzinfo=None)
        if start == end:
            return None
        overnight = start > end
        quiet = (now >= start or now < end) if overnight else (start <= now < end)
        if not quiet:
            return None
        day = local.date() + timedelta(days=1) if overnight and now >= start else local.date()
        return datetime.combine(day, end, tzinfo=local.tzinfo).astimezone(when.tzinfo)


class Respect:
    """Applies :class:`RespectRules` to customers, reading handoffs, complaints and past sends."""

    def __init__(self, db: sqlite_utils.Database, rules: RespectRules) -> None:
        self._db = db
        self.rules = rules

    def exclusions(self, customers: list[CustomerFacts], now: datetime) -> dict[int, str]:
        """For everyone who may not get a promotion now: the reason (one of :data:`SKIP_REASONS`)."""
        ids = [c.id for c in customers]
        held = {cid: "handoff_open" for cid in self._with_open_handoff(ids)}
        held.update({cid: "recent_complaint" for cid in self._with_recent_complaint(ids, now)})
        capped = self._at_weekly_cap(ids, now)
        reasons: dict[int, str] = {}
        for c in customers:
            reason = ("no_consent" if not c.consented else "unreachable" if c.unreachable
                      else held.get(c.id) or ("weekly_cap" if c.id in capped else None))
            if reason:
                reasons[c.id] = reason
        return reasons

    def _with_open_handoff(self, ids: list[int]) -> set[int]:
        return self._ids("select distinct c.customer_id from handoffs h join conversations c "
                         "on c.id = h.conversation_id where h.status = 'open' and c.customer_id in {ids}", ids)

    def _with_recent_complaint(self, ids: list[int], now: datetime) -> set[int]:
        since = iso(now - timedelta(days=self.rules.complaint_days))
        return self._ids("select distinct c.customer_id from messages m join conversations c "
                         "on c.id = m.conversation_id where m.direction = 'in' and m.intent = 'complaint' "
                         "and m.created_at >= ? and c.customer_id in {ids}", ids, since)

    def _at_weekly_cap(self, ids: list[int], now: datetime) -> set[int]:
        since = iso(now - timedelta(days=7))
        return self._ids("select customer_id from deliveries where status = 'sent' and sent_at >= ? "
                         "and customer_id in {ids} group by customer_id having count(*) >= ?",
                         ids, since, self.rules.weekly_cap)

    def _ids(self, sql: str, ids: list[int], *args: object) -> set[int]:
        """Run ``sql`` with ``{ids}`` bound to the customer ids (as one JSON parameter)."""
        before, _, after = sql.partition("{ids}")
        params = [*args[:before.count("?")], json.dumps(ids), *args[before.count("?"):]]
        return {row[0] for row in self._db.execute(before + "(select value from json_each(?))" + after, params)}
