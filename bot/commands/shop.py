"""``kefu shop``: the shop's own system (``KEFU_SHOP_BACKEND``): check the connection, or sync its
catalogue and orders into Kefu's store (the cache search, recommendations and order lists run on)."""
from __future__ import annotations

import argparse
import asyncio
import sys

from tqdm import tqdm

from bot.errors import CommandError
from bot.settings import Settings
from bot.shops import build_shop
from core.shop.port import ShopBackend, ShopError
from core.shop.sync import ShopSync, SyncReport
from core.store import Store

NAME = "shop"
HELP = "the shop's own system: check the connection, or sync its catalogue and orders into Kefu's store"


def configure(parser: argparse.ArgumentParser) -> None:
    """``check`` or ``sync [--changed]``."""
    actions = parser.add_subparsers(dest="action", required=True)
    actions.add_parser("check", help="connect with the configured credentials and say what Kefu can change there")
    sync = actions.add_parser("sync", help="copy every product and order (progress on stderr, a report on stdout)")
    sync.add_argument("--changed", action="store_true",
                      help="only the orders updated since the last sync (what kefu run does periodically)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Exit status 1 when the shop cannot be reached or some records were refused, else 0."""
    store = Store(settings.store_target)
    try:
        return asyncio.run(_run(args, store, build_shop(settings, store)))
    finally:
        store.close()


async def _run(args: argparse.Namespace, store: Store, shop: ShopBackend) -> int:
    if shop.keeps_orders_in_store:
        print("KEFU_SHOP_BACKEND=local: Kefu's own store is the shop, there is nothing to sync "
              "(kefu import loads snapshots).")
        return 0
    try:
        await shop.start()
    except ShopError as exc:
        raise CommandError(f"cannot use the {shop.name} shop: {exc.reason}", status=1) from None
    try:
        if args.action == "check":
            print(f"{shop.name}: connected; Kefu can {', '.join(sorted(shop.capabilities)) or 'change nothing'} there")
            return 0
        report = await _sync(store, shop, args.changed)
    except ShopError as exc:
        raise CommandError(f"the sync from {shop.name} stopped: {exc.reason} (what was synced is kept)",
                           status=1) from None
    finally:
        await shop.close()
    print(summary(report))
    return 1 if report.failed else 0


async def _sync(store: Store, shop: ShopBackend, changed: bool) -> SyncReport:
    sync = ShopSync(store, shop)
    if changed:
        return await sync.reconcile()
    with tqdm(desc=f"syncing from {shop.name}", unit=" records", file=sys.stderr, disable=None) as bar:
        return await sync.full(lambda _kind: bar.update())


def summary(report: SyncReport) -> str:
    """The report: counts, time, and each refused record on its own line."""
    lines = [f"synced {report.products} products and {report.orders} orders in {report.seconds:.1f} s; "
             f"{len(report.failed)} refused"]
    return "\n".join(lines + [f"  refused: {reason}" for reason in report.failed])
