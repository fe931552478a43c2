"""``kefu run``: start the store, the assistant, the HTTP host and every configured channel; stop cleanly.

Several workers may share one PostgreSQL store (docs/SCALING.md): each serves every channel's
routes; only the elected leader runs the promotions scheduler, Telegram's long polling, the
handoff waiting watch and the shop reconciliation."""
from __future__ import annotations

import asyncio
import logging
import signal
from functools import partial

from adapters.telegram import TelegramChannel
from bot.app import build_assistant, build_recommender, open_store, warm_up
from bot.channels import build_channels
from bot.cluster import join_cluster
from bot.handoff_wiring import WaitingWork, connect_handoff
from bot.promotions import build_promotions
from bot.settings import Settings
from bot.shops import reconcile_every, start_shop
from core.channel import Channel
from core.cluster.leadership import LeaderWork, TaskWork
from core.shop.local import LocalShop
from core.shop.sync import ShopSync

log = logging.getLogger(__name__)


async def serve(settings: Settings, stop: asyncio.Event | None = None) -> None:
    """Run until SIGINT/SIGTERM (or ``stop`` is set), then drain and shut every channel down in reverse
    order, the HTTP host last (it binds first: a webhook before its channel started gets 503, and is
    retried). Draining (docs/SCALING.md): new requests get 503 at once, the web chat lets its running
    turns finish and closes its sockets with 1012 so the widget reconnects, to another worker."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(sig, stop.set)
        except (NotImplementedError, RuntimeError):  # not the main thread, or not supported
            pass
    store = open_store(settings)
    try:
        cluster = await join_cluster(settings, store)
    except BaseException:
        store.close()
        raise
    recommender = build_recommender(store, settings)
    assistant = build_assistant(store, settings, recommender, locks=cluster.locks)
    warming = asyncio.create_task(warm_up(assistant))
    built = build_channels(assistant, settings, cluster.status)
    host, channels = built.host, built.channels
    promotions = build_promotions(store, recommender, channels, settings) if settings.kefu_scheduler_enabled else None
    started: list[Channel] = []
    staff = assistant.components.staff
    shop = assistant.components.shop or LocalShop(store)
    reconciling = None
    if not shop.keeps_orders_in_store and settings.kefu_shop_reconcile_minutes:
        reconciling = TaskWork(partial(reconcile_every, ShopSync(store, shop), settings.kefu_shop_reconcile_minutes),
                               "shop-reconcile")
    try:
        await start_shop(shop)
        await host.start()
        for channel in channels:
            await channel.start()
            started.append(channel)
        if staff is not None:
            connect_handoff(staff, started)
        watch = WaitingWork(staff, settings) if staff is not None else None
        await cluster.lead(leader_work(started, promotions, watch, reconciling))
        print(f"Kefu is running: web chat at {host.url}  (Ctrl-C stops)", flush=True)
        await stop.wait()
    finally:
        host.drain()  # first: new websockets and webhooks get 503, the balancer sends them elsewhere
        warming.cancel()
        await cluster.leadership.stop()  # the leader-only work stops first
        if staff is not None:
            await staff.stop()
        for channel in reversed(started):
            await channel.stop()
        await host.stop()
        await shop.close()
        await cluster.close()
        store.close()
        log.info("stopped")


def leader_work(channels: list[Channel], *others: LeaderWork | None) -> list[LeaderWork]:
    """What only the leader runs: Telegram's long polling (with several workers), then ``others``
    (the promotions, the handoff waiting watch, the shop reconciliation) where configured."""
    work: list[LeaderWork] = [poll for channel in channels if isinstance(channel, TelegramChannel)
                              for poll in channel.leader_work()]
    return work + [each for each in others if each is not None]
