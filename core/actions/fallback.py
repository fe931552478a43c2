"""When the assistant does not understand."""
from __future__ import annotations

from core.actions.base import Action
from core.handoff_port import Handoff
from core.turn import ActionResult, Turn


class FallbackAction(Action):
    """Says so and shows what it can do; after repeated failures hands the conversation to a colleague
    (through ``handoff``) or, without one, offers a human."""

    name = "fallback"

    def __init__(self, offer_human_after: int = 2, handoff: Handoff | None = None) -> None:
        self._offer_human_after = offer_human_after
        self._handoff = handoff

    async def run(self, turn: Turn) -> ActionResult:
        """Ask the shopper to rephrase, or (the second failure in a row) get a colleague."""
        if turn.state.failures + 1 >= self._offer_human_after:
            if self._handoff is None:
                return ActionResult("fallback_offer_human", buttons=[("btn_human", "/human")], understood=False)
            self._handoff.request(turn.conversation_id, "not_understood", 1)
            turn.state.handoff = True
            return ActionResult("handoff_not_understood")  # resolved: the failure count starts over
        return ActionResult("fallback", buttons=[("btn_track", "/orders"), ("btn_recommend", "/more")],
                            understood=False)
