"""The trained intent model at run time: plain arrays in a ``.npz`` file, numpy only.

The file holds the feature vocabulary, idf weights, the linear model's weights per intent and a
temperature for calibrated probabilities. It is portable (no pickles), so a model trained with
one scikit-learn version loads with any numpy."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from core.nlu.base import Reading
from core.nlu.features import features

SHIPPED_MODEL = Path(__file__).parent / "model" / "intent_model.npz"
MODEL_FILE_NAME = "intent_model.npz"


class IntentModel:
    """Tf-idf over :func:`core.nlu.features.features`, a linear layer and a tempered softmax."""

    def __init__(self, vocabulary: list[str], idf: np.ndarray, coef: np.ndarray, intercept: np.ndarray,
                 classes: list[str], temperature: float, meta: dict[str, Any] | None = None) -> None:
        self._index = {feature: i for i, feature in enumerate(vocabulary)}
        self._idf = idf.astype(np.float32)
        self._coef = coef.astype(np.float32)  # (features, classes)
        self._intercept = intercept.astype(np.float32)
        self.classes = list(classes)
        self.temperature = float(temperature)
        self.meta = meta or {}

    def logits(self, text: str) -> np.ndarray:
        """Raw class scores of ``text`` (before the temperature)."""
        counts = Counter(self._index[f] for f in features(text) if f in self._index)
        if not counts:
            return self._intercept.copy()
        ids = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
        weights = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))) * self._idf[ids]
        weights /= np.linalg.norm(weights)
        return weights @ self._coef[ids] + self._intercept

    def probabilities(self, text: str) -> np.ndarray:
        """Calibrated probability of each class, in :attr:`classes` order."""
        scores = self.logits(text) / self.temperature
        scores -= scores.max()
        exp = np.exp(scores)
        return exp / exp.sum()

    def readings(self, text: str, top: int = 2) -> list[Reading]:
        """The ``top`` most likely intents, most likely first."""
        probs = self.probabilities(text)
        order = np.argsort(-probs)[:top]
        return [Reading(self.classes[i], round(float(probs[i]), 4)) for i in order]

    def save(self, path: Path) -> None:
        """Write the model as a compressed ``.npz`` (no pickles)."""
        vocabulary = [""] * len(self._index)
        for feature, i in self._index.items():
            vocabulary[i] = feature
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            np.savez_compressed(handle, vocabulary=np.array(vocabulary), idf=self._idf,
                                coef=self._coef.astype(np.float16), intercept=self._intercept,
                                classes=np.array(self.classes), temperature=np.array(self.temperature),
                                meta=np.array(json.dumps(self.meta, ensure_ascii=False)))

    @classmethod
    def load(cls, path: Path) -> IntentModel:
        """Read a model written by :meth:`save`."""
        with np.load(path, allow_pickle=False) as data:
            return cls(data["vocabulary"].tolist(), data["idf"], data["coef"], data["intercept"],
                       data["classes"].tolist(), float(data["temperature"]), json.loads(str(data["meta"])))


def model_path(nlu_dir: Path | None) -> Path:
    """The model the runtime loads: the shop's own (from ``kefu train``) if present, else the shipped one."""
    if nlu_dir is not None and (nlu_dir / MODEL_FILE_NAME).exists():
        return nlu_dir / MODEL_FILE_NAME
    return SHIPPED_MODEL
