"""One message unsubscribes: "退订", "stop", "unsubscribe", "/unsubscribe" (exact, any case, with
surrounding spaces or punctuation) withdraws marketing consent and confirms it."""
from __future__ import annotations

from core.actions.base import Action
from core.profile import Profiles
from core.store import Store
from core.turn import ActionResult, Turn


class UnsubscribeAction(Action):
    """Withdraws the shopper's marketing consent (audited, with the channel as the source)."""

    name = "unsubscribe"

    def __init__(self, store: Store) -> None:
        self._profiles = Profiles(store)

    async def run(self, turn: Turn) -> ActionResult:
        """Record the withdrawal when the shopper is a known customer; confirm either way (an unknown
        shopper has no consent to withdraw and gets no promotions)."""
        if turn.customer is not None:
            self._profiles.set_marketing_consent(turn.customer["id"], False, turn.message.identity.channel)
        return ActionResult("unsubscribed")
