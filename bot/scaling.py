"""What the workers on one database share, chosen by the store's engine (docs/SCALING.md): on SQLite
(one process) rate limits live in memory and the web chat has no other worker to reach; on
PostgreSQL the limits are in the store, outbounds go through LISTEN/NOTIFY and the sessions each
worker holds a socket of are in the presence table, and so are the console's login sessions."""
from __future__ import annotations

from dataclasses import dataclass

from adapters.inbox.auth import StaffSessions
from adapters.inbox.staff_sessions import register as register_staff_sessions
from core.fanout import LocalBus, LocalPresence, OutboundBus, Presence, StorePresence, new_worker_id
from core.fanout.postgres import PostgresBus
from core.ratelimit import Limits, MemoryLimits
from core.store import Store
from core.store.engine import engine_of
from core.store.ratelimits import StoreLimits


@dataclass(frozen=True)
class Fanout:
    """The web chat's reach beyond this worker."""

    bus: OutboundBus
    presence: Presence


def shared(store: Store) -> bool:
    """Whether several workers may share this store (PostgreSQL)."""
    return engine_of(store.db) == "postgresql"


def limits_for(store: Store) -> Limits:
    """Where rate limits and lockouts count: the store when workers share it, else memory."""
    return StoreLimits(store.db) if shared(store) else MemoryLimits()


def fanout_for(store: Store, worker_name: str) -> Fanout:
    """The outbound bus and presence of the worker named ``worker_name`` (a new id from it each call)."""
    if not shared(store):
        return Fanout(LocalBus(), LocalPresence())
    worker = new_worker_id(worker_name)
    return Fanout(PostgresBus(store.db, worker), StorePresence(store.db, worker))


def staff_sessions_for(store: Store) -> StaffSessions | None:
    """Where the console's login sessions live: the store when workers share it, else None (memory)."""
    return register_staff_sessions(store) if shared(store) else None
