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

    async def render_streamed(self, result: ActionResult, language: Language) -> Reply:
        """One reply for a channel that shows replies as they are written: it may carry a
        :class:`core.stream.ReplyStream` (generators that cannot stream return :meth:`render`'s)."""
        return await self.render(result, language)
