"""The report of a date range, per channel and language, computed from what the store records.

Every number is defined in docs/CONSOLE.md "Reports"; this module is their one implementation."""
from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlite_utils

from core.reports.csat import CsatSummary, csat_summary
from core.reports.flows import FlowCounts, flow_counts
from core.reports.retrieval import LowScored, low_scored, unanswered
from core.store import Store

REPEAT_WINDOW = timedelta(hours=48)
"""A later conversation of the same shopper started within this long after one ended counts as a repeat contact."""

HANDOFF_CATEGORIES = ("asked", "upset", "low_confidence", "policy_approval", "backend_cannot", "other")
"""The handoff reasons a report groups the core's recorded reasons into."""


@dataclass(frozen=True)
class ReportFilter:
    """Which conversations a report covers: started on ``start``..``end`` (inclusive, UTC days), and
    only this channel / language when given."""

    start: date
    end: date
    channel: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Report:
    """The numbers of one range; times in seconds, money in cents (the shop's currency)."""

    scope: ReportFilter
    conversations: int
    automated: int
    handed_off: int
    handoff_reasons: dict[str, int]
    first_response_p50: float | None
    first_response_p90: float | None
    resolution_p50: float | None
    resolution_p90: float | None
    intents: dict[str, int]
    unanswered: dict[str, int]
    low_score: dict[str, LowScored]
    mood_by_day: dict[str, float]
    deliveries_sent: int
    coupons_redeemed: int
    revenue_cents: int
    flows: FlowCounts | None = None
    """Flows started vs completed in these conversations (core/reports/flows.py)."""
    csat: CsatSummary | None = None
    """The "How did we do?" answers of these conversations (core/reports/csat.py)."""

    @property
    def automated_rate(self) -> float | None:
        """Share of conversations resolved without a human (None when there were none)."""
        return self.automated / self.conversations if self.conversations else None

    @property
    def handoff_rate(self) -> float | None:
        """Share of conversations with at least one handoff request."""
        return self.handed_off / self.conversations if self.conversations else None

    def rows(self) -> list[tuple[str, str]]:
        """(metric, value) pairs in a fixed order: what the CLI prints and the CSV holds."""
        def number(value: float | None, digits: int = 1) -> str:
            return "-" if value is None else f"{value:.{digits}f}"
        out = [("from", self.scope.start.isoformat()), ("to", self.scope.end.isoformat()),
               ("channel", self.scope.channel or "all"), ("language", self.scope.language or "all"),
               ("conversations", str(self.conversations)), ("automated", str(self.automated)),
               ("automated_rate", number(self.automated_rate, 3)), ("handed_off", str(self.handed_off)),
               ("handoff_rate", number(self.handoff_rate, 3))]
        out += [(f"handoff_reason.{name}", str(self.handoff_reasons.get(name, 0))) for name in HANDOFF_CATEGORIES]
        out += [("first_response_p50_s", number(self.first_response_p50)),
                ("first_response_p90_s", number(self.first_response_p90)),
                ("resolution_p50_s", number(self.resolution_p50)), ("resolution_p90_s", number(self.resolution_p90))]
        out += [(f"intent.{name}", str(count)) for name, count in sorted(self.intents.items())]
        out += [(f"unanswered.{text}", str(count)) for text, count in self.unanswered.items()]
        out += [(f"low_score.{text}", str(group.count)) for text, group in self.low_score.items()]
        out += [(f"mood.{day}", f"{mood:+.3f}") for day, mood in sorted(self.mood_by_day.items())]
        out += [("deliveries_sent", str(self.deliveries_sent)), ("coupons_redeemed", str(self.coupons_redeemed)),
                ("revenue_cents", str(self.revenue_cents))]
        return out + (self.flows.rows() if self.flows else []) + (self.csat.rows() if self.csat else [])


def handoff_category(reason: str | None) -> str:
    """The report category of a handoff reason as the core records it (core/actions/ask_human.py,
    core/actions/fallback.py, core/dialogue)."""
    reason = reason or ""
    if reason in ("asked", "upset"):
        return reason
    if reason == "not_understood":
        return "low_confidence"
    if reason.startswith(("approval:", "window_unknown:")):
        return "policy_approval"
    if reason.startswith("shop_"):
        return "backend_cannot"
    return "other"


def nearest_rank(values: list[float], q: float) -> float | None:
    """The ``q`` quantile (0..1) of ``values`` by nearest rank; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def _bounds(scope: ReportFilter) -> tuple[str, str]:
    """The range as ISO strings comparable with the store's timestamps: [start, day after end)."""
    return scope.start.isoformat(), (scope.end + timedelta(days=1)).isoformat()


def _seconds(later: str, earlier: str) -> float:
    return (datetime.fromisoformat(later) - datetime.fromisoformat(earlier)).total_seconds()


def _conversations(db: sqlite_utils.Database, scope: ReportFilter) -> list[dict[str, Any]]:
    """The conversations in scope with their first inbound and first reply after it."""
    low, high = _bounds(scope)
    where, params = ["c.started_at >= ?", "c.started_at < ?"], [low, high]
    for column, value in (("channel", scope.channel), ("language", scope.language)):
        if value is not None:
            where.append(f"c.{column} = ?")
            params.append(value)
    rows = db.execute(
        "select c.id, c.channel, c.user_id, c.customer_id, c.status, c.started_at, c.updated_at, c.mood, "
        "(select min(created_at) from messages m where m.conversation_id = c.id and m.direction = 'in') "
        f"from conversations c where {' and '.join(where)} order by c.started_at, c.id", params).fetchall()
    keys = ("id", "channel", "user_id", "customer_id", "status", "started_at", "updated_at", "mood", "first_in")
    conversations = [dict(zip(keys, row)) for row in rows]
    for conversation in conversations:
        first_in = conversation["first_in"]
        reply = db.execute("select min(created_at) from messages where conversation_id = ? and direction = 'out' "
                           "and created_at >= ?", [conversation["id"], first_in]).fetchone() if first_in else None
        conversation["first_out"] = reply[0] if reply else None
    return conversations


def _repeated(db: sqlite_utils.Database, conversation: dict[str, Any]) -> bool:
    """Whether the same shopper (customer, else channel user) started another conversation within
    :data:`REPEAT_WINDOW` after this one's last activity."""
    until = (datetime.fromisoformat(conversation["updated_at"]) + REPEAT_WINDOW).isoformat(timespec="seconds")
    same = ("customer_id = ?", [conversation["customer_id"]]) if conversation["customer_id"] is not None else \
        ("channel = ? and user_id = ?", [conversation["channel"], conversation["user_id"]])
    row = db.execute(f"select 1 from conversations where {same[0]} and id != ? and started_at >= ? "
                     "and started_at <= ? limit 1",
                     [*same[1], conversation["id"], conversation["started_at"], until]).fetchone()
    return row is not None


def build_report(store: Store, scope: ReportFilter) -> Report:
    """The report of ``scope`` from the store."""
    db = store.db
    conversations = _conversations(db, scope)
    ids = [c["id"] for c in conversations]
    marks = ", ".join("?" * len(ids))
    handoffs = db.execute(f"select conversation_id, reason, created_at, resolved_at from handoffs "
                          f"where conversation_id in ({marks}) order by id", ids).fetchall() if ids else []
    handed = {conversation_id for conversation_id, *_ in handoffs}
    automated = [c for c in conversations if c["id"] not in handed and c["status"] == "bot" and not _repeated(db, c)]
    reasons = Counter(handoff_category(reason) for _, reason, _, _ in handoffs)
    first = [_seconds(c["first_out"], c["first_in"]) for c in conversations if c["first_in"] and c["first_out"]]
    resolution = [_seconds(resolved, created) for _, _, created, resolved in handoffs if resolved]
    intents = Counter(intent for (intent,) in db.execute(
        f"select intent from messages where direction = 'in' and intent is not null and conversation_id in ({marks})",
        ids).fetchall()) if ids else Counter()
    moods: dict[str, list[float]] = {}
    for c in conversations:
        if c["mood"] is not None:
            moods.setdefault(c["started_at"][:10], []).append(c["mood"])
    low, high = _bounds(scope)
    sent = db.execute("select count(*) from deliveries where status = 'sent' and sent_at >= ? and sent_at < ?"
                      + (" and channel = ?" if scope.channel else "") + (" and language = ?" if scope.language else ""),
                      [low, high, *([scope.channel] if scope.channel else []),
                       *([scope.language] if scope.language else [])]).fetchone()[0]
    redeemed, revenue = db.execute("select count(*), coalesce(sum(order_total_cents), 0) from redemptions "
                                   "where redeemed_at >= ? and redeemed_at < ?", [low, high]).fetchone()
    return Report(scope=scope, conversations=len(conversations), automated=len(automated), handed_off=len(handed),
                  handoff_reasons=dict(reasons), first_response_p50=nearest_rank(first, 0.5),
                  first_response_p90=nearest_rank(first, 0.9), resolution_p50=nearest_rank(resolution, 0.5),
                  resolution_p90=nearest_rank(resolution, 0.9), intents=dict(intents),
                  unanswered=unanswered(db, ids), low_score=low_scored(db, ids),
                  mood_by_day={day: sum(v) / len(v) for day, v in moods.items()}, deliveries_sent=sent,
                  coupons_redeemed=redeemed, revenue_cents=revenue, flows=flow_counts(store, ids), csat=csat_summary(store, ids))
