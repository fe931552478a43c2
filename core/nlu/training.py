"""Training the intent model (scikit-learn) and exporting it to :class:`core.nlu.model.IntentModel`.

Tf-idf over character n-grams and words next to the message's word vector (weighted by
:data:`WORD_VECTOR_WEIGHT`), multinomial logistic regression, and a temperature fitted on
out-of-fold predictions so that confidences are calibrated."""
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
from core.nlu.model import IntentModel
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


def out_of_fold_logits(texts: list[str], labels: list[str], classes: list[str], words: _WordFeatures,
                       progress: tqdm) -> np.ndarray | None:
    """Each example's class scores from a model that did not see it; None if too few examples."""
    folds = min(MAX_FOLDS, min(Counter(labels).values()))
    if folds < 2:
        return None
    logits = np.zeros((len(texts), len(classes)), dtype=np.float32)
    array = np.array(texts, dtype=object)
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=0).split(array, labels):
        vectorizer, classifier = _fit(list(array[train]), [labels[i] for i in train], words)
        columns = [classes.index(c) for c in classifier.classes_]
        rows = _rows(vectorizer, list(array[test]), words)
        logits[np.ix_(test, columns)] = _class_scores(classifier.decision_function(rows))
        logits[np.ix_(test, [i for i in range(len(classes)) if i not in columns])] = -1e4
        progress.update(1)
    return logits


def train(examples: list[Example], show_progress: bool = True) -> IntentModel:
    """Train, calibrate and export an intent model from labelled examples."""
    texts = [e.text for e in examples]
    labels = [e.intent for e in examples]
    classes = sorted(set(labels))
    if len(classes) < 2:
        raise ValueError("training needs examples of at least two intents")
    table = shipped_word_vectors()
    words = _WordFeatures(table, table.idf(texts))  # from all the texts, labels unseen: the folds share it
    with tqdm(total=MAX_FOLDS + 1, desc="training intents", unit="fit", disable=not show_progress) as progress:
        logits = out_of_fold_logits(texts, labels, classes, words, progress)
        temperature = 1.0 if logits is None else \
            fit_temperature(logits, np.array([classes.index(label) for label in labels]))
        progress.total = progress.n + 1
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
    return IntentModel(vocabulary, vectorizer.idf_, tfidf_coef.T, intercept, [str(c) for c in classifier.classes_],
                       temperature, meta, table, words.idf, vector_coef.T)


def train_and_save(out: Path, extra: Iterable[Path] = (), shipped: bool = True, show_progress: bool = True) -> IntentModel:
    """Train on the shipped data plus ``extra`` files and write the model to ``out``."""
    model = train(load_training_data(extra, shipped), show_progress)
    model.save(out)
    return model
