"""``kefu eval recommend [--store PATH]``: leave-last-purchase-out HR@k, NDCG@k and coverage of the
hybrid recommender against the popularity baseline (default: a temporary copy of the demo shop)."""
from __future__ import annotations

import argparse
import sqlite3
from pathlib import Path

from bot.arguments import positive_int
from bot.errors import CommandError
from bot.settings import Settings
from core.demo.loader import load_demo_shop
from core.recommend.evaluation import EvalReport, evaluate
from core.recommend.hybrid import HybridRecommender
from core.recommend.popular import PopularityRecommender
from core.store import Store

TOPIC = "recommend"
HELP = "leave-last-purchase-out HR@10, NDCG@10, coverage: hybrid vs popularity"
TARGET_RATIO = 1.3


def configure(parser: argparse.ArgumentParser) -> None:
    """Options: the store to evaluate and k."""
    parser.add_argument("--store", type=Path, help="a Kefu database file (default: the demo shop, in memory)")
    parser.add_argument("-k", type=positive_int, default=10, help="list length (default: 10)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Evaluate and print the table; exit status 0 (the numbers are the result)."""
    if args.store is not None and not args.store.is_file():
        print(f"kefu eval recommend: no database at {args.store}")
        return 2
    try:
        store = Store(args.store) if args.store else Store(":memory:")
    except sqlite3.DatabaseError as exc:
        raise CommandError(f"{args.store} is not a Kefu database: {exc}") from None
    try:
        if args.store is None:
            load_demo_shop(store)
        report = evaluate(store, {"popularity": PopularityRecommender,
                                  "hybrid": lambda s: HybridRecommender(s, refresh_seconds=0)}, k=args.k)
    finally:
        store.close()
    print(format_report(report, str(args.store or "demo shop")))
    return 0


def format_report(report: EvalReport, name: str) -> str:
    """The metrics as a small table with what they rest on."""
    k = report.k
    lines = [f"{name}: {report.products} products, {report.shoppers} shoppers with a held-out last purchase, "
             f"{report.distinct_purchase_times} distinct purchase times",
             f"held-out items already bought before (non-consumable, unreachable by design): "
             f"{report.repeat_non_consumable}",
             f"{'recommender':<12} {f'HR@{k}':>8} {f'NDCG@{k}':>8} {'coverage':>9}"]
    for label, m in report.metrics.items():
        lines.append(f"{label:<12} {m.hit_rate:>8.3f} {m.ndcg:>8.3f} {m.coverage:>9.3f}")
    base, hybrid = report.metrics.get("popularity"), report.metrics.get("hybrid")
    if base and hybrid:
        ratio = hybrid.hit_rate / base.hit_rate if base.hit_rate else float("inf")
        lines.append(f"HR@{k} hybrid / popularity: {ratio:.2f}x (target >= {TARGET_RATIO}x)")
    if report.distinct_purchase_times <= 1:
        lines.append("note: every purchase has the same time, so 'last' is only the import order and "
                     "recency carries no signal")
    return "\n".join(lines)
