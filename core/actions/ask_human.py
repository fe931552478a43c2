"""Asks for a human colleague to take over."""
from __future__ import annotations

from core.actions.base import Action
from core.handoff_port import Handoff, RecordedHandoff
from core.policy.complaints import asks_to_complain
from core.store import Store
from core.turn import ActionResult, Turn


class HandoffAction(Action):
    """Opens a handoff request (once per conversation while one is open, raising its priority when the
    shopper gets more upset) for staff to pick up."""

    name = "handoff"

    def __init__(self, store: Store, handoff: Handoff | None = None) -> None:
        self._handoff = handoff or RecordedHandoff(store)

    async def run(self, turn: Turn) -> ActionResult:
        """Record the request with its reason and priority (through the :class:`Handoff` interface);
        tell the shopper."""
        priority = max(2 if turn.sentiment.polarity == "negative" else 1, turn.tone.handoff_priority)
        reason = _reason(turn)
        self._handoff.request(turn.conversation_id, reason, priority)
        turn.state.failures = 0
        if reason == "asked":  # the shopper wants a person: whatever flow was under way stops here
            turn.state.active_task = turn.state.pending = turn.state.awaiting = None
        turn.state.handoff = True
        return ActionResult("handoff")


def _reason(turn: Turn) -> str:
    """Why the handoff opened: asked for, upset (a complaint, or the sentiment strategy asked for a
    colleague), or not understood."""
    if turn.nlu.intent == "contact_human_agent":
        return "asked"
    upset = turn.nlu.intent == "complaint" or turn.tone.handoff_priority or asks_to_complain(turn.message.text)
    return "upset" if upset else "not_understood"
