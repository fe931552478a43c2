"""Which worker holds an open socket of which session, so that a promotion goes out only while the
shopper has a page open on some worker (docs/SCALING.md).

:class:`StorePresence` keeps a row per (channel, user, worker) in ``socket_presence`` and a heartbeat
per worker in ``fanout_workers``, refreshed every :data:`HEARTBEAT_S` (the user id hashed: a web
session id is the shopper's credential); the rows of a worker whose heartbeat is older than
:data:`STALE_S` (it was killed) are ignored, and removed when a worker starts and at every heartbeat."""
from __future__ import annotations

import asyncio
import contextlib
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import datetime, timedelta

import sqlite_utils

from core import clock
from core.store.hashed import hashed_key

log = logging.getLogger(__name__)

HEARTBEAT_S = 5.0
STALE_S = 15.0


class Presence(ABC):
    """This worker's sessions with an open socket, as the other workers see them."""

    @abstractmethod
    async def start(self) -> None:
        """Announce this worker (and begin its heartbeat)."""

    @abstractmethod
    def join(self, channel: str, user_id: str) -> None:
        """This worker now holds a socket of ``user_id`` (its first)."""

    @abstractmethod
    def leave(self, channel: str, user_id: str) -> None:
        """This worker holds no socket of ``user_id`` any more."""

    @abstractmethod
    def elsewhere(self, channel: str, user_id: str) -> bool:
        """Whether another live worker holds a socket of ``user_id``."""

    @abstractmethod
    async def stop(self) -> None:
        """Withdraw this worker and its sessions."""


class LocalPresence(Presence):
    """One worker: there is no elsewhere."""

    async def start(self) -> None:
        """Nothing to announce."""

    def join(self, channel: str, user_id: str) -> None:
        """The channel's own registry knows."""

    def leave(self, channel: str, user_id: str) -> None:
        """The channel's own registry knows."""

    def elsewhere(self, channel: str, user_id: str) -> bool:
        """Never."""
        return False

    async def stop(self) -> None:
        """Nothing to withdraw."""


class StorePresence(Presence):
    """Presence rows in the store, shared by the workers on one database (see the module docstring)."""

    def __init__(self, db: sqlite_utils.Database, worker: str, heartbeat_s: float = HEARTBEAT_S,
                 stale_s: float = STALE_S, now: Callable[[], datetime] | None = None) -> None:
        self._db = db
        self.worker = worker
        self._heartbeat_s = heartbeat_s
        self._stale = timedelta(seconds=stale_s)
        self._now = now or clock.utc_now
        self._beating: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Write this worker's heartbeat, remove the rows of stale workers, beat every few seconds."""
        self._announce()
        self.clean()
        self._beating = asyncio.get_running_loop().create_task(self._beat())

    def join(self, channel: str, user_id: str) -> None:
        """Record that this worker holds a socket of ``user_id``."""
        self._db.execute("insert into socket_presence (channel, user_key, worker, connected_at) values (?, ?, ?, ?) "
                         "on conflict(channel, user_key, worker) do nothing",
                         [channel, hashed_key(user_id), self.worker, self._stamp()])

    def leave(self, channel: str, user_id: str) -> None:
        """Remove this worker's row of ``user_id``."""
        self._db.execute("delete from socket_presence where channel = ? and user_key = ? and worker = ?",
                         [channel, hashed_key(user_id), self.worker])

    def elsewhere(self, channel: str, user_id: str) -> bool:
        """Whether a worker other than this one, with a fresh heartbeat, holds a socket of ``user_id``."""
        row = self._db.execute(
            "select 1 from socket_presence p join fanout_workers w on w.worker = p.worker "
            "where p.channel = ? and p.user_key = ? and p.worker <> ? and w.heartbeat_at >= ? limit 1",
            [channel, hashed_key(user_id), self.worker, self._stamp(self._now() - self._stale)]).fetchone()
        return row is not None

    def clean(self) -> None:
        """Remove the workers whose heartbeat is stale and every presence row without a live worker."""
        cutoff = self._stamp(self._now() - self._stale)
        with self._db.atomic():
            self._db.execute("delete from fanout_workers where heartbeat_at < ?", [cutoff])
            self._db.execute("delete from socket_presence where worker not in (select worker from fanout_workers)")

    async def stop(self) -> None:
        """Stop the heartbeat and remove this worker's rows."""
        if self._beating is not None:
            self._beating.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._beating
            self._beating = None
        with self._db.atomic():
            self._db.execute("delete from socket_presence where worker = ?", [self.worker])
            self._db.execute("delete from fanout_workers where worker = ?", [self.worker])

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(self._heartbeat_s)
            try:
                self._announce()
                self.clean()
            except Exception as exc:  # the database away for a moment: the next beat tries again
                log.warning("presence heartbeat failed: %s", type(exc).__name__)

    def _announce(self) -> None:
        """This worker's heartbeat row, now (written again if another worker removed it as stale)."""
        now = self._stamp()
        self._db.execute("insert into fanout_workers (worker, started_at, heartbeat_at) values (?, ?, ?) "
                         "on conflict(worker) do update set heartbeat_at = excluded.heartbeat_at",
                         [self.worker, now, now])

    def _stamp(self, moment: datetime | None = None) -> str:
        """An ISO timestamp with milliseconds (``clock.utc_now_iso``'s seconds are too coarse for 15 s)."""
        return (moment or self._now()).isoformat(timespec="milliseconds")

