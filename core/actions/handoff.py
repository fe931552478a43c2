"""Asks for a human colleague to take over."""
from __future__ import annotations

from core.actions.base import Action, ActionResult
from core.clock import utc_now_iso
from core.store import Store
from core.turn import Turn


class HandoffAction(Action):
    """Opens a handoff request (once per conversation while one is open) for staff to pick up."""

    name = "handoff"

    def __init__(self, store: Store) -> None:
        self._store = store

    async def run(self, turn: Turn) -> ActionResult:
        """Record the request with its reason and priority; tell the shopper."""
        table = self._store.db["handoffs"]
        open_requests = table.count_where("conversation_id = ? and status = 'open'", [turn.conversation_id])
        if not open_requests:
            reason = "asked" if turn.nlu.intent == "contact_human_agent" else "not_understood"
            priority = 2 if turn.sentiment.polarity == "negative" else 1
            table.insert({"conversation_id": turn.conversation_id, "status": "open", "reason": reason,
                          "priority": priority, "created_at": utc_now_iso()})
        turn.state.failures = 0
        return ActionResult("handoff")
