"""The default NLU: the trained intent model, the entity extractor and exact button payloads."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from core.language import detect_language
from core.messages import Language
from core.nlu.base import NLU, NLUResult, Reading
from core.nlu.buttons import parse_button
from core.nlu.cascade import Cascade
from core.nlu.confirm import yes_or_no
from core.nlu.entities import EntityExtractor
from core.nlu.model import IntentModel, model_path


YES_NO_CONFIDENCE = 0.9


class TrainedNLU(NLU):
    """Intent and its top-two readings from :class:`IntentModel` (through its :class:`Cascade` when it
    has an e5 second stage); entities from the catalogue."""

    def __init__(self, model: IntentModel | Cascade, categories: list[dict[str, Any]],
                 products: list[dict[str, Any]] | None = None, default_language: Language = "en") -> None:
        self.model = model
        self._entities = EntityExtractor(categories, products)
        self._default_language = default_language

    @classmethod
    def from_dir(cls, nlu_dir: Path | None, categories: list[dict[str, Any]],
                 products: list[dict[str, Any]] | None = None, default_language: Language = "en",
                 second_stage: bool = True) -> TrainedNLU:
        """Load the shop's own model from ``nlu_dir`` if it has one, else the shipped model (with its
        second stage when one was trained beside it and ``second_stage``)."""
        return cls(Cascade.load(model_path(nlu_dir), second_stage), categories, products, default_language)

    async def parse(self, text: str, language_so_far: Language | None = None) -> NLUResult:
        """Understand one message; button payloads are taken literally."""
        guess = detect_language(text, fallback=language_so_far or self._default_language)
        button = parse_button(text, language_so_far or guess.language, guess.mixed)
        if button:
            return button
        readings = self.model.readings(text, top=2)
        answer = yes_or_no(text)  # "对，取消吧": the model reads the action's word as a new request
        if answer is not None and readings[0].intent != answer:
            readings = [Reading(answer, YES_NO_CONFIDENCE), readings[0]]
        elif answer is not None:  # the model agrees, perhaps unsure: the rule's certainty counts
            readings = [Reading(answer, max(readings[0].confidence, YES_NO_CONFIDENCE)), *readings[1:]]
        return NLUResult(text, guess.language, guess.mixed, readings[0].intent, readings[0].confidence,
                         self._entities.extract(text), readings)
