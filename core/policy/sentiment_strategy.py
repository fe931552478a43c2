"""The sentiment strategy: updates the conversation's mood and decides the turn's :class:`Tone`.

Anger or disappointment gets an apology, and so does another negative message only when it reports a
bad experience in words (a low score alone, as for "I need an invoice", gets none), and so does a plain
report of a problem with an order ("the zipper broke after two days", "少了一件") unless the message is
happy (the model sure of it, or positive with praise or thanks: "换的新的到了很好，谢谢，之前那个是坏的"),
because such a report is often told without a single angry word; anxiety gets reassurance with the expected delivery date of
the order in context; urgency gets brief answers; an upset shopper gets no upselling; strong
negativity (a very negative score with strong anger) or a worsening mood hands the conversation to staff
with a raised priority; a happy
moment after a delivered order invites a review."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.sentiment.experience import praises, reports_bad_experience
from core.sentiment.mood import smooth
from core.sentiment.problems import reports_problem
from core.sentiment.tone import Tone
from core.store import Store
from core.turn import Turn

HIGH_PRIORITY = 3
RAISED_PRIORITY = 2
STRONG = 0.8  # emotion strength that makes a very negative message "strong negativity"
SURE_HAPPY = 0.5  # a problem report scoring this high is told happily ("the replacement came, all good now")
OPEN_ORDER_STATUSES = ("pending", "processed", "shipped")


@dataclass(frozen=True)
class Thresholds:
    """The strategy's settings; scores and moods are in [-1, 1]."""

    mood_alpha: float = 0.5
    apology_score: float = -0.3
    handoff_score: float = -0.8
    mood_handoff: float = -0.5
    upsell_floor: float = -0.2
    review_score: float = 0.6


class SentimentStrategy:
    """Reads the turn's sentiment and the conversation's mood; looks orders up in the store."""

    def __init__(self, store: Store, thresholds: Thresholds | None = None) -> None:
        self._store = store
        self._limits = thresholds or Thresholds()

    def decide(self, turn: Turn) -> Tone:
        """Update ``turn.state.mood`` with this message and return the tone of the reply."""
        limits, sentiment, state = self._limits, turn.sentiment, turn.state
        previous = state.mood
        if turn.message.payload is None:  # a button press says nothing about the mood
            state.mood = smooth(previous, sentiment.score, limits.mood_alpha)
        upset = sentiment.polarity == "negative" or (state.mood is not None and state.mood <= limits.upsell_floor)
        complaint = sentiment.has("angry") or sentiment.has("disappointed")
        worry = any(sentiment.has(e) for e in ("anxious", "urgent", "confused"))  # answered otherwise
        text, language = turn.message.text, turn.nlu.language
        apologise = sentiment.polarity == "negative" and (complaint or (
            sentiment.score <= limits.apology_score and not worry and reports_bad_experience(text, language)))
        happy = sentiment.score >= SURE_HAPPY or sentiment.polarity == "positive" and praises(text, language)
        apologise = apologise or (not happy and reports_problem(text, language))
        reassure = sentiment.has("anxious")
        order = self._order_in_context(turn) if reassure or sentiment.score >= limits.review_score else None
        expected = order if order and order["status"] in OPEN_ORDER_STATUSES and order["expected_delivery"] else None
        return Tone(
            apologise=apologise,
            reassure=reassure,
            brief=sentiment.has("urgent"),
            upsell=not upset,
            handoff_priority=self._handoff_priority(turn, previous),
            order_id=expected["id"] if expected and reassure else None,
            expected_delivery=expected["expected_delivery"] if expected and reassure else None,
            review_order_id=self._review_invitation(turn, order),
        )

    def _handoff_priority(self, turn: Turn, previous: float | None) -> int:
        limits, sentiment, state = self._limits, turn.sentiment, turn.state
        if sentiment.score <= limits.handoff_score and sentiment.has("angry", STRONG):
            return HIGH_PRIORITY
        worsening = previous is not None and state.mood is not None and state.mood < previous
        if worsening and len(state.sentiment) >= 3 and state.mood <= limits.mood_handoff:
            return RAISED_PRIORITY
        return 0

    def _review_invitation(self, turn: Turn, order: dict[str, Any] | None) -> str | None:
        """A delivered order not yet invited for review, when the shopper is happy."""
        if turn.sentiment.score < self._limits.review_score or not order or order["status"] != "delivered":
            return None
        if turn.state.slots.get("review_invited") == order["id"]:
            return None
        turn.state.slots["review_invited"] = order["id"]
        return order["id"]

    def _order_in_context(self, turn: Turn) -> dict[str, Any] | None:
        """The order the conversation is about, else the shopper's latest; only the shopper's own."""
        if turn.customer is None:
            return None
        orders = self._store.orders
        order_id = turn.state.slots.get("order_id")
        if order_id:
            return orders.get_for_customer(order_id, turn.customer["id"])
        latest = orders.for_customer(turn.customer["id"], limit=1)
        return orders.get(latest[0]["id"]) if latest else None
