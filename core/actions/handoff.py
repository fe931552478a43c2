"""Asks for a human colleague to take over."""
from __future__ import annotations

from core.actions.base import Action, ActionResult
from core.clock import utc_now_iso
from core.store import Store
from core.turn import Turn


class HandoffAction(Action):
    """Opens a handoff request (once per conversation while one is open, raising its priority when the
    shopper gets more upset) for staff to pick up."""

    name = "handoff"

    def __init__(self, store: Store) -> None:
        self._store = store

    async def run(self, turn: Turn) -> ActionResult:
        """Record the request with its reason and priority; tell the shopper."""
        table = self._store.db["handoffs"]
        priority = max(2 if turn.sentiment.polarity == "negative" else 1, turn.tone.handoff_priority)
        open_request = next(table.rows_where("conversation_id = ? and status = 'open'", [turn.conversation_id],
                                             order_by="id", limit=1), None)
        if open_request is None:
            table.insert({"conversation_id": turn.conversation_id, "status": "open", "reason": _reason(turn),
                          "priority": priority, "created_at": utc_now_iso()})
        elif priority > (open_request["priority"] or 0):
            table.update(open_request["id"], {"priority": priority})
        turn.state.failures = 0
        turn.state.handoff = True
        return ActionResult("handoff")


def _reason(turn: Turn) -> str:
    """Why the handoff opened: asked for, upset (the sentiment strategy), or not understood."""
    if turn.nlu.intent == "contact_human_agent":
        return "asked"
    return "upset" if turn.tone.handoff_priority else "not_understood"
