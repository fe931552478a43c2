"""``kefu bench nlu``: per-message NLU latency (intent + entities) and messages per second; with an e5
second stage, also for the messages that stay on the first stage and those that go on to the second."""
from __future__ import annotations

import argparse
import asyncio
import time

import numpy as np

from bot.app import build_nlu, open_store
from bot.arguments import positive_int
from bot.settings import Settings
from core.nlu.base import NLU
from core.nlu.cascade import Cascade
from core.nlu.labelled import held_out

TOPIC = "nlu"
HELP = "NLU latency percentiles (p50/p95/p99) and messages per second"


def configure(parser: argparse.ArgumentParser) -> None:
    """How many passes over the held-out messages."""
    parser.add_argument("--rounds", type=positive_int, default=3, help="passes over the held-out messages (default 3)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Time every parse of the held-out messages after one warm-up pass, and print the numbers."""
    texts = [e.text for e in held_out()]
    store = open_store(settings)
    try:
        nlu = build_nlu(store, settings)
        timings = asyncio.run(_time(nlu, texts, args.rounds))
    finally:
        store.close()
    ms = np.array(timings) * 1000
    print(f"nlu: {len(ms)} messages, {_percentiles(ms)}, {len(ms) / (ms.sum() / 1000):.0f} messages/s")
    cascade = getattr(nlu, "model", None)
    if isinstance(cascade, Cascade) and cascade.second is not None:
        asked = np.array([cascade.cascades(cascade.first.probabilities(text)) for text in texts] * args.rounds)
        print(f"  first stage only (common path): {(~asked).sum()} messages, {_percentiles(ms[~asked])}")
        if asked.any():
            print(f"  cascaded to the e5 stage (below {cascade.second.below:.2f}): {asked.sum()} messages "
                  f"({asked.mean():.1%}), {_percentiles(ms[asked])}")
    return 0


def _percentiles(ms: np.ndarray) -> str:
    return (f"p50={np.percentile(ms, 50):.2f} ms p95={np.percentile(ms, 95):.2f} ms p99={np.percentile(ms, 99):.2f} ms "
            f"max={ms.max():.2f} ms")


async def _time(nlu: NLU, texts: list[str], rounds: int) -> list[float]:
    for text in texts:  # warm-up: jieba's dictionary, caches
        await nlu.parse(text)
    timings = []
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            await nlu.parse(text)
            timings.append(time.perf_counter() - start)
    return timings
