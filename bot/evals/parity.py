"""``kefu eval parity [--pairs FILE]``: the same request in zh and en should come to the same kind of
outcome (:attr:`core.turn.TurnResult.outcome`); plays the project's pairs (or FILE's, e.g. the external
bot/evals/data/external/parity.tsv) on the demo shop and lists those that differ."""
from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bot.evals.outcomes import PAIRS, demo_assistant, pair_outcomes, read_pairs
from bot.settings import Settings

TOPIC = "parity"
HELP = "zh/en parity: the share of paired requests with the same kind of outcome"


def configure(parser: argparse.ArgumentParser) -> None:
    """``--pairs FILE``: tab-separated zh/en pairs (default bot/evals/data/parity_pairs.tsv)."""
    parser.add_argument("--pairs", type=Path, default=PAIRS,
                        help="zh<TAB>en lines, or after a first line 'en<TAB>zh' in that order")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print the parity rate and each differing pair; 2 for a bad FILE."""
    try:
        pairs = read_pairs(args.pairs)
    except (OSError, ValueError) as exc:
        print(f"kefu eval parity: {exc}")
        return 2
    if not pairs:
        print(f"kefu eval parity: no pairs in {args.pairs}")
        return 2
    results = asyncio.run(pair_outcomes(demo_assistant(), pairs))
    same = sum(r.same for r in results)
    print(f"parity: {same}/{len(results)} = {same / len(results):.1%}")
    for r in results:
        if not r.same:
            print(f"  zh {r.zh_outcome:<14} en {r.en_outcome:<14} {r.zh} | {r.en}")
    return 0
