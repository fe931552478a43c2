"""How a turn's reply should sound and what it may contain, decided from the shopper's sentiment."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Tone:
    """The reply's adjustments for this turn. The default changes nothing.

    ``upsell`` False: no unsolicited recommendations or promotions. ``handoff_priority`` above 0:
    hand the conversation to staff with that priority (3 is the highest). ``order_id`` and
    ``expected_delivery`` are store facts for reassurance; ``review_order_id`` a delivered order
    the shopper may be invited to review."""

    apologise: bool = False
    reassure: bool = False
    brief: bool = False
    upsell: bool = True
    handoff_priority: int = 0
    order_id: str | None = None
    expected_delivery: str | None = None
    review_order_id: str | None = None
