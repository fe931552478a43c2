"""Baselines for docs/SENTIMENT.md on the held-out sets: the foundation's word list, VADER (en) and
SnowNLP (zh; its bundled model was trained on the whole review corpus, test part included).

    python scripts/compare_sentiment.py
"""
from __future__ import annotations

import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.evals.sentiment import BINARY, default_sets, predictions, score  # noqa: E402
from core.sentiment.base import Sentiment, SentimentAnalyzer  # noqa: E402
from core.sentiment.lexicon import LexiconSentiment  # noqa: E402


class Vader(SentimentAnalyzer):
    """VADER's compound score, neutral within +-0.05 (its authors' threshold)."""

    def __init__(self) -> None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self._vader = SentimentIntensityAnalyzer()

    async def analyze(self, text: str, language: str) -> Sentiment:
        compound = self._vader.polarity_scores(text)["compound"]
        return Sentiment("positive" if compound >= 0.05 else "negative" if compound <= -0.05 else "neutral", compound)


class SnowNLPSentiment(SentimentAnalyzer):
    """SnowNLP's probability of positive, neutral between 0.35 and 0.65."""

    async def analyze(self, text: str, language: str) -> Sentiment:
        from snownlp import SnowNLP

        p = SnowNLP(text).sentiments
        return Sentiment("positive" if p >= 0.65 else "negative" if p <= 0.35 else "neutral", round(2 * p - 1, 3))


def main() -> int:
    sets = default_sets()
    for name, analyzer in (("lexicon", LexiconSentiment()), ("vader", Vader()), ("snownlp", SnowNLPSentiment())):
        for set_name, (examples, labels) in sets.items():
            if (name == "vader" and " zh" in set_name) or (name == "snownlp" and " en" in set_name):
                continue
            preds = asyncio.run(predictions(analyzer, examples, labels))
            result = score(set_name, [e.label for e in examples], preds, labels)
            print(f"{name:8} {set_name:11} n={result.total:5} accuracy={result.accuracy:.3f} "
                  f"macro-F1={result.macro_f1:.3f} ({'binary' if labels == BINARY else '3-class'})", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
