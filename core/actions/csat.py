"""The shopper's answer to "How did we do?": a 1–5 score, the comment after it, or "stop asking me"."""
from __future__ import annotations

from core.actions.base import Action
from core.csat import Csat
from core.turn import ActionResult, Turn


class CsatAction(Action):
    """Stores the score, comment or opt-out (:mod:`core.csat`) and thanks the shopper."""

    name = "csat"

    def __init__(self, csat: Csat) -> None:
        self._csat = csat

    async def run(self, turn: Turn) -> ActionResult:
        """The answer stored, and the thanks (with "No thanks" to skip the comment after a score)."""
        return self._csat.answer(turn)
