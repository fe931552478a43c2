"""A store seeded with known conversations, handoffs, moods and promotions, and the report it must give."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from core.store import Store

# (id, channel, user, customer, language, status, started, mood, first reply after (s), intents)
CONVERSATIONS = [
    ("web:a", "web", "a", 1, "en", "bot", "2026-11-02T10:00:00+00:00", 0.5, 2, ["order_status"]),
    ("web:b", "web", "b", None, "zh", "bot", "2026-11-02T11:00:00+00:00", -0.5, 4, ["return_request", "goodbye"]),
    ("telegram:c", "telegram", "c", 2, "en", "human", "2026-11-03T09:00:00+00:00", -0.8, 10, ["contact_human_agent"]),
    ("telegram:d", "telegram", "d", 3, "en", "bot", "2026-11-03T12:00:00+00:00", None, 6, ["order_status"]),
    # the same customer as web:a, back within 48 h: web:a is not automated; this one is
    ("wechat:a2", "wechat", "a2", 1, "zh", "bot", "2026-11-03T10:00:00+00:00", 0.1, 8, ["order_status"]),
    # outside the range
    ("web:z", "web", "z", None, "en", "bot", "2026-11-09T10:00:00+00:00", 0.9, 1, ["greeting"]),
]
# (conversation, reason, created, resolved)
HANDOFFS = [
    ("telegram:c", "asked", "2026-11-03T09:01:00+00:00", "2026-11-03T09:11:00+00:00"),
    ("telegram:d", "shop_cannot:cancel #W1", "2026-11-03T12:02:00+00:00", "2026-11-03T13:02:00+00:00"),
    ("web:b", "approval:return #W2", "2026-11-02T11:05:00+00:00", None),
]
# (conversation, question, article quoted or None, best score): knowledge-base searches the turns recorded
KB_SEARCHES = [
    ("web:a", "Can I pay with crypto?", "payment-methods", 0.31),
    ("wechat:a2", "can i pay with CRYPTO", "payment-methods", 0.25),  # the same question: one group of 2
    ("telegram:d", "how long do refunds take", "refunds-timing", 0.83),  # above LOW_SCORE: not listed
    ("web:b", "do you sell gift cards", None, 0.12),  # no article reached the threshold: not answered
    ("web:z", "can i pay with crypto", "payment-methods", 0.3),  # outside the range
]
RANGE = ("2026-11-01", "2026-11-05")


def seed(store: Store) -> None:
    """Write the rows above (customers 1-3 exist; the conversations' messages carry the intents)."""
    db = store.db
    for n in (1, 2, 3):
        db["customers"].insert({"id": n, "external_id": f"c{n}", "name": f"C{n}", "created_at": "2026-01-01"},
                               ignore=True)
    for cid, channel, user, customer, lang, status, started, mood, reply_after, intents in CONVERSATIONS:
        db["conversations"].insert({"id": cid, "channel": channel, "user_id": user, "customer_id": customer,
                                    "language": lang, "status": status, "started_at": started,
                                    "updated_at": started, "mood": mood})
        for intent in intents:
            db["messages"].insert({"conversation_id": cid, "direction": "in", "text": intent, "intent": intent,
                                   "processed": 1, "created_at": started})
        replied = _plus(started, reply_after)
        db["messages"].insert({"conversation_id": cid, "direction": "out", "text": "ok", "processed": 1,
                               "created_at": replied})
    db["messages"].insert({"conversation_id": "web:b", "direction": "in", "text": "Do you ship to Mars?",
                           "understood": 0, "processed": 1, "created_at": "2026-11-02T11:01:00+00:00"})
    started = {row[0]: row[6] for row in CONVERSATIONS}
    for cid, text, article, score in KB_SEARCHES:  # a minute into the conversation
        db["messages"].insert({"conversation_id": cid, "direction": "in", "text": text, "understood": 1,
                               "kb_article": article, "kb_score": score, "processed": 1,
                               "created_at": _plus(started[cid], 60)})
    for cid, reason, created, resolved in HANDOFFS:
        db["handoffs"].insert({"conversation_id": cid, "status": "resolved" if resolved else "open",
                               "reason": reason, "priority": 1, "created_at": created, "resolved_at": resolved})
    db["campaigns"].insert({"id": 1, "name": "autumn", "definition": "{}", "status": "sent", "created_at": RANGE[0]})
    for n, (status, sent_at) in enumerate([("sent", "2026-11-02T08:00:00+00:00"), ("sent", "2026-11-04T08:00:00+00:00"),
                                            ("failed", None), ("sent", "2026-11-20T08:00:00+00:00")], start=1):
        db["deliveries"].insert({"campaign_id": 1, "customer_id": n, "status": status, "sent_at": sent_at,
                                 "occasion": "", "channel": "web", "language": "en", "updated_at": RANGE[0]})
    db["coupons"].insert({"code": "AUT10", "kind": "percent", "value": 10, "campaign_id": 1, "created_at": RANGE[0]})
    for order, at, total in (("W1", "2026-11-03T15:00:00+00:00", 19900), ("W9", "2026-10-30T15:00:00+00:00", 5000)):
        db["redemptions"].insert({"code": "AUT10", "customer_id": 1, "order_id": order, "redeemed_at": at,
                                  "order_total_cents": total, "discount_cents": total // 10})


def _plus(iso: str, seconds: int) -> str:
    """``iso`` plus ``seconds``, as the store writes times."""
    return (datetime.fromisoformat(iso) + timedelta(seconds=seconds)).isoformat(timespec="seconds")


def expected() -> dict[str, Any]:
    """The seeded truth for RANGE, all channels and languages, worked out by hand."""
    return {"conversations": 5, "automated": 1,  # wechat:a2 only (web:a repeats; b, c, d handed off)
            "handed_off": 3, "reasons": {"asked": 1, "backend_cannot": 1, "policy_approval": 1},
            "first_response_p50": 6.0, "first_response_p90": 10.0,  # replies after 2, 4, 6, 8, 10 s
            "resolution_p50": 600.0, "resolution_p90": 3600.0,
            "unanswered": {"do you ship to mars": 1, "do you sell gift cards": 1},
            "low_score": {"can i pay with crypto": (2, "payment-methods", 0.25)},
            "intents": {"order_status": 3, "return_request": 1, "goodbye": 1, "contact_human_agent": 1},
            "mood_by_day": {"2026-11-02": 0.0, "2026-11-03": (-0.8 + 0.1) / 2},
            "deliveries_sent": 2, "coupons_redeemed": 1, "revenue_cents": 19900}
