"""``kefu bench recommend [--sizes 1k,10k,100k]``: rebuild time, index memory and request latency
of the hybrid recommender on synthetic shops (10 events per product: 1M events at 100k)."""
from __future__ import annotations

import argparse
import resource

from bot.arguments import positive_int
from bot.settings import Settings
from core.recommend.benchmark import bench

TOPIC = "recommend"
HELP = "recommendation latency, index memory and rebuild time on synthetic shops"
EVENTS_PER_PRODUCT = 10


def parse_sizes(text: str) -> list[int]:
    """"1k,10k,100k" → [1000, 10000, 100000]."""
    sizes = []
    for part in text.split(","):
        part = part.strip().lower()
        scale = 1000 if part.endswith("k") else 1
        try:
            value = int(part.rstrip("k")) * scale
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a size: {part!r} (use e.g. 1k,10k,100k)") from None
        if value < 10:
            raise argparse.ArgumentTypeError(f"size {part!r} is too small (at least 10 products)")
        sizes.append(value)
    return sizes


def configure(parser: argparse.ArgumentParser) -> None:
    """Options: catalogue sizes and the number of timed requests."""
    parser.add_argument("--sizes", type=parse_sizes, default=parse_sizes("1k,10k"),
                        help="catalogue sizes (default: 1k,10k; add 100k for the full run)")
    parser.add_argument("--requests", type=positive_int, default=1000, help="timed requests per size (default: 1000)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar while building")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run every size and print one row each."""
    print(f"{'products':>9} {'variants':>9} {'events':>9} {'generate s':>10} {'rebuild s':>9} {'index MB':>9} "
          f"{'p50 ms':>7} {'p90 ms':>7} {'p99 ms':>7} {'max ms':>7}", flush=True)
    for size in args.sizes:
        r = bench(size, size * EVENTS_PER_PRODUCT, args.requests, show_progress=not args.no_progress)
        lat = r.latency_ms
        print(f"{r.shop.products:>9} {r.shop.variants:>9} {r.shop.events:>9} {r.generate_seconds:>10.1f} "
              f"{r.rebuild_seconds:>9.2f} {r.index_mb:>9.1f} {lat['p50']:>7.2f} {lat['p90']:>7.2f} "
              f"{lat['p99']:>7.2f} {lat['max']:>7.2f}", flush=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{args.requests} requests per size (personal, colour+size, price range, cold start, more like this); "
          f"process peak RSS {peak:.0f} MB")
    return 0
