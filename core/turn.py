"""One turn of a conversation, as the stages after NLU see it."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.dialogue.state import DialogueState
from core.messages import InboundMessage, Language
from core.nlu.base import NLUResult
from core.sentiment.base import Sentiment
from core.sentiment.tone import Tone


@dataclass
class Turn:
    """The message, who sent it, what it means and what the conversation remembers."""

    message: InboundMessage
    conversation_id: str
    customer: dict[str, Any] | None
    nlu: NLUResult
    sentiment: Sentiment
    state: DialogueState
    tone: Tone = field(default_factory=Tone)
    after_commit: list[Callable[[], None]] = field(default_factory=list)
    """Work an action leaves until the turn is committed (e.g. erasing the conversation it belongs to)."""

    @property
    def language(self) -> Language:
        """The language to answer in."""
        return self.state.language
