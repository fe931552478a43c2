"""The reply-generator extension point."""
from __future__ import annotations

from abc import ABC, abstractmethod

from core.messages import Language, Reply
from core.turn import ActionResult


class ReplyGenerator(ABC):
    """Phrases an action's facts in the shopper's language. It may not add facts of its own."""

    @abstractmethod
    async def render(self, result: ActionResult, language: Language) -> Reply:
        """One reply for one action result."""
