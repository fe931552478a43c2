"""Whether this worker can serve (``/healthz``): the database answers, quickly, and holds every
migration this release knows (the core's schema and each registered adapter's own tables)."""
from __future__ import annotations

import asyncio
import os
import socket
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import psycopg
from psycopg_pool import AsyncConnectionPool

from core.cluster.leadership import Leadership
from core.store import Store
from core.store.engine import DatabaseError
from core.store.migrations import MIGRATIONS

__all__ = ["PoolReadiness", "Readiness", "StoreReadiness", "WorkerStatus", "behind", "default_worker"]

CORE_VERSION = "select coalesce(max(version), 0) from schema_migrations"
OWNED_VERSIONS = "select owner, max(version) from owned_migrations group by owner"


def default_worker() -> str:
    """This worker's id when none is configured: ``hostname:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"


def behind(core_version: int, owned: Iterable[tuple[str, int]], expected: Mapping[str, int]) -> str | None:
    """What the database lacks, e.g. "not migrated: schema 40 of 42, telegram 1 of 3"; None when nothing."""
    have = dict(owned)
    missing = [f"schema {core_version} of {len(MIGRATIONS)}"] if core_version < len(MIGRATIONS) else []
    missing += [f"{owner} {have.get(owner, 0)} of {version}" for owner, version in sorted(expected.items())
                if have.get(owner, 0) < version]
    return f"not migrated: {', '.join(missing)}" if missing else None


class Readiness(ABC):
    """Why this worker cannot serve now, if it cannot."""

    @abstractmethod
    async def problem(self) -> str | None:
        """None when ready, else a short reason ("database unreachable", "not migrated: …")."""


class StoreReadiness(Readiness):
    """Checked on the store's own connection (one process: the SQLite file, or a test's store)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    async def problem(self) -> str | None:
        db = self._store.db
        try:
            return behind(db.execute(CORE_VERSION).fetchone()[0], db.execute(OWNED_VERSIONS).fetchall(),
                          self._store.owned_versions)
        except DatabaseError:
            return "database unreachable"


class PoolReadiness(Readiness):
    """Checked on a pooled connection within ``timeout_s`` (a worker on PostgreSQL: the loop never
    waits on a vanished server for longer)."""

    def __init__(self, pool: AsyncConnectionPool, expected: Mapping[str, int], timeout_s: float = 2.0) -> None:
        """``expected``: each adapter's own schema version (``Store.owned_versions``)."""
        self._pool, self._expected, self._timeout_s = pool, expected, timeout_s

    async def problem(self) -> str | None:
        try:
            async with asyncio.timeout(self._timeout_s):
                async with self._pool.connection(timeout=self._timeout_s) as connection:
                    version = (await (await connection.execute(CORE_VERSION)).fetchone())[0]
                    owned = await (await connection.execute(OWNED_VERSIONS)).fetchall()
        except psycopg.errors.UndefinedTable:
            return "not migrated: no schema"
        except (psycopg.Error, OSError, TimeoutError):
            return "database unreachable"
        return behind(version, owned, self._expected)


@dataclass(frozen=True)
class WorkerStatus:
    """What ``/healthz`` reports about this worker: its id, whether it is ready, whether it leads."""

    worker: str
    readiness: Readiness
    leadership: Leadership
