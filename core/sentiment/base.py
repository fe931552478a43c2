"""The sentiment extension point."""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass
from typing import Any, Literal

Polarity = Literal["negative", "neutral", "positive"]


@dataclass(frozen=True)
class Sentiment:
    """Polarity with a score in [-1, 1] (negative to positive)."""

    polarity: Polarity
    score: float

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


class SentimentAnalyzer(ABC):
    """Scores one message."""

    @abstractmethod
    async def analyze(self, text: str, language: str) -> Sentiment:
        """The sentiment of ``text`` written in ``language``."""
