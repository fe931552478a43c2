"""``kefu eval parity``: the same request in zh and en should come to the same kind of outcome
(:attr:`core.turn.TurnResult.outcome`); plays the project's pairs on the demo shop and lists those
that differ."""
from __future__ import annotations

import argparse
import asyncio

from bot.evals.outcomes import demo_assistant, pair_outcomes, read_pairs
from bot.settings import Settings

TOPIC = "parity"
HELP = "zh/en parity: the share of paired requests with the same kind of outcome"


def configure(parser: argparse.ArgumentParser) -> None:
    """No options: the pairs in bot/evals/data/parity_pairs.tsv, the demo shop."""


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print the parity rate and each differing pair."""
    results = asyncio.run(pair_outcomes(demo_assistant(), read_pairs()))
    same = sum(r.same for r in results)
    print(f"parity: {same}/{len(results)} = {same / len(results):.1%}")
    for r in results:
        if not r.same:
            print(f"  zh {r.zh_outcome:<14} en {r.en_outcome:<14} {r.zh} | {r.en}")
    return 0
