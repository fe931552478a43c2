"""One turn at a time per conversation across worker processes: this worker's FIFO lock first (so at
most one of its turns per conversation waits on the server), then PostgreSQL's session advisory lock
on the conversation's key, on a pooled connection. The server grants waiting advisory locks in the
order they were asked for, so turns keep their arrival order across workers; a crashed worker's
session ends and its locks with it."""
from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import psycopg
from psycopg_pool import AsyncConnectionPool

from core.store.engine.advisory import advisory_key
from core.ordering import ConversationLocks, TurnLocks

__all__ = ["AdvisoryTurnLocks"]

log = logging.getLogger(__name__)


class AdvisoryTurnLocks(TurnLocks):
    """The local FIFO lock, then ``pg_advisory_lock(key)`` held for the turn on a connection of ``pool``."""

    def __init__(self, pool: AsyncConnectionPool, local: ConversationLocks | None = None) -> None:
        self._pool = pool
        self._local = local if local is not None else ConversationLocks()  # an empty one is falsy

    @asynccontextmanager
    async def hold(self, conversation_id: str) -> AsyncIterator[None]:
        """Wait for earlier turns of this conversation here, then on the server, then run this one."""
        key = advisory_key(conversation_id)
        async with self._local.hold(conversation_id), self._pool.connection() as connection:
            try:
                await connection.execute("select pg_advisory_lock(%s)", [key])
            except BaseException:  # cancelled or failed: whether the server granted it is unknown
                await connection.close()  # ending the session frees whatever it holds
                raise
            try:
                yield
            finally:
                await _unlock(connection, key)


async def _unlock(connection: psycopg.AsyncConnection, key: int) -> None:
    """Release the turn's lock; a failure closes the connection (its session's locks go with it) and
    does not undo the turn, which has committed already."""
    try:
        await connection.execute("select pg_advisory_unlock(%s)", [key])
    except psycopg.Error as exc:
        log.warning("turn lock release failed (%s); its connection is closed instead", type(exc).__name__)
        await connection.close()
    except BaseException:
        await connection.close()
        raise
