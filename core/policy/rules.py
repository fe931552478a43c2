"""The foundation's policy: a table from intent to action, a clarifying question when the NLU is
unsure between two readings, and a confidence floor."""
from __future__ import annotations

from core.dialogue.recognisers import TOPIC_OF_INTENT, is_unsubscribe, language_step, privacy_step
from core.policy.base import Policy
from core.policy.complaints import asks_to_complain
from core.policy.readings import acted_reading
from core.turn import Turn

_ACTION_OF_INTENT = {
    "greet": "greet", "goodbye": "goodbye", "thank_you": "thank_you",
    "product_search": "product_search", "product_info": "product_info", "recommend": "recommend",
    "track_order": "track_order", "contact_human_agent": "handoff", "complaint": "handoff",
    **{intent: "knowledge" for intent in TOPIC_OF_INTENT},
}
# "I'd like to buy the red dress in M", "I want to order a keyboard": ordering a product named is
# answered with that product (or the products that fit), not with the article on orders
_PRODUCT_ENTITIES = ("category", "color", "size")
# "recommend running shoes" read as out_of_scope (0.54) over recommend (0.38): out_of_scope is calibrated
# for messages about nothing the shop sells, so a message naming the shop's products takes the product reading
_PRODUCT_INTENTS = ("recommend", "product_search", "product_info")
PRODUCT_READING_FLOOR = 0.3
_DATA_RIGHTS_INTENTS = {"check_privacy_policy", "delete_account"}
"""Answered from the knowledge base, then with the Export / Delete choice."""


class RulePolicy(Policy):
    """Maps each understood intent to its action. Below ``clarify_below``, when both of the top two
    readings have an action, asks which one was meant; below ``min_confidence`` falls back — or, with
    ``ask_knowledge_base``, searches the knowledge base first (its action falls back when nothing fits)."""

    def __init__(self, min_confidence: float = 0.3, clarify_below: float = 0.45,
                 ask_knowledge_base: bool = False) -> None:
        self._min_confidence = min_confidence
        self._clarify_below = clarify_below
        self._unplaced = "knowledge" if ask_knowledge_base else "fallback"

    def decide(self, turn: Turn) -> list[str]:
        """One action per turn for now; unsure intents get a clarifying question or the fallback."""
        if turn.message.payload is None and is_unsubscribe(turn.message.text):
            return ["unsubscribe"]  # exact words, whatever the NLU thinks: one message always unsubscribes
        if privacy_step(turn) is not None:
            return ["privacy"]  # "/privacy", its buttons, "delete my data", the answer to "delete for good?"
        if language_step(turn) is not None:
            return ["language"]  # "/lang", its buttons
        if turn.message.payload is None and asks_to_complain(turn.message.text):
            return ["handoff"]  # "我要投诉，…", "I want to complain, …": whatever else the intent model reads
        turn.nlu = nlu = acted_reading(turn.nlu)  # "I'd like to check my order" read as placing one, …
        top_two = nlu.readings[:2]
        if nlu.confidence < self._clarify_below and len(top_two) == 2 \
                and all(r.intent in _ACTION_OF_INTENT for r in top_two):
            return ["clarify"]
        intent, confidence = _shop_reading(turn)
        action = _ACTION_OF_INTENT.get(intent)
        if intent == "place_order":
            action = "product_info" if "product_id" in nlu.entities else \
                "product_search" if any(k in nlu.entities for k in _PRODUCT_ENTITIES) else action
        if action is None or confidence < self._min_confidence:
            action = self._unplaced
        actions = [action]
        if nlu.intent in _DATA_RIGHTS_INTENTS and nlu.confidence >= self._min_confidence:
            actions.append("privacy")  # "隐私政策": the policy article, then Export / Delete
        if turn.tone.handoff_priority and not turn.state.handoff and action != "handoff":
            return [*actions, "handoff"]  # the sentiment strategy asks for a colleague: answer, then hand off
        return actions


def _shop_reading(turn: Turn) -> tuple[str, float]:
    """The intent and confidence to act on: the NLU's, except that an out_of_scope reading over a product
    one (at least :data:`PRODUCT_READING_FLOOR`) of a message naming a category or product of the shop
    gives way to the product reading ("recommend running shoes"; "tell me a joke about shoes", whose
    second reading is chitchat, stays out of scope)."""
    nlu = turn.nlu
    second = nlu.readings[1] if len(nlu.readings) > 1 else None
    if nlu.intent == "out_of_scope" and second is not None and second.intent in _PRODUCT_INTENTS \
            and second.confidence >= PRODUCT_READING_FLOOR and ("category" in nlu.entities or "product_id" in nlu.entities):
        return second.intent, second.confidence
    return nlu.intent, nlu.confidence
