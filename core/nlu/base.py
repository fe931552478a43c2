"""The NLU extension point."""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field
from typing import Any

from core.messages import Language


@dataclass
class NLUResult:
    """What one message means. ``entities`` maps names (order_id, category, color, size,
    min_price_cents, max_price_cents, terms, product_id, page) to values."""

    text: str
    language: Language
    mixed: bool
    intent: str
    confidence: float
    entities: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)


class NLU(ABC):
    """Reads a message; knows nothing of the conversation beyond the language so far."""

    @abstractmethod
    async def parse(self, text: str, language_so_far: Language | None = None) -> NLUResult:
        """Understand one message."""
