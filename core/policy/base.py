"""The policy extension point."""
from __future__ import annotations

from abc import ABC, abstractmethod

from core.turn import Turn


class Policy(ABC):
    """Decides which actions answer a turn, by name, in order."""

    @abstractmethod
    def decide(self, turn: Turn) -> list[str]:
        """Names of the actions to run for this turn."""
