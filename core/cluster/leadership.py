"""Exactly one leader among the workers, for the work that must run once (the promotions scheduler,
Telegram's long polling).

:class:`SoleLeader` is the one process of an SQLite install: always the leader. :class:`AdvisoryLeadership`
elects one on PostgreSQL: ``pg_try_advisory_lock(LEADER_KEY)`` on a dedicated connection, tried again
by followers every ``check_s``. The leader checks its connection as often; when a check fails
(or takes longer than ``query_timeout_s``) it stops the leader-only work before it closes the
connection. A new leader waits ``grace_s`` (a check and its timeout) after taking the lock before it
starts that work, so a deposed leader has noticed first; and the leader's session is ended by the
server after ``session_timeout_s`` without a check, so a leader cut off from the network has stopped
its work long before the lock is free. A killed leader's session ends at once: another worker leads
within ``check_s + grace_s``."""
from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import psycopg

from core.store.engine.advisory import advisory_key
from core.store.engine.reach import CONNECT_OPTIONS

__all__ = ["AdvisoryLeadership", "LEADER_KEY", "LeaderTiming", "LeaderWork", "Leadership", "SoleLeader", "TaskWork"]

log = logging.getLogger(__name__)

LEADER_KEY = advisory_key("kefu:leader")
"""The advisory lock the leader holds (advisory locks are per database: one leader per store)."""


class LeaderWork(Protocol):
    """Something only the leader runs: started when it is elected, stopped when it is not any more."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


class TaskWork:
    """Leader-only work that is one background task: ``run()`` started, cancelled when it stops."""

    def __init__(self, run: Callable[[], Coroutine[Any, Any, None]], name: str) -> None:
        self._run, self._name = run, name
        self._task: asyncio.Task | None = None

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=self._name)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None


class Leadership(ABC):
    """Runs the leader-only work while this worker leads."""

    def __init__(self) -> None:
        self._work: list[LeaderWork] = []
        self._running: list[LeaderWork] = []
        self._leading = False

    @property
    def is_leader(self) -> bool:
        """Whether this worker leads now (its leader-only work is running)."""
        return self._leading

    @abstractmethod
    async def start(self, work: Sequence[LeaderWork]) -> None:
        """Run ``work`` (started in order, stopped in reverse) whenever this worker leads, from now on."""

    @abstractmethod
    async def stop(self) -> None:
        """Stop the leader-only work if it runs and stop taking part in the election."""

    async def _lead(self) -> None:
        """Start the work in order; one that fails to start stops those started before it, and raises."""
        try:
            for each in self._work:
                await each.start()
                self._running.append(each)
        except BaseException:
            await self._step_down()
            raise
        self._leading = True

    async def _step_down(self) -> None:
        """Stop the running work in reverse order (a failing stop is logged, the others still stop)."""
        self._leading = False
        while self._running:
            each = self._running.pop()
            try:
                await each.stop()
            except Exception:
                log.exception("stopping leader-only work %s failed", type(each).__name__)


class SoleLeader(Leadership):
    """One process (SQLite): always the leader; the work starts with :meth:`start`."""

    @property
    def is_leader(self) -> bool:
        return True

    async def start(self, work: Sequence[LeaderWork]) -> None:
        self._work = list(work)
        await self._lead()

    async def stop(self) -> None:
        await self._step_down()


@dataclass(frozen=True)
class LeaderTiming:
    """How often followers try the lock and the leader checks its connection, and how long a check may take."""

    check_s: float = 1.0
    query_timeout_s: float = 1.0

    @property
    def grace_s(self) -> float:
        """How long a new leader waits before starting the work: a deposed one has noticed by then."""
        return self.check_s + self.query_timeout_s

    @property
    def session_timeout_s(self) -> float:
        """The leader's session ends this long after its last check (PostgreSQL's ``idle_session_timeout``)."""
        return 3 * self.grace_s


class AdvisoryLeadership(Leadership):
    """The leader holds ``pg_try_advisory_lock(key)`` on its own connection to ``url``."""

    def __init__(self, url: str, worker: str, timing: LeaderTiming = LeaderTiming(), key: int = LEADER_KEY) -> None:
        super().__init__()
        self._url, self._worker, self._timing, self._key = url, worker, timing, key
        self._campaign: asyncio.Task | None = None

    @property
    def application_name(self) -> str:
        """How the election's connection is named in ``pg_stat_activity``."""
        return f"kefu leader election {self._worker}"[:63]

    async def start(self, work: Sequence[LeaderWork]) -> None:
        self._work = list(work)
        self._campaign = asyncio.create_task(self._elect_forever(), name="leader-election")

    async def stop(self) -> None:
        if self._campaign is not None:
            self._campaign.cancel()
            await asyncio.gather(self._campaign, return_exceptions=True)
            self._campaign = None
        await self._step_down()

    async def _elect_forever(self) -> None:
        while True:
            try:
                await self._term()
            except (psycopg.Error, OSError, TimeoutError) as exc:
                log.warning("leader election: %s (%s); trying again", type(exc).__name__,
                            str(exc).splitlines()[0] if str(exc) else "")
            except Exception:
                log.exception("leader-only work failed to start; giving the lead up")
            await asyncio.sleep(self._timing.check_s)

    async def _term(self) -> None:
        """Connect, wait for the lock, lead until the connection fails; the work stops before the
        connection (and so the lock) is given up."""
        connection = await psycopg.AsyncConnection.connect(self._url, autocommit=True,
                                                           application_name=self.application_name,
                                                           **CONNECT_OPTIONS)
        try:
            await self._limit_idle(connection)
            while not await self._check(connection, "select pg_try_advisory_lock(%s)", [self._key]):
                await asyncio.sleep(self._timing.check_s)
            log.info("worker %s took the leader lock; leading in %.0f s", self._worker, self._timing.grace_s)
            await asyncio.sleep(self._timing.grace_s)
            await self._check(connection, "select true")
            try:
                await self._lead()
                log.info("worker %s leads", self._worker)
                while True:
                    await asyncio.sleep(self._timing.check_s)
                    await self._check(connection, "select true")
            finally:
                was_leading = self._leading
                await self._step_down()
                if was_leading:
                    log.warning("worker %s no longer leads", self._worker)
        finally:
            await connection.close()

    async def _check(self, connection: psycopg.AsyncConnection, sql: str, params: list | None = None) -> bool:
        """One short statement's boolean answer, within ``query_timeout_s``."""
        async with asyncio.timeout(self._timing.query_timeout_s):
            row = await (await connection.execute(sql, params)).fetchone()
        return bool(row and row[0])

    async def _limit_idle(self, connection: psycopg.AsyncConnection) -> None:
        """Have the server end this session when it has not heard from us for ``session_timeout_s``
        (PostgreSQL 14 and newer; older servers rely on TCP keepalives alone)."""
        milliseconds = int(self._timing.session_timeout_s * 1000)
        try:
            await connection.execute(f"set idle_session_timeout = {milliseconds}")
        except psycopg.errors.UndefinedObject:
            log.warning("this PostgreSQL has no idle_session_timeout: a cut-off leader is noticed by keepalives only")
