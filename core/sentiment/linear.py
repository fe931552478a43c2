"""The default analyser: a per-script (zh / en) multinomial logistic regression over n-gram and cue
features, with cue-based emotions on top. Its weights are a JSON file trained offline by
``scripts/train_sentiment.py``; scoring needs only the standard library and vaderSentiment."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from core.sentiment.base import Sentiment, SentimentAnalyzer
from core.sentiment.emotions import detect_emotions
from core.sentiment.features import featurise, normalise

DEFAULT_MODEL = Path(__file__).with_name("data") / "model.json"
FORMAT = "kefu-sentiment-linear/1"
PLAIN_QUESTION_MARGIN = 0.5


@dataclass(frozen=True)
class ScriptModel:
    """One script's weights: an intercept and a weight per class for every kept feature."""

    intercept: list[float]
    weights: dict[str, list[float]]


class LinearModel:
    """Class probabilities for a message, per script."""

    def __init__(self, classes: list[str], scripts: dict[str, ScriptModel]) -> None:
        self.classes = classes
        self.scripts = scripts

    @classmethod
    def load(cls, path: Path = DEFAULT_MODEL) -> LinearModel:
        """Read a model file written by the training script."""
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"{path}: not a {FORMAT} model file")
        scripts = {lang: ScriptModel(part["intercept"], part["weights"]) for lang, part in data["languages"].items()}
        return cls(data["classes"], scripts)

    def probabilities(self, features: dict[str, float], lang: str) -> dict[str, float]:
        """Softmax of the linear scores of ``features`` under script ``lang``'s weights."""
        model = self.scripts[lang]
        logits = list(model.intercept)
        for name, value in features.items():
            weights = model.weights.get(name)
            if weights:
                for k, w in enumerate(weights):
                    logits[k] += w * value
        top = max(logits)
        exps = [math.exp(x - top) for x in logits]
        total = sum(exps)
        return {c: e / total for c, e in zip(self.classes, exps)}


@lru_cache(maxsize=1)
def default_model() -> LinearModel:
    """The shipped model, read once per process."""
    return LinearModel.load(DEFAULT_MODEL)


class LinearSentiment(SentimentAnalyzer):
    """Polarity from the linear model (score = P(positive) - P(negative)); emotions from cues."""

    def __init__(self, model: LinearModel | None = None) -> None:
        self._model = model or default_model()

    def score(self, text: str, language: str) -> Sentiment:
        """The synchronous core of :meth:`analyze`."""
        if not text.strip():
            return Sentiment("neutral", 0.0)
        lang, features = featurise(text, language)
        probs = self._model.probabilities(features, lang)
        polarity = max(probs, key=probs.__getitem__)
        score = round(probs["positive"] - probs["negative"], 3)
        if "shape:plain_question" in features and abs(score) < PLAIN_QUESTION_MARGIN:
            polarity = "neutral"  # a question without polar words is neutral unless the model is sure
        elif score > 0 and "cue:pos_negated" in features and "cue:pos" not in features:
            polarity, score = "negative", -score  # negated praise only ("不是很满意") is a complaint
        return Sentiment(polarity, score, detect_emotions(normalise(text), lang, score))  # type: ignore[arg-type]

    async def analyze(self, text: str, language: str) -> Sentiment:
        """Score ``text``; a plain question is neutral."""
        return self.score(text, language)
