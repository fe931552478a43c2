"""``kefu bench fanout``: what several workers on one PostgreSQL pay for their shared state — a
publish on one worker's outbound bus until another worker's subscriber has it (inline, and a 16 KB one
through ``fanout_outbound``), a rate-limit hit in memory and in the store, a presence lookup. Runs on
a scratch database of the server ``--database-url`` (or ``KEFU_DATABASE_URL``) names, dropped after."""
from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from typing import Any

from bot.arguments import positive_int
from bot.benches.load_fleet import scratch_database
from bot.errors import CommandError
from bot.settings import Settings
from core.fanout import StorePresence
from core.fanout.postgres import PostgresBus
from core.ratelimit import Limits, MemoryLimits
from core.store import Store
from core.store.ratelimits import StoreLimits

TOPIC = "fanout"
HELP = "several workers' shared state on PostgreSQL: outbound bus latency, rate-limit hits, presence lookups"


def configure(parser: argparse.ArgumentParser) -> None:
    """The server, and how many rounds of each measure."""
    parser.add_argument("--database-url", default=None, metavar="postgresql://…",
                        help="the PostgreSQL server (default KEFU_DATABASE_URL): a scratch database is created "
                             "on it and dropped after (its role needs CREATEDB)")
    parser.add_argument("--rounds", type=positive_int, default=300, help="publishes per payload size (default 300)")
    parser.add_argument("--calls", type=positive_int, default=2000,
                        help="rate-limit hits and presence lookups (default 2000)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print one line per measure."""
    database_url = args.database_url or settings.kefu_database_url
    if not database_url:
        raise CommandError("bench fanout: needs PostgreSQL: --database-url postgresql://… or KEFU_DATABASE_URL")
    with scratch_database(database_url, f"kefu_bench_fanout_{os.getpid()}") as url:
        for line in asyncio.run(_measure(url, args.rounds, args.calls)):
            print(line)
    return 0


async def _measure(url: str, rounds: int, calls: int) -> list[str]:
    a, b = Store(url), Store(url)
    sender, listener = PostgresBus(a.db, "A"), PostgresBus(b.db, "B")
    received: asyncio.Queue[float] = asyncio.Queue()

    async def deliver(_user: str, _frame: dict[str, Any]) -> None:
        received.put_nowait(time.perf_counter())

    listener.subscribe("web", deliver)
    await sender.start()
    await listener.start()
    lines = []
    try:
        for label, text in (("inline, 200 B", "x" * 200), ("through the table, 16 KB", "长" * 5500)):
            latencies = await _bus_latency(sender, received, text, rounds)
            lines.append(f"publish on A, delivered on B ({label}): median {statistics.median(latencies):.2f} ms, "
                         f"p95 {_percentile(latencies, 0.95):.2f} ms (n={rounds})")
        for label, limits in (("memory", MemoryLimits()), ("store", StoreLimits(a.db))):
            lines.append(f"rate-limit hit ({label}): {_per_call_ms(limits, calls):.3f} ms (n={calls})")
        holder, asker = StorePresence(a.db, "A"), StorePresence(b.db, "B")
        await holder.start()
        holder.join("web", "session")
        started = time.perf_counter()
        for _ in range(calls):
            asker.elsewhere("web", "session")
        lines.append(f"presence lookup: {(time.perf_counter() - started) / calls * 1000:.3f} ms (n={calls})")
        await holder.stop()
    finally:
        await sender.stop()
        await listener.stop()
        a.close()
        b.close()
    return lines


async def _bus_latency(sender: PostgresBus, received: asyncio.Queue[float], text: str, rounds: int) -> list[float]:
    """Milliseconds from each publish until the other worker's subscriber got it."""
    latencies = []
    for _ in range(rounds):
        started = time.perf_counter()
        await sender.publish("web", "session", {"type": "reply", "text": text})
        latencies.append((await asyncio.wait_for(received.get(), 5) - started) * 1000)
    return latencies


def _per_call_ms(limits: Limits, calls: int) -> float:
    """Milliseconds per rate-limit hit over 50 keys."""
    limit = limits.window("bench", calls, 60.0)
    started = time.perf_counter()
    for n in range(calls):
        limit.allow(f"key{n % 50}")
    return (time.perf_counter() - started) / calls * 1000


def _percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]
