"""Channels served as ``kefu run`` serves them, for tests: an HTTP host on a free port of 127.0.0.1 with
every route mounted, started first; the channels started in order, stopped in reverse, the host last."""
from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

from aiohttp import web

from adapters.forwarded import Forwarding
from adapters.http import HttpHost
from bot.channels import host_routes
from core.channel import Channel
from core.store import Store


@asynccontextmanager
async def serving(*channels: Channel, store: Store | None = None, forwarding: Forwarding | None = None,
                  routes: Iterable[web.AbstractRouteDef] = ()) -> AsyncIterator[HttpHost]:
    """The started host serving ``channels``' routes, ``routes``, and with ``store`` health, metrics and
    the data-export links."""
    host = HttpHost("127.0.0.1", 0, forwarding)
    host.mount(routes)
    if store is not None:
        host.register(host_routes(store))
    host.register(channels)
    await host.start()
    started: list[Channel] = []
    try:
        for channel in channels:
            await channel.start()
            started.append(channel)
        yield host
    finally:
        for channel in reversed(started):
            await channel.stop()
        await host.stop()
