"""The trained intent model at run time: plain arrays in a ``.npz`` file, numpy only.

The file holds the feature vocabulary, idf weights, the linear model's weights per intent (for the
tf-idf features and for the message's word vector, :mod:`core.nlu.word_vectors`) and a temperature
for calibrated probabilities. It is portable (no pickles), so a model trained with one scikit-learn
version loads with any numpy."""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from core.nlu.base import Reading
from core.nlu.features import features
from core.nlu.word_vectors import WordVectors, shipped_word_vectors

SHIPPED_MODEL = Path(__file__).parent / "model" / "intent_model.npz"
MODEL_FILE_NAME = "intent_model.npz"
OUT_OF_SCOPE = "out_of_scope"


class IntentModel:
    """Tf-idf over :func:`core.nlu.features.features` and, when given, the message's word vector; a
    linear layer over both and a tempered softmax. ``meta["out_of_scope_bias"]`` (chosen on a calibration
    split, :func:`core.nlu.training.out_of_scope_bias`) is added to out_of_scope's tempered score."""

    def __init__(self, vocabulary: list[str], idf: np.ndarray, coef: np.ndarray, intercept: np.ndarray,
                 classes: list[str], temperature: float, meta: dict[str, Any] | None = None,
                 word_vectors: WordVectors | None = None, word_weights: np.ndarray | None = None,
                 vector_coef: np.ndarray | None = None) -> None:
        if not (word_vectors is None) == (word_weights is None) == (vector_coef is None):
            raise ValueError("word vectors, their idf weights and their coefficients come together")
        self._word_vectors = word_vectors
        self._word_weights = None if word_weights is None else word_weights.astype(np.float32)  # (table rows,)
        self._vector_coef = None if vector_coef is None else vector_coef.astype(np.float32)  # (dimensions, classes)
        self._index = {feature: i for i, feature in enumerate(vocabulary)}
        self._idf = idf.astype(np.float32)
        self._coef = coef.astype(np.float32)  # (features, classes)
        self._intercept = intercept.astype(np.float32)
        self.classes = list(classes)
        self.temperature = float(temperature)
        self.meta = meta or {}
        self._bias = np.zeros(len(self.classes), dtype=np.float32)  # added to the tempered scores
        if OUT_OF_SCOPE in self.classes:
            self._bias[self.classes.index(OUT_OF_SCOPE)] = float(self.meta.get("out_of_scope_bias", 0.0))

    def logits(self, text: str) -> np.ndarray:
        """Raw class scores of ``text`` (before the temperature)."""
        scores = self._intercept.copy()
        counts = Counter(self._index[f] for f in features(text) if f in self._index)
        if counts:
            ids = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
            weights = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float32, count=len(counts)))) * self._idf[ids]
            weights /= np.linalg.norm(weights)
            scores += weights @ self._coef[ids]
        if self._word_vectors is not None:
            scores += self._word_vectors.embed(text, self._word_weights) @ self._vector_coef
        return scores

    def probabilities(self, text: str) -> np.ndarray:
        """Calibrated probability of each class, in :attr:`classes` order."""
        scores = self.logits(text) / self.temperature + self._bias
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
        meta = dict(self.meta)
        vectors = {}
        if self._word_vectors is not None:
            meta["word_vectors"] = self._word_vectors.fingerprint
            vectors = {"word_weights": self._word_weights.astype(np.float16), "vector_coef": self._vector_coef}
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            np.savez_compressed(handle, vocabulary=np.array(vocabulary), idf=self._idf,
                                coef=self._coef.astype(np.float16), intercept=self._intercept,
                                classes=np.array(self.classes), temperature=np.array(self.temperature),
                                meta=np.array(json.dumps(meta, ensure_ascii=False)), **vectors)

    @classmethod
    def load(cls, path: Path) -> IntentModel:
        """Read a model written by :meth:`save`; one that uses word vectors gets the shipped table,
        which must be the one it was trained with."""
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            word_vectors, word_weights, vector_coef = None, None, None
            if "vector_coef" in data:
                word_vectors, word_weights, vector_coef = shipped_word_vectors(), data["word_weights"], data["vector_coef"]
                if meta.get("word_vectors") != word_vectors.fingerprint:
                    raise ValueError(f"{path} was trained with other word vectors than this version ships; "
                                     "retrain it with `kefu train`")
            return cls(data["vocabulary"].tolist(), data["idf"], data["coef"], data["intercept"],
                       data["classes"].tolist(), float(data["temperature"]), meta, word_vectors, word_weights,
                       vector_coef)


def model_path(nlu_dir: Path | None) -> Path:
    """The model the runtime loads: the shop's own (from ``kefu train``) if present, else the shipped one."""
    if nlu_dir is not None and (nlu_dir / MODEL_FILE_NAME).exists():
        return nlu_dir / MODEL_FILE_NAME
    return SHIPPED_MODEL
