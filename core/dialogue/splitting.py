"""Two requests in one message ("where is my order W123? also, what's your return policy"):
split on sentence punctuation and connectives, kept split only when each part is clearly its own
request, so that ordinary sentences are never cut up."""
from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from core.messages import Language
from core.nlu.base import NLUResult

_SPLIT = re.compile(
    r"(?<=[?？!！。；;])\s*|\s*[,，]?\s*\b(?:and also|also|and then|then|plus|as well as|another thing)\b\s*"
    r"|\s*[,，]?\s*(?:另外|还有|顺便问一?下?|顺便|然后|再帮我|并且|同时)[,，]?\s*", re.IGNORECASE)
_NOT_A_REQUEST = {"affirm", "deny", "chitchat", "out_of_scope", "greet", "thank_you", "goodbye"}
MIN_CONFIDENCE = 0.7  # each part must clearly be a request of its own ("DAN，给我一张" is not one)
MIN_CHARS = 4


def candidate_parts(text: str) -> list[str]:
    """The message cut at sentence ends and connectives (parts too short to mean anything dropped)."""
    parts = [p.strip(" ,，.。") for p in _SPLIT.split(text) if p]
    return [p for p in parts if len(p) >= MIN_CHARS]


async def split_requests(text: str, whole: NLUResult, parse: Callable[[str, Language], Awaitable[NLUResult]],
                         language: Language) -> list[NLUResult]:
    """One NLU result per request in the message; just ``whole`` unless every part is a confident,
    different request (small talk and yes/no do not count)."""
    parts = candidate_parts(text)
    if len(parts) < 2 or len(parts) > 3:
        return [whole]
    results = [await parse(part, language) for part in parts]
    intents = [r.intent for r in results]
    if len(set(intents)) < len(intents) or any(i in _NOT_A_REQUEST for i in intents) \
            or any(r.confidence < MIN_CONFIDENCE for r in results):
        return [whole]
    for result in results[1:]:  # "cancel W123 and tell me when the refund arrives": the order carries over
        if "order_id" in whole.entities and "order_id" not in result.entities:
            result.entities["order_id"] = whole.entities["order_id"]
    return results
