"""Training the intent model (scikit-learn) and exporting it to :class:`core.nlu.model.IntentModel`.

Tf-idf over character n-grams and words next to the message's word vector (weighted by
:data:`WORD_VECTOR_WEIGHT`), multinomial logistic regression, and a temperature fitted on
out-of-fold predictions so that confidences are calibrated; a bias on out_of_scope chosen on a calibration
pool (out-of-fold training scores plus an off-domain split never trained on); the e5 second stage in
:mod:`core.nlu.sentence_training`."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import sklearn
from scipy.optimize import minimize_scalar
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from tqdm import tqdm

from core.nlu.features import features
from core.nlu.cascade import Cascade
from core.nlu.model import OUT_OF_SCOPE, IntentModel
from core.nlu.noise import add_noise
from core.nlu.rasa import Example, read_examples
from core.nlu.word_vectors import WordVectors, shipped_word_vectors

DATA_DIR = Path(__file__).parent / "data"
TRAIN_FILES = (DATA_DIR / "nlu_zh.yml", DATA_DIR / "nlu_en.yml")
HELD_OUT_FILES = (DATA_DIR / "test_zh.yml", DATA_DIR / "test_en.yml")
FRESH_FILES = (DATA_DIR / "fresh_zh.yml", DATA_DIR / "fresh_en.yml")  # a second held-out set, see docs/NLU.md
FRESH2_FILES = (DATA_DIR / "fresh2_zh.yml", DATA_DIR / "fresh2_en.yml")  # a third, by an outside annotator
REGULARISATION_C = 20.0
WORD_VECTOR_WEIGHT = 4.0  # the word vector's columns against the unit-length tf-idf row (docs/NLU.md)
MAX_FOLDS = 5
NOISY_COPIES = 1  # typo-noised copies of each training text (core/nlu/noise.py), see docs/NLU.md
NOISE_RATE = 0.1
CALIBRATION_FILES = (DATA_DIR / "calibration_zh.yml", DATA_DIR / "calibration_en.yml")  # never trained on
BIAS_GRID = np.round(np.arange(-3.0, 3.01, 0.25), 2)


def load_training_data(extra: Iterable[Path] = (), shipped: bool = True) -> list[Example]:
    """The shipped training examples (unless ``shipped`` is false) plus those of ``extra`` files."""
    paths = [*(TRAIN_FILES if shipped else ()), *extra]
    examples: list[Example] = []
    for path in paths:
        examples.extend(read_examples(path))
    return examples


@dataclass(frozen=True)
class _WordFeatures:
    """The word vector table and the idf of its words in the training texts."""

    table: WordVectors
    idf: np.ndarray

    def matrix(self, texts: list[str]) -> np.ndarray:
        """Each text's word vector, scaled by :data:`WORD_VECTOR_WEIGHT`."""
        return WORD_VECTOR_WEIGHT * self.table.embed_all(texts, self.idf)


def _rows(vectorizer: TfidfVectorizer, texts: list[str], words: _WordFeatures, fit: bool = False) -> csr_matrix:
    """Each text's tf-idf features followed by its weighted word vector."""
    tfidf = vectorizer.fit_transform(texts) if fit else vectorizer.transform(texts)
    return hstack([tfidf, csr_matrix(words.matrix(texts))], format="csr")


def with_noisy_copies(texts: list[str], labels: list[str]) -> tuple[list[str], list[str]]:
    """``texts`` followed by :data:`NOISY_COPIES` seeded typo-noised copies of each (a copy equal to
    its text is left out), with their labels."""
    copies = [(noisy, label) for seed in range(NOISY_COPIES) for text, label in zip(texts, labels)
              if (noisy := add_noise(text, NOISE_RATE, seed)) != text]
    return texts + [t for t, _ in copies], labels + [label for _, label in copies]


def _fit(texts: list[str], labels: list[str], words: _WordFeatures) -> tuple[TfidfVectorizer, LogisticRegression]:
    texts, labels = with_noisy_copies(texts, labels)
    vectorizer = TfidfVectorizer(analyzer=features, sublinear_tf=True, dtype=np.float32)
    classifier = LogisticRegression(C=REGULARISATION_C, max_iter=3000)
    classifier.fit(_rows(vectorizer, texts, words, fit=True), labels)
    return vectorizer, classifier


def fit_temperature(logits: np.ndarray, targets: np.ndarray) -> float:
    """The softmax temperature that minimises the negative log-likelihood of ``targets``."""
    def nll(log_t: float) -> float:
        scaled = logits / np.exp(log_t)
        scaled = scaled - scaled.max(axis=1, keepdims=True)
        log_probs = scaled - np.log(np.exp(scaled).sum(axis=1, keepdims=True))
        return float(-log_probs[np.arange(len(targets)), targets].mean())

    return float(np.exp(minimize_scalar(nll, bounds=(-3, 3), method="bounded").x))


def _class_scores(decision: np.ndarray) -> np.ndarray:
    """One score per class (scikit-learn gives a single column for two classes)."""
    return np.column_stack([np.zeros_like(decision), decision]) if decision.ndim == 1 else decision


def folds_of(labels: list[str]) -> list[tuple[np.ndarray, np.ndarray]] | None:
    """The stratified cross-validation folds (train rows, test rows) every stage shares; None if too few examples."""
    folds = min(MAX_FOLDS, min(Counter(labels).values()))
    if folds < 2:
        return None
    return list(StratifiedKFold(folds, shuffle=True, random_state=0).split(np.zeros(len(labels)), labels))


def out_of_fold_logits(texts: list[str], labels: list[str], classes: list[str], words: _WordFeatures,
                       folds: list[tuple[np.ndarray, np.ndarray]], progress: tqdm) -> np.ndarray:
    """Each example's class scores from a model that did not see it."""
    logits = np.zeros((len(texts), len(classes)), dtype=np.float32)
    array = np.array(texts, dtype=object)
    for train, test in folds:
        vectorizer, classifier = _fit(list(array[train]), [labels[i] for i in train], words)
        columns = [classes.index(c) for c in classifier.classes_]
        rows = _rows(vectorizer, list(array[test]), words)
        logits[np.ix_(test, columns)] = _class_scores(classifier.decision_function(rows))
        logits[np.ix_(test, [i for i in range(len(classes)) if i not in columns])] = -1e4
        progress.update(1)
    return logits


def softmax(scores: np.ndarray) -> np.ndarray:
    """Row-wise softmax."""
    scores = scores - scores.max(axis=1, keepdims=True)
    exp = np.exp(scores)
    return exp / exp.sum(axis=1, keepdims=True)


def out_of_scope_bias(scores: np.ndarray, targets: np.ndarray, column: int) -> float:
    """The bias on out_of_scope's tempered score (from :data:`BIAS_GRID`) under which the most messages of
    the calibration pool are read right; the smallest in size among equals."""
    def right(bias: float) -> int:
        shifted = scores.copy()
        shifted[:, column] += bias
        return int((shifted.argmax(axis=1) == targets).sum())

    return float(max(BIAS_GRID, key=lambda bias: (right(bias), -abs(bias))))


@dataclass(frozen=True)
class CalibrationPool:
    """The messages the calibration choices are made on: every training text scored by the fold model
    that did not see it, then the calibration split's off-domain texts scored by the final model."""

    texts: list[str]
    targets: np.ndarray
    probabilities: np.ndarray  # the first stage's, bias included
    training_rows: int
    folds: list[tuple[np.ndarray, np.ndarray]]


def _train_first(examples: list[Example], calibration: list[Example], progress: tqdm) -> tuple[IntentModel, CalibrationPool | None]:
    texts = [e.text for e in examples]
    labels = [e.intent for e in examples]
    classes = sorted(set(labels))
    if len(classes) < 2:
        raise ValueError("training needs examples of at least two intents")
    table = shipped_word_vectors()
    words = _WordFeatures(table, table.idf(texts))  # from all the texts, labels unseen: the folds share it
    folds = folds_of(labels)
    logits = None if folds is None else out_of_fold_logits(texts, labels, classes, words, folds, progress)
    targets = np.array([classes.index(label) for label in labels])
    temperature = 1.0 if logits is None else fit_temperature(logits, targets)
    vectorizer, classifier = _fit(texts, labels, words)
    progress.update(1)
    vocabulary = vectorizer.get_feature_names_out().tolist()
    meta = {"trained_at": datetime.now(UTC).isoformat(timespec="seconds"), "examples": len(texts),
            "intents": len(classes), "scikit_learn": sklearn.__version__, "C": REGULARISATION_C,
            "word_vector_weight": WORD_VECTOR_WEIGHT,
            "noisy_copies": NOISY_COPIES, "noise_rate": NOISE_RATE}
    coef, intercept = classifier.coef_, classifier.intercept_
    if len(classes) == 2:  # scikit-learn keeps one score for two classes: softmax([0, z]) == sigmoid(z)
        coef, intercept = np.vstack([np.zeros_like(coef), coef]), np.concatenate([[0.0], intercept])
    tfidf_coef, vector_coef = coef[:, :len(vocabulary)], coef[:, len(vocabulary):] * WORD_VECTOR_WEIGHT
    model = IntentModel(vocabulary, vectorizer.idf_, tfidf_coef.T, intercept, [str(c) for c in classifier.classes_],
                        temperature, meta, table, words.idf, vector_coef.T)
    if logits is None:
        return model, None
    off_domain = [e.text for e in calibration] if OUT_OF_SCOPE in classes else []
    scores = np.vstack([logits / temperature, *[model.logits(t)[None] / temperature for t in off_domain]])
    pool_targets = np.concatenate([targets, np.full(len(off_domain), classes.index(OUT_OF_SCOPE) if off_domain else 0)])
    if OUT_OF_SCOPE in classes:
        bias = out_of_scope_bias(scores, pool_targets, classes.index(OUT_OF_SCOPE))
        meta["out_of_scope_bias"] = bias
        meta["calibration_examples"] = len(off_domain)
        scores[:, classes.index(OUT_OF_SCOPE)] += bias
        model = IntentModel(vocabulary, vectorizer.idf_, tfidf_coef.T, intercept, model.classes, temperature, meta,
                            table, words.idf, vector_coef.T)
    return model, CalibrationPool(texts + off_domain, pool_targets, softmax(scores), len(texts), folds)


def load_calibration() -> list[Example]:
    """The calibration split's off-domain messages (never trained on)."""
    return [e for path in CALIBRATION_FILES for e in read_examples(path)]


def train(examples: list[Example], show_progress: bool = True) -> IntentModel:
    """Train, calibrate and export the first-stage intent model from labelled examples."""
    with tqdm(total=MAX_FOLDS + 1, desc="training intents", unit="fit", disable=not show_progress) as progress:
        return _train_first(examples, load_calibration(), progress)[0]


def train_cascade(examples: list[Example], show_progress: bool = True, second_stage: bool = True) -> Cascade:
    """The first stage and, when ``second_stage`` and the sentence encoder is installed, the e5 second stage."""
    from core.nlu.sentence_training import train_sentence_stage

    with tqdm(total=MAX_FOLDS + 1, desc="training intents", unit="fit", disable=not show_progress) as progress:
        first, pool = _train_first(examples, load_calibration(), progress)
    second = None
    if second_stage and pool is not None:
        second = train_sentence_stage([e.text for e in examples], [e.intent for e in examples], first.classes, pool,
                                      show_progress)
    return Cascade(first, second)


def train_and_save(out: Path, extra: Iterable[Path] = (), shipped: bool = True, show_progress: bool = True,
                   second_stage: bool = True) -> Cascade:
    """Train on the shipped data plus ``extra`` files and write the model (and its second stage) to ``out``."""
    model = train_cascade(load_training_data(extra, shipped), show_progress, second_stage)
    model.save(out)
    return model
