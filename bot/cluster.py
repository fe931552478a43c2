"""This worker's place among the ``kefu run`` workers on one database (docs/SCALING.md): on
PostgreSQL a coordination pool, turn locks across workers, the leader election and readiness on the
pool; on SQLite one process, its own leader, with the turn locks of the process."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from psycopg_pool import AsyncConnectionPool

from bot.settings import Settings
from core.cluster.leadership import AdvisoryLeadership, Leadership, LeaderWork, SoleLeader
from core.cluster.pool import open_pool
from core.cluster.readiness import PoolReadiness, StoreReadiness, WorkerStatus
from core.cluster.turn_locks import AdvisoryTurnLocks
from core.ordering import TurnLocks
from core.store import Store


@dataclass
class Cluster:
    """What ``kefu run`` needs to share the database with other workers."""

    status: WorkerStatus
    locks: TurnLocks | None
    """The assistant's turn locks (None: the assistant's own, one process)."""
    pool: AsyncConnectionPool | None = None

    @property
    def leadership(self) -> Leadership:
        """Who runs the leader-only work."""
        return self.status.leadership

    async def lead(self, work: Sequence[LeaderWork]) -> None:
        """Run ``work`` whenever this worker leads (at once on SQLite)."""
        await self.leadership.start(work)

    async def close(self) -> None:
        """Stop the leader-only work (if still running), leave the election, close the pool."""
        await self.leadership.stop()
        if self.pool is not None:
            await self.pool.close()


async def join_cluster(settings: Settings, store: Store) -> Cluster:
    """This worker's cluster: on PostgreSQL (``KEFU_DATABASE_URL``) opens the coordination pool
    (:class:`core.store.engine.DatabaseUnreachable` when it cannot), else the one process on SQLite."""
    url = settings.kefu_database_url
    if url is None:
        return Cluster(WorkerStatus(settings.worker_id, StoreReadiness(store), SoleLeader()), None)
    pool = await open_pool(url, settings.kefu_database_pool_size, name=f"kefu {settings.worker_id}"[:63])
    status = WorkerStatus(settings.worker_id, PoolReadiness(pool, store.owned_versions),
                          AdvisoryLeadership(url, settings.worker_id))
    return Cluster(status, AdvisoryTurnLocks(pool), pool)
