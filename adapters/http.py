"""The one HTTP server of ``kefu run``: every channel's routes (the chat widget and its websocket,
platform webhooks, the staff inbox, the shop's endpoints) mounted on one aiohttp application.

Like Rasa's ``register(input_channels, app)``: :meth:`HttpHost.register` mounts the routes of
everything that has some (:class:`Routed`); the host knows no channel. Every handler sees the client's
own address and scheme (:mod:`adapters.forwarded`); malformed requests are one log line
(:mod:`adapters.serverlog`)."""
from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from aiohttp import web

from adapters.forwarded import Forwarding
from adapters.serverlog import SERVER_LOG
from core.cluster.leadership import SoleLeader
from core.cluster.readiness import StoreReadiness, WorkerStatus, default_worker
from core.observe import metrics
from core.store import Store
from core.store.engine import DatabaseError

log = logging.getLogger(__name__)

_SHUTDOWN_TIMEOUT_S = 5.0
"""How long stopping waits for running requests (a turn in progress) to finish."""


@runtime_checkable
class Routed(Protocol):
    """Anything that serves HTTP routes on the host (a channel's webhook, the staff inbox, …)."""

    def routes(self) -> list[web.AbstractRouteDef]:
        """The routes to mount (may be none, e.g. Slack in Socket Mode)."""


class HttpHost:
    """One aiohttp server on ``host:port`` for the routes mounted before :meth:`start`."""

    def __init__(self, host: str, port: int, forwarding: Forwarding | None = None) -> None:
        """``forwarding``: which reverse proxies name the client (none by default)."""
        self.host = host
        self._requested_port = port
        self._forwarding = forwarding or Forwarding()
        self._routes: list[web.AbstractRouteDef] = []
        self._runner: web.AppRunner | None = None

    def mount(self, routes: Iterable[web.AbstractRouteDef]) -> None:
        """Serve ``routes`` too; call before :meth:`start`."""
        if self._runner is not None:
            raise RuntimeError("mount routes before the HTTP host starts")
        self._routes.extend(routes)

    def register(self, mounted: Iterable[object]) -> None:
        """Mount the routes of each of ``mounted`` that has routes (channels without any are skipped)."""
        for each in mounted:
            if isinstance(each, Routed):
                self.mount(each.routes())

    @property
    def port(self) -> int:
        """The bound port once started (the real one when 0 was asked for), else the requested one."""
        if self._runner is not None and self._runner.addresses:
            return int(self._runner.addresses[0][1])
        return self._requested_port

    @property
    def url(self) -> str:
        """Base URL of the running server, e.g. ``http://127.0.0.1:8080/``."""
        return f"http://{self.host}:{self.port}/"

    def build_app(self) -> web.Application:
        """The aiohttp application with every mounted route; usable without :meth:`start` (tests)."""
        app = web.Application(middlewares=[self._forwarding.middleware])
        app.add_routes(self._routes)
        return app

    async def start(self) -> None:
        """Bind host:port and start serving."""
        if self._runner is not None:
            raise RuntimeError("the HTTP host already started")
        runner = web.AppRunner(self.build_app(), shutdown_timeout=_SHUTDOWN_TIMEOUT_S, access_log=None,
                               logger=SERVER_LOG)
        await runner.setup()
        try:
            await web.TCPSite(runner, self.host, self._requested_port).start()
        except OSError:
            await runner.cleanup()
            raise
        self._runner = runner
        log.info("listening on %s", self.url)

    async def stop(self) -> None:
        """Let running requests finish (up to a few seconds), release the port."""
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()


class ServiceRoutes:
    """The host's own routes: ``GET /healthz`` (readiness, who this worker is and whether it leads, two
    cheap counts) and ``GET /metrics``."""

    def __init__(self, store: Store, status: WorkerStatus | None = None) -> None:
        """``status``: this worker's readiness and leadership (default: one process on ``store``)."""
        self._store = store
        self._status = status or WorkerStatus(default_worker(), StoreReadiness(store), SoleLeader())

    def routes(self) -> list[web.AbstractRouteDef]:
        """Health and Prometheus metrics (docs/OPERATIONS.md)."""
        return [web.get("/healthz", self._healthz), web.get("/metrics", self._metrics)]

    async def _healthz(self, _request: web.Request) -> web.Response:
        """200 when the database answers and is migrated, else 503 with the reason."""
        status = self._status
        worker = {"worker": status.worker, "leader": status.leadership.is_leader}
        problem = await status.readiness.problem()
        if problem is None:
            try:
                counts = {"products": self._store.catalog.count(), "conversations": self._store.conversations.count()}
            except DatabaseError:  # the store's own connection is lost (it does not reconnect): restart the worker
                problem = "store connection lost"
        if problem is not None:
            return web.json_response({"status": "unavailable", "reason": problem, **worker}, status=503)
        return web.json_response({"status": "ok", **worker, **counts})

    async def _metrics(self, _request: web.Request) -> web.Response:
        return web.Response(body=metrics.exposition(), headers={"Content-Type": metrics.CONTENT_TYPE})
