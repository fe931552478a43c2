"""The workers' coordination connections: an ``AsyncConnectionPool`` beside the store's own
connection (the turn locks and readiness checks use it), and the advisory lock keys."""
from __future__ import annotations

import psycopg
from psycopg_pool import AsyncConnectionPool

from core.store.engine.reach import CONNECT_OPTIONS, DatabaseUnreachable

__all__ = ["open_pool"]


async def open_pool(url: str, size: int, name: str = "kefu") -> AsyncConnectionPool:
    """An open pool of up to ``size`` autocommit connections to ``url`` (one made now, to fail early;
    each checked when it is handed out, so a restarted server costs no turn);
    :class:`DatabaseUnreachable` when the server cannot be reached within the connect timeout."""
    pool = AsyncConnectionPool(url, min_size=1, max_size=size, open=False, name=name,
                               check=AsyncConnectionPool.check_connection,  # a connection the server ended is replaced
                               kwargs={"autocommit": True, "application_name": name, **CONNECT_OPTIONS})
    try:
        await pool.open(wait=True, timeout=CONNECT_OPTIONS["connect_timeout"] + 1)
    except psycopg.OperationalError as exc:  # the pool's timeout: its own attempts failed
        await pool.close()
        raise DatabaseUnreachable(url, await _why(url, exc)) from None
    return pool


async def _why(url: str, timeout: Exception) -> Exception:
    """The connection error behind a pool's timeout (the pool itself only says it timed out)."""
    try:
        connection = await psycopg.AsyncConnection.connect(url, **CONNECT_OPTIONS)
    except psycopg.OperationalError as exc:
        return exc
    await connection.close()
    return timeout
