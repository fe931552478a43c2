"""The reading a policy acts on, where the intent model confuses two requests that words tell apart
(each found by ``kefu eval parity``: one language read right, the other not):

* checking one's own order read as placing one ("I'd like to check my order" as place_order, where
  "我想查一下我的订单" is track_order) is tracking it;
* a question about a physical shop ("你们有实体店吗" read as complaint, "do you have a physical store" as
  product_search) is a question for the shop's contact articles, unless the model is sure of another
  topic ("can I pick it up in store" is delivery_options);
* a plain problem report the model is unsure of ("发错货了": complaint 0.40 / track_order 0.21, where
  "you sent the wrong item" is return_item) is the request that problem calls for: a wrong, damaged or
  broken item a return, a missing or late one its tracking, a wrong charge a payment issue
  (:func:`core.sentiment.problems.problem_kinds`)."""
from __future__ import annotations

import re
from dataclasses import replace

from core.dialogue.recognisers import TOPIC_OF_INTENT
from core.nlu.base import NLUResult, Reading
from core.sentiment.problems import problem_kinds

UNSURE = 0.45  # below this the rules would ask which of two readings was meant
WORDS_CONFIDENCE = 0.5  # a reading the words make clear is at least as sure as one a flow starts on
_INTENT_OF_PROBLEM = {"wrong": "return_item", "damaged": "return_item", "not working": "return_item",
                      "missing": "track_order", "late": "track_order", "charged": "payment_issue"}
_CHECKS_OWN_ORDER = re.compile(
    r"\b(?:check|look\s+(?:up|at|into)|see|view|pull\s+up|find|track)\s+(?:on\s+)?(?:my|our)\s+(?:orders?|purchases?)\b"
    r"|(?:查|查看|查询|看看|看一下|查一下|查下)(?:一下)?(?:我|我的|我们的)订单")
_PHYSICAL_SHOP = re.compile(
    r"\b(?:physical|bricks?[- ](?:and|&)[- ]mortar|retail|walk-?in|offline|real[- ]life)\s+(?:stores?|shops?|locations?)\b"
    r"|\bshowrooms?\b|\bvisit\s+(?:your|the|a)\s+(?:store|shop)\b|\bcome\s+(?:in|by)\s+(?:to\s+)?(?:your|the)\s+(?:store|shop)\b"
    r"|实体店|线下店|门店|店面|专卖店|直营店|体验店|线下(?:购买|买|看|体验)")


def acted_reading(nlu: NLUResult) -> NLUResult:
    """``nlu`` with the intent to act on (the same object when nothing changes)."""
    text = nlu.text.lower()
    if nlu.intent == "place_order" and _CHECKS_OWN_ORDER.search(text):
        return _read_as(nlu, "track_order")
    if _PHYSICAL_SHOP.search(text) and (nlu.intent not in TOPIC_OF_INTENT or nlu.confidence < UNSURE):
        return _read_as(nlu, "contact_customer_service")
    if nlu.confidence < UNSURE:
        intent = next((_INTENT_OF_PROBLEM[k] for k in problem_kinds(nlu.text, nlu.language) if k in _INTENT_OF_PROBLEM),
                      None)
        if intent is not None:
            return _read_as(nlu, intent)
    return nlu


def _read_as(nlu: NLUResult, intent: str) -> NLUResult:
    confidence = max(nlu.confidence, WORDS_CONFIDENCE)
    others = [r for r in nlu.readings if r.intent != intent]
    return replace(nlu, intent=intent, confidence=confidence, readings=[Reading(intent, confidence), *others])
