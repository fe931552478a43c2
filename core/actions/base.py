"""The action extension point and what an action returns."""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import Any

from core.recommend.base import Recommendation
from core.store import ProductHit
from core.turn import Turn


@dataclass
class ActionResult:
    """The facts an action established, for the reply generator to phrase.

    ``template`` names the reply in :mod:`core.i18n`; ``facts`` are the only values the reply
    may state; ``products`` become cards; ``buttons`` are (label key, payload) pairs; ``verbatim``
    replies (links, legal questions) are sent exactly as the template says: never rephrased, no tone added;
    ``private`` replies go to the shopper's identity only (:attr:`core.messages.Reply.private`)."""

    template: str
    facts: dict[str, Any] = field(default_factory=dict)
    products: list[ProductHit] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)
    understood: bool = True
    verbatim: bool = False
    private: bool = False


class Action(ABC):
    """Does one kind of thing for the shopper, reading (and later changing) the store."""

    name: str

    @abstractmethod
    async def run(self, turn: Turn) -> ActionResult:
        """Carry out the action for this turn; may update ``turn.state``."""
