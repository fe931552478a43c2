"""The NLU extension point."""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field
from typing import Any

from core.messages import Language


@dataclass(frozen=True)
class Reading:
    """One possible meaning of a message and its calibrated probability."""

    intent: str
    confidence: float


@dataclass
class NLUResult:
    """What one message means. ``entities`` maps names (order_id, category, color, size,
    min_price_cents, max_price_cents, quantity, email, phone, address, dates, terms, product_id,
    page) to values. ``readings`` are the most likely intents, best first (the top two for a
    learned model), so a policy can ask which one the shopper meant."""

    text: str
    language: Language
    mixed: bool
    intent: str
    confidence: float
    entities: dict[str, Any] = field(default_factory=dict)
    readings: list[Reading] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


class NLU(ABC):
    """Reads a message; knows nothing of the conversation beyond the language so far."""

    @abstractmethod
    async def parse(self, text: str, language_so_far: Language | None = None) -> NLUResult:
        """Understand one message."""
