"""Button payloads ("/product P1001", "/intent track_order"): understood exactly, not guessed."""
from __future__ import annotations

import re
from typing import Any

from core.messages import Language
from core.nlu.base import NLUResult

_BUTTON = re.compile(r"^/(\w+)(?:\s+(.+))?$")
_BUTTON_INTENTS = {"product": "product_info", "more": "recommend", "page": "product_search",
                   "human": "contact_human_agent", "orders": "track_order", "privacy": "check_privacy_policy"}
_INTENT_NAME = re.compile(r"^[a-z_]+$")


def parse_button(text: str, language: Language, mixed: bool) -> NLUResult | None:
    """The meaning of a button payload with full confidence, or None if ``text`` is not one.

    "/intent NAME" is the answer to a clarifying question: the shopper picked that reading."""
    button = _BUTTON.match(text.strip())
    if not button:
        return None
    command, argument = button.groups()
    if command == "intent" and argument and _INTENT_NAME.match(argument):
        return NLUResult(text, language, mixed, argument, 1.0, {})
    if command not in _BUTTON_INTENTS:
        return None
    return NLUResult(text, language, mixed, _BUTTON_INTENTS[command], 1.0, _button_entities(command, argument))


def _button_entities(command: str, argument: str | None) -> dict[str, Any]:
    if command in ("product", "more") and argument:
        return {"product_id": argument}
    if command == "page" and argument and argument.isdigit():
        return {"page": int(argument)}
    return {}
