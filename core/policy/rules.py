"""The foundation's policy: a table from intent to action, with a confidence floor."""
from __future__ import annotations

from core.actions.knowledge import TOPIC_OF_INTENT
from core.policy.base import Policy
from core.turn import Turn

_ACTION_OF_INTENT = {
    "greet": "greet", "goodbye": "goodbye", "thank_you": "thank_you",
    "product_search": "product_search", "product_info": "product_info", "recommend": "recommend",
    "track_order": "track_order", "contact_human_agent": "handoff", "contact_customer_service": "handoff",
    **{intent: "knowledge" for intent in TOPIC_OF_INTENT},
}


class RulePolicy(Policy):
    """Maps each understood intent to its action; below ``min_confidence`` falls back."""

    def __init__(self, min_confidence: float = 0.5) -> None:
        self._min_confidence = min_confidence

    def decide(self, turn: Turn) -> list[str]:
        """One action per turn for now; unknown or unsure intents go to the fallback."""
        action = _ACTION_OF_INTENT.get(turn.nlu.intent)
        if action is None or turn.nlu.confidence < self._min_confidence:
            return ["fallback"]
        return [action]
