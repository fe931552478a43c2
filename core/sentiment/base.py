"""The sentiment extension point."""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any, Literal

Polarity = Literal["negative", "neutral", "positive"]
Emotion = Literal["angry", "anxious", "urgent", "disappointed", "confused", "satisfied"]


@dataclass(frozen=True)
class Sentiment:
    """Polarity with a score in [-1, 1] (negative to positive), and the service emotions the
    message shows, each with a strength in (0, 1]."""

    polarity: Polarity
    score: float
    emotions: dict[str, float] = field(default_factory=dict)

    def has(self, emotion: Emotion, at_least: float = 0.0) -> bool:
        """Whether the message shows ``emotion`` with at least this strength."""
        return self.emotions.get(emotion, 0.0) > 0 and self.emotions[emotion] >= at_least

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: ``{"polarity", "score", "emotions": {name: strength}}``."""
        return {"polarity": self.polarity, "score": self.score, "emotions": dict(self.emotions)}


class SentimentAnalyzer(ABC):
    """Scores one message."""

    @abstractmethod
    async def analyze(self, text: str, language: str) -> Sentiment:
        """The sentiment of ``text`` written in ``language``."""
