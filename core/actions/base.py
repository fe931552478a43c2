"""The action extension point (what an action returns is :class:`core.turn.ActionResult`)."""
from __future__ import annotations

from abc import ABC, abstractmethod

from core.turn import ActionResult, Turn


class Action(ABC):
    """Does one kind of thing for the shopper, reading (and later changing) the store."""

    name: str

    @abstractmethod
    async def run(self, turn: Turn) -> ActionResult:
        """Carry out the action for this turn; may update ``turn.state``."""
