"""The lifecycle every fake platform shares: an aiohttp application on 127.0.0.1."""
from __future__ import annotations

from typing import Self

from aiohttp import web


class LoopbackServer:
    """Serves :meth:`add_routes` on a free port of 127.0.0.1 (:meth:`start`, :meth:`stop`). For outage
    tests :meth:`go_down` refuses connections until :meth:`come_back` listens again on the same port,
    with everything the fake recorded kept. Subclasses build their ``base_url`` from :attr:`port`."""

    def __init__(self) -> None:
        self._runner: web.AppRunner | None = None
        self.port = 0

    def add_routes(self, app: web.Application) -> None:
        """The fake's routes."""
        raise NotImplementedError

    async def start(self) -> Self:
        """Listen (on a free port the first time, on the same one after :meth:`go_down`)."""
        app = web.Application()
        self.add_routes(app)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)  # a slow answer never holds up stop
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        """Stop listening."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def go_down(self) -> None:
        """An outage: connections are refused until :meth:`come_back`."""
        await self.stop()

    async def come_back(self) -> None:
        """End the outage: listen again on the same port."""
        await self.start()
