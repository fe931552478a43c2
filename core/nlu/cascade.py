"""The intent model as the runtime asks it: the fast first stage (:class:`core.nlu.model.IntentModel`)
for every message, the e5 second stage (:class:`core.nlu.sentence.SentenceStage`) only for those the
first stage is unsure of, so that the common path stays a table look-up (docs/NLU.md)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from core.nlu.base import Reading
from core.nlu.model import IntentModel
from core.nlu.sentence import SentenceStage, sentence_stage_path


class Cascade:
    """Readings from the first stage, or below the second stage's ``below`` from both combined."""

    def __init__(self, first: IntentModel, second: SentenceStage | None = None) -> None:
        if second is not None and second.classes != first.classes:
            second = None  # trained for another label set (a shop's model retrained without it)
        self.first = first
        self.second = second
        self.classes = first.classes
        self.meta = first.meta

    def cascades(self, probabilities: np.ndarray) -> bool:
        """Whether the second stage is asked about a message with these first-stage probabilities."""
        return self.second is not None and float(probabilities.max()) < self.second.below

    def probabilities(self, text: str) -> np.ndarray:
        """Calibrated probability of each class, in :attr:`classes` order."""
        first = self.first.probabilities(text)
        if not self.cascades(first):
            return first
        second = self.second.probabilities(text)
        return first if second is None else (1 - self.second.weight) * first + self.second.weight * second

    def readings(self, text: str, top: int = 2) -> list[Reading]:
        """The ``top`` most likely intents, most likely first."""
        probs = self.probabilities(text)
        order = np.argsort(-probs)[:top]
        return [Reading(self.classes[i], round(float(probs[i]), 4)) for i in order]

    def save(self, path: Path) -> None:
        """Write the first stage to ``path`` and the second beside it (a stale second stage is removed)."""
        self.first.save(path)
        second = sentence_stage_path(path)
        if self.second is None:
            second.unlink(missing_ok=True)
        else:
            self.second.save(second)

    @classmethod
    def load(cls, path: Path, second_stage: bool = True) -> Cascade:
        """The intent model in ``path`` and, if ``second_stage``, its second stage when one was trained beside it."""
        second = sentence_stage_path(path)
        return cls(IntentModel.load(path), SentenceStage.load(second) if second_stage and second.exists() else None)
