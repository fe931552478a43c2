"""When the assistant does not understand."""
from __future__ import annotations

from core.actions.base import Action, ActionResult
from core.turn import Turn


class FallbackAction(Action):
    """Says so and shows what it can do; after repeated failures, offers a human."""

    name = "fallback"

    def __init__(self, offer_human_after: int = 2) -> None:
        self._offer_human_after = offer_human_after

    async def run(self, turn: Turn) -> ActionResult:
        """Ask the shopper to rephrase, or offer a colleague."""
        if turn.state.failures + 1 >= self._offer_human_after:
            return ActionResult("fallback_offer_human", buttons=[("btn_human", "/human")], understood=False)
        return ActionResult("fallback", buttons=[("btn_track", "/orders"), ("btn_recommend", "/more")],
                            understood=False)
