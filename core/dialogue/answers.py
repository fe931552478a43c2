"""Yes, no and "stop this": how the shopper answers a confirmation or leaves a flow."""
from __future__ import annotations

import re

from core.nlu.confirm import natural_answer
from core.turn import Turn

_ABANDON = re.compile(
    r"^\W*(?:算了(?:吧)?|不用了|不要了|不弄了|不办了|先不(?:用|要)了|取消吧|别(?:弄|办)了|never\s*mind|nevermind|"
    r"forget\s+(?:it|about\s+it|that)|cancel\s+that|stop(?:\s+that)?|no\s+thanks|i\s+changed\s+my\s+mind)\W*(?:[,，]\s*.*)?$",
    re.IGNORECASE)
# A hedged reply ("ok maybe", "可能吧") confirms nothing, whatever the intent model reads in it.
_HEDGE = re.compile(r"\b(?:maybe|perhaps|probably|possibly|not\s+sure|unsure|i\s+guess|idk|dunno|might)\b|"
                    r"也许|可能|或许|大概|不确定|不一定|不知道|再想想|考虑一下|想一想", re.IGNORECASE)
_CORRECTION_ENTITIES = ("order_id", "product_id", "color", "size", "address", "email", "phone")
MIN_CONFIDENCE = 0.6
# The intent model may read a sentence that merely contains a negation ("it does not fit") as "no":
# a "no" is a short message or one that opens with a refusal.
_OPENS_WITH_NO = re.compile(r"^\W*(?:no|nope|nah|not|never|don'?t|do\s+not|cancel|stop|keep|不|没|别|算了|取消)",
                            re.IGNORECASE)
MAX_PLAIN_NO_WORDS = 3


def answer(turn: Turn) -> str | None:
    """"yes" or "no" when the message answers a yes/no question (buttons "/yes", "/no" included): a yes
    or no said clause by clause ("hmm wait, actually no. keep it", "行，那取消吧") whatever the intent model
    reads in it, else the model's affirm / deny; None for anything else, a hedged "ok maybe" too."""
    text = turn.message.text.strip().lower()
    if text in ("/yes", "/no"):
        return text[1:]
    if _HEDGE.search(text):
        return None
    natural = natural_answer(text)
    if natural is not None:
        return "yes" if natural == "affirm" else "no"
    if turn.nlu.confidence < MIN_CONFIDENCE or turn.nlu.intent not in ("affirm", "deny"):
        return None
    if turn.nlu.intent == "affirm":
        return "yes"
    return "no" if _plain_no(text) else None


def _plain_no(text: str) -> bool:
    """Whether a message read as "no" is a refusal, not a sentence with a negation in it."""
    words = text.split()
    short = len(words) <= MAX_PLAIN_NO_WORDS if len(words) > 1 else len(text) <= 12
    return short or bool(_OPENS_WITH_NO.match(text))


def corrects(turn: Turn) -> bool:
    """Whether the message carries new details ("no, I meant W1234567", "make it blue")."""
    return any(key in turn.nlu.entities for key in _CORRECTION_ENTITIES)


def abandons(turn: Turn, free_text_expected: bool = False) -> bool:
    """Whether the shopper is dropping the flow ("算了", "never mind", "cancel that"). While a free-text
    answer is expected (a reason), only the explicit phrases count, not any "no"."""
    if _ABANDON.match(turn.message.text.strip()):
        return True
    return not free_text_expected and answer(turn) == "no" and not corrects(turn)
