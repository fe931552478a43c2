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
_CORRECTION_ENTITIES = ("order_id", "email", "phone")  # details of any task
_SLOT_DETAILS = {"item": ("product_id", "color", "size"), "variant": ("color", "size"), "address": ("address",)}
MIN_CONFIDENCE = 0.6
# The intent model may read a sentence that merely contains a negation ("it does not fit") as "no":
# a "no" is a short message or one that opens with a refusal.
_OPENS_WITH_NO = re.compile(r"^\W*(?:no|nope|nah|not|never|don'?t|do\s+not|cancel|stop|keep|不|没|别|算了|取消)",
                            re.IGNORECASE)
MAX_PLAIN_NO_WORDS = 3
# a no that keeps things as they are: while a reason is asked it drops the task ("actually keep it, my
# wife wants it"), where a plain "no, it broke" is the reason
_KEEPS = re.compile(r"\b(?:keep|leave|hold on to|hang on to|changed my mind|let'?s not|don'?t)\b|留着|保留|不取消|不退|"
                    r"不换|不改|不动|原样|算了|不用了|不要了", re.IGNORECASE)


def answer(turn: Turn) -> str | None:
    """"yes" or "no" when the message answers a yes/no question (buttons "/yes", "/no" included): a yes
    or no said clause by clause ("hmm wait, actually no. keep it", "行，那取消吧") whatever the intent model
    reads in it, else the model's affirm / deny; None for anything else, a hedged "ok maybe" too (a hedge
    beside a no is still a no: nothing is changed either way)."""
    text = turn.message.text.strip().lower()
    if text in ("/yes", "/no"):
        return text[1:]
    natural = natural_answer(text)
    if natural == "deny":  # "等等，我再想想，先不取消了": a doubt beside a no still stops
        return "no"
    if _HEDGE.search(text):
        return None
    if natural == "affirm":
        return "yes"
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


def corrects(turn: Turn, slots: tuple[str, ...] | None = None) -> bool:
    """Whether the message carries new details ("no, I meant W1234567", "make it blue"): with the task's
    ``slots``, only details the task can use (a product named in "no, keep it, my wife wants the yoga
    mat" corrects nothing of a cancellation); None: any."""
    keys = {*_CORRECTION_ENTITIES, *(key for slot, details in _SLOT_DETAILS.items()
                                     if slots is None or slot in slots for key in details)}
    return any(key in turn.nlu.entities for key in keys)


def abandons(turn: Turn, free_text_expected: bool = False, slots: tuple[str, ...] | None = None) -> bool:
    """Whether the shopper is dropping the flow ("算了", "never mind", "cancel that"). While a free-text
    answer is expected (a reason), only the explicit phrases and a no that keeps the order count, not
    any "no" ("no, it broke" is the reason). ``slots``: the task's, as for :func:`corrects`."""
    text = turn.message.text.strip()
    if _ABANDON.match(text):
        return True
    if free_text_expected:
        return natural_answer(text) == "deny" and bool(_KEEPS.search(text)) and not corrects(turn, slots)
    return answer(turn) == "no" and not corrects(turn, slots)
