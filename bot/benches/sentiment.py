"""``kefu bench sentiment``: per-message latency of the configured sentiment analyser on the
held-out chat messages and English reviews (zh and en), plus the model's load time."""
from __future__ import annotations

import argparse
import asyncio
import statistics
import time

from bot.arguments import positive_int
from bot.evals.sentiment_data import chat_messages, written_reviews
from bot.settings import Settings
from core.sentiment.base import SentimentAnalyzer

TOPIC = "sentiment"
HELP = "sentiment analysis latency per message (p50, p90, p99, max) per language"


def configure(parser: argparse.ArgumentParser) -> None:
    """Options: rounds over the messages and which analyser."""
    parser.add_argument("--rounds", type=positive_int, default=20, help="passes over the messages (default: 20)")
    parser.add_argument("--analyzer", choices=["linear", "lexicon"], help="analyser to time (default: the setting)")


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) of ``values`` by nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def _time_all(analyzer: SentimentAnalyzer, texts: list[str], lang: str, rounds: int) -> list[float]:
    """Milliseconds per call, every text ``rounds`` times."""
    timings = []
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            await analyzer.analyze(text, lang)
            timings.append((time.perf_counter() - start) * 1000)
    return timings


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Time every message ``--rounds`` times and print one row per language."""
    from bot.app import build_sentiment

    started = time.perf_counter()
    analyzer = build_sentiment(args.analyzer or settings.kefu_sentiment_analyzer)
    asyncio.run(analyzer.analyze("warm-up 预热", "en"))
    print(f"analyser {args.analyzer or settings.kefu_sentiment_analyzer}: loaded in "
          f"{(time.perf_counter() - started) * 1000:.0f} ms")
    print(f"{'language':>8} {'messages':>8} {'mean ms':>8} {'p50 ms':>7} {'p90 ms':>7} {'p99 ms':>7} {'max ms':>7}")
    for lang in ("zh", "en"):
        texts = [e.text for e in chat_messages("test", lang)]
        if lang == "en":
            texts += [e.text for e in written_reviews("test", "en")]
        timings = asyncio.run(_time_all(analyzer, texts, lang, args.rounds))
        print(f"{lang:>8} {len(texts):>8} {statistics.mean(timings):>8.3f} {percentile(timings, 0.5):>7.3f} "
              f"{percentile(timings, 0.9):>7.3f} {percentile(timings, 0.99):>7.3f} {max(timings):>7.3f}")
    return 0
