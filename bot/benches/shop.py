"""``kefu bench shop [--start-medusa]``: the Medusa backend's order-read and change latency (p50/p95)
and the sync's throughput (orders/s) over ``--orders`` orders, against the Medusa at ``MEDUSA_URL`` or,
with ``--start-medusa``, one the test harness starts (PostgreSQL and Medusa on 127.0.0.1; it places
the orders the shop lacks through the store checkout and says how long that took)."""
from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import numpy as np
from pydantic import SecretStr

from bot.arguments import positive_int
from bot.errors import CommandError
from bot.settings import Settings
from bot.shops import build_medusa, start_shop
from core.shop.port import ShopBackend
from core.shop.requests import UpdateShippingAddress
from core.shop.sync import ShopSync
from core.store import Store

TOPIC = "shop"
HELP = "Medusa backend: order-read and change latency (p50/p95), sync throughput (orders/s)"
PLACE_WORKERS = 4
Placer = Callable[[int], None]
"""Places that many more orders in the shop (only with --start-medusa)."""


def configure(parser: argparse.ArgumentParser) -> None:
    """Options: where Medusa is, how many reads, changes and orders."""
    parser.add_argument("--start-medusa", action="store_true",
                        help="start PostgreSQL and Medusa with the test harness (node, npm, postgresql needed)")
    parser.add_argument("--orders", type=positive_int, default=1000, help="orders to sync (default: 1000)")
    parser.add_argument("--reads", type=positive_int, default=200, help="timed order reads (default: 200)")
    parser.add_argument("--changes", type=positive_int, default=50, help="timed address changes (default: 50)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Start or reach Medusa, make sure it has the orders, measure."""
    with _medusa(args, settings) as (medusa_settings, place):
        return asyncio.run(_bench(args, medusa_settings, place))


async def _bench(args: argparse.Namespace, settings: Settings, place: Placer | None) -> int:
    shop = build_medusa(settings)
    await start_shop(shop)
    try:
        orders = [o async for o in shop.orders()]
        if len(orders) < args.orders and place is not None:
            started = time.monotonic()
            await asyncio.to_thread(place, args.orders - len(orders))
            print(f"placed {args.orders - len(orders)} orders through the store checkout in "
                  f"{time.monotonic() - started:.1f} s", flush=True)
            orders = [o async for o in shop.orders()]
        if len(orders) < args.orders:
            print(f"Medusa has {len(orders)} orders, fewer than --orders {args.orders}: measuring with those")
        pending = [o.external_id for o in orders if o.status == "pending"]  # the ones whose address may change
        if not pending:
            raise CommandError("Medusa has no pending orders to read and change (use --start-medusa to place some)")
        ids = [o.external_id for o in orders]
        reads = await _timed([lambda i=random.choice(ids): shop.order(i) for _ in range(args.reads)])
        changes = [await _change(shop, pending[n % len(pending)], n) for n in range(args.changes)]
        store = Store(":memory:")
        report = await ShopSync(store, shop).full()
        store.close()
    finally:
        await shop.close()
    print(f"order read   ({args.reads}): p50={np.percentile(reads, 50):.1f} ms p95={np.percentile(reads, 95):.1f} ms")
    print(f"address change ({args.changes}): p50={np.percentile(changes, 50):.1f} ms "
          f"p95={np.percentile(changes, 95):.1f} ms")
    print(f"full sync: {report.orders} orders and {report.products} products in {report.seconds:.1f} s = "
          f"{report.orders / max(report.seconds, 1e-9):.1f} orders/s ({len(report.failed)} failed)")
    return 0


async def _change(shop: ShopBackend, order_id: str, n: int) -> float:
    """Milliseconds of one address change; the order's own first line is put back afterwards (untimed)."""
    before = await shop.order(order_id)
    line1 = (before.address or {}).get("line1") if before else None
    started = time.perf_counter()
    await shop.apply(UpdateShippingAddress(order_id, {"line1": f"{n + 1} Bench Street"}), f"bench-{n}")
    elapsed = (time.perf_counter() - started) * 1000
    if line1:
        await shop.apply(UpdateShippingAddress(order_id, {"line1": line1}), f"bench-{n}-back")
    return elapsed


async def _timed(calls: list[Callable[[], object]]) -> list[float]:
    """Milliseconds of each call, one after another."""
    ms = []
    for call in calls:
        started = time.perf_counter()
        await call()  # type: ignore[misc]
        ms.append((time.perf_counter() - started) * 1000)
    return ms


@contextmanager
def _medusa(args: argparse.Namespace, settings: Settings) -> Iterator[tuple[Settings, Placer | None]]:
    """The settings to reach Medusa by, and how to place orders (with --start-medusa only)."""
    if not args.start_medusa:
        if not settings.medusa_url:
            raise CommandError("set MEDUSA_URL and its credentials (docs/SHOPS.md), or use --start-medusa")
        yield settings, None
        return
    try:
        from tests.pg import PostgresServer
        from tests.shops.medusa.harness import ADMIN_EMAIL, ADMIN_PASSWORD, MedusaError, start_medusa, tools_missing
    except ImportError:
        raise CommandError("--start-medusa needs the source checkout (tests/shops/medusa/harness.py)") from None
    missing = tools_missing()
    if missing:
        raise CommandError(f"--start-medusa: {missing}")
    folder = tempfile.mkdtemp(prefix="kefu-bench-medusa-")
    postgres = PostgresServer()
    postgres.start(folder)
    server = None
    try:
        started = time.monotonic()
        server, medusa = start_medusa(postgres, folder)
        print(f"started PostgreSQL and Medusa in {time.monotonic() - started:.1f} s", flush=True)
        customers = [medusa.unique_email("bench") for _ in range(20)]
        skus = ("CASE-STD", "SHIRT-M-WHT")
        for sku in skus:  # enough stock for every order
            medusa.admin("POST", f"/admin/inventory-items/{medusa.seeded.inventory_items[sku]}/location-levels/"
                         f"{medusa.seeded.stock_location_id}", {"stocked_quantity": 1_000_000})
        variants = [medusa.seeded.variants[sku] for sku in skus]

        def place(count: int) -> None:
            with ThreadPoolExecutor(PLACE_WORKERS) as pool:
                list(pool.map(lambda n: medusa.place_order(customers[n % len(customers)], [(variants[n % 2], 1)],
                                                                capture=False),
                              range(count)))
        yield settings.model_copy(update={"medusa_url": medusa.base_url, "medusa_admin_email": ADMIN_EMAIL,
                                          "medusa_admin_password": SecretStr(ADMIN_PASSWORD),
                                          "medusa_api_key": None}), place
    except MedusaError as exc:
        raise CommandError(f"--start-medusa: {str(exc).splitlines()[0]}") from None
    finally:
        if server is not None:
            server.stop()
        postgres.stop()
        shutil.rmtree(folder, ignore_errors=True)
