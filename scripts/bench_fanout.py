"""Measure several workers' shared state on a private PostgreSQL (tests/pg.py; docs/SCALING.md):
a publish on one worker's outbound bus until the other worker's subscriber has it (inline, and a
16 KB one through ``fanout_outbound``), a rate-limit hit in memory and in the store, a presence lookup.

    PYTHONPATH=. .venv/bin/python scripts/bench_fanout.py"""
from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from typing import Any

from core.fanout import StorePresence
from core.fanout.postgres import PostgresBus
from core.ratelimit import Limits, MemoryLimits
from core.store import Store
from core.store.ratelimits import StoreLimits
from tests.pg import FreshDatabases, PostgresServer

ROUNDS = 300
CALLS = 2000


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of ``values`` lie."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def bus_latency(sender: PostgresBus, received: asyncio.Queue[float], text: str) -> list[float]:
    """Milliseconds from each publish until the other worker's subscriber got it."""
    latencies = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        await sender.publish("web", "session", {"type": "reply", "text": text})
        latencies.append((await asyncio.wait_for(received.get(), 5) - started) * 1000)
    return latencies


def per_call_ms(limits: Limits) -> float:
    """Milliseconds per rate-limit hit over 50 keys."""
    limit = limits.window("bench", CALLS, 60.0)
    started = time.perf_counter()
    for n in range(CALLS):
        limit.allow(f"key{n % 50}")
    return (time.perf_counter() - started) / CALLS * 1000


async def main() -> None:
    server = PostgresServer()
    server.start(tempfile.mkdtemp(prefix="kefu-bench-"))
    try:
        databases = FreshDatabases(server)
        url = databases.new()
        a, b = Store(url), Store(url)
        sender, listener = PostgresBus(a.db, "A"), PostgresBus(b.db, "B")
        received: asyncio.Queue[float] = asyncio.Queue()

        async def deliver(_user: str, _frame: dict[str, Any]) -> None:
            received.put_nowait(time.perf_counter())

        listener.subscribe("web", deliver)
        await sender.start()
        await listener.start()
        for label, text in (("inline, 200 B", "x" * 200), ("through the table, 16 KB", "长" * 5500)):
            latencies = await bus_latency(sender, received, text)
            print(f"publish on A, delivered on B ({label}): median {statistics.median(latencies):.2f} ms, "
                  f"p95 {percentile(latencies, 0.95):.2f} ms (n={ROUNDS})")
        for label, limits in (("memory", MemoryLimits()), ("store", StoreLimits(a.db))):
            print(f"rate-limit hit ({label}): {per_call_ms(limits):.3f} ms (n={CALLS})")
        holder, asker = StorePresence(a.db, "A"), StorePresence(b.db, "B")
        await holder.start()
        holder.join("web", "session")
        started = time.perf_counter()
        for _ in range(CALLS):
            asker.elsewhere("web", "session")
        print(f"presence lookup: {(time.perf_counter() - started) / CALLS * 1000:.3f} ms (n={CALLS})")
        await holder.stop()
        await sender.stop()
        await listener.stop()
        a.close()
        b.close()
        databases.close()
    finally:
        server.stop()


if __name__ == "__main__":
    asyncio.run(main())
