"""Training the e5 second stage (:class:`core.nlu.sentence.SentenceStage`): logistic regression over
multilingual-e5-small query vectors of the training texts and their typo-noised copies, a temperature
from out-of-fold scores, and the threshold and weight of the cascade chosen on the calibration pool."""
from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression
from tqdm import tqdm

from core.nlu.sentence import SentenceEncoder, SentenceStage, load_encoder
from core.nlu.training import CalibrationPool, fit_temperature, softmax, with_noisy_copies

REGULARISATION_C = 20.0
BELOW_GRID = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
WEIGHT_GRID = (0.25, 0.5, 0.75)
MAX_CASCADED_SHARE = 0.25  # of the calibration pool: the rest stays on the fast path


def embed(encoder: SentenceEncoder, texts: list[str], show_progress: bool) -> dict[str, np.ndarray]:
    """Each distinct text's query vector."""
    distinct = list(dict.fromkeys(texts))
    return {text: encoder.query(text) for text in tqdm(distinct, desc="encoding (e5)", unit="text",
                                                       disable=not show_progress)}


def _fit(texts: list[str], labels: list[str], vectors: dict[str, np.ndarray]) -> LogisticRegression:
    texts, labels = with_noisy_copies(texts, labels)
    return LogisticRegression(C=REGULARISATION_C, max_iter=3000).fit(np.vstack([vectors[t] for t in texts]), labels)


def _scores(classifier: LogisticRegression, rows: np.ndarray, classes: list[str]) -> np.ndarray:
    scores = np.full((len(rows), len(classes)), -1e4, dtype=np.float32)
    scores[:, [classes.index(c) for c in classifier.classes_]] = classifier.decision_function(rows)
    return scores


def choose_cascade(first: np.ndarray, second: np.ndarray, targets: np.ndarray) -> tuple[float, float]:
    """The (below, weight) under which the most pool messages are read right, asking the second stage
    about at most :data:`MAX_CASCADED_SHARE` of them; the lower threshold among equals."""
    confidence = first.max(axis=1)
    best, best_key = (0.0, 0.0), (int((first.argmax(axis=1) == targets).sum()), 0.0)
    for below in BELOW_GRID:
        asked = confidence < below
        if asked.mean() > MAX_CASCADED_SHARE:
            continue
        for weight in WEIGHT_GRID:
            combined = np.where(asked[:, None], (1 - weight) * first + weight * second, first)
            key = (int((combined.argmax(axis=1) == targets).sum()), -below)
            if key > best_key:
                best, best_key = (below, weight), key
    return best


def train_sentence_stage(texts: list[str], labels: list[str], classes: list[str], pool: CalibrationPool,
                         show_progress: bool = True) -> SentenceStage | None:
    """The second stage for the first stage's ``classes``; None without an encoder or when no threshold
    helps on the calibration pool."""
    if len(classes) < 3:  # a shop's tiny model: nothing for a second opinion to weigh
        return None
    encoder = load_encoder()
    if encoder is None:
        return None
    noisy, _ = with_noisy_copies(texts, labels)
    vectors = embed(encoder, noisy + pool.texts[pool.training_rows:], show_progress)
    logits = np.zeros((len(texts), len(classes)), dtype=np.float32)
    for train, test in tqdm(pool.folds, desc="training e5 stage", unit="fit", disable=not show_progress):
        classifier = _fit([texts[i] for i in train], [labels[i] for i in train], vectors)
        logits[test] = _scores(classifier, np.vstack([vectors[texts[i]] for i in test]), classes)
    targets = np.array([classes.index(label) for label in labels])
    temperature = fit_temperature(logits, targets)
    classifier = _fit(texts, labels, vectors)
    calibration = [vectors[t] for t in pool.texts[pool.training_rows:]]
    pool_scores = np.vstack([logits, *([_scores(classifier, np.vstack(calibration), classes)] if calibration else [])])
    below, weight = choose_cascade(pool.probabilities, softmax(pool_scores / temperature), pool.targets)
    if below == 0.0:
        return None
    coef = np.zeros((len(classes), classifier.coef_.shape[1]), dtype=np.float32)
    intercept = np.full(len(classes), -1e4, dtype=np.float32)
    columns = [classes.index(c) for c in classifier.classes_]
    coef[columns], intercept[columns] = classifier.coef_, classifier.intercept_
    meta = {"encoder": getattr(encoder, "name", type(encoder).__name__), "C": REGULARISATION_C,
            "examples": len(texts), "max_cascaded_share": MAX_CASCADED_SHARE}
    return SentenceStage(coef.T, intercept, classes, temperature, below, weight, meta)
