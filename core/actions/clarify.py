"""Asks which of two likely meanings the shopper had in mind."""
from __future__ import annotations

from core.actions.base import Action
from core.i18n import intent_label
from core.turn import ActionResult, Turn


class ClarifyAction(Action):
    """Names the NLU's top two readings and offers one button for each ("/intent NAME")."""

    name = "clarify"

    async def run(self, turn: Turn) -> ActionResult:
        """A question naming both readings; the answer arrives as a button payload."""
        first, second = turn.nlu.readings[:2]
        facts = {"first": intent_label(first.intent), "second": intent_label(second.intent)}
        buttons = [(f"intent_{r.intent}", f"/intent {r.intent}") for r in (first, second)]
        return ActionResult("clarify", facts, buttons=buttons, understood=False)
