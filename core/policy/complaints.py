"""An explicit complaint ("我要投诉", "I want to complain", "I'd like to file a complaint"): the shopper
asks for the complaint itself, whatever else the message tells ("…, my parcel hasn't moved in three
days"), so it goes to a colleague in either language, like the intent model's complaint."""
from __future__ import annotations

import re

_ASKS = re.compile(
    r"(?:我|要|想|得)(?:投诉|申诉)|投诉(?:你们|一下|商家|快递|客服)"
    r"|\bi\s*(?:want|would like|'d like|wanna|need|have)\s+to\s+(?:complain|file a complaint|make a complaint"
    r"|lodge a complaint|raise a complaint)\b"
    r"|\bi(?:'m| am)\s+(?:complaining|filing a complaint)\b|\b(?:file|make|lodge|raise)\s+a\s+(?:formal\s+)?complaint\b",
    re.IGNORECASE)
_NEGATED = re.compile(r"(?:不|不是|没|没有|并不|不想|不用)$|\b(?:not|don't|do not|no need)\s*$", re.IGNORECASE)


def asks_to_complain(text: str) -> bool:
    """Whether the message asks, in so many words, to make a complaint (not "我不是要投诉")."""
    return any(not _NEGATED.search(text[:m.start()].rstrip()) for m in _ASKS.finditer(text))
