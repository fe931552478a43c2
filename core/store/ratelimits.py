"""Rate limits kept in the store (``rate_hits``), so that several workers on one PostgreSQL database
share them (docs/SCALING.md): a hit is one short transaction that takes the key's lock, forgets the
key's expired hits, counts the rest and records the new one if there is room. Keys are stored hashed,
as the identity checks' ``auth_failures`` are: the table holds no client address or session id."""
from __future__ import annotations

import time

import sqlite_utils

from core.ratelimit import Clock, Limit, Limits
from core.store.engine import engine_of
from core.store.hashed import hashed_key

_PRUNE_EVERY = 200
"""Hits between two sweeps of every scope's expired rows (a key's own are forgotten at each hit)."""


class StoreRateLimiter(Limit):
    """A :class:`core.ratelimit.Limit` over the ``rate_hits`` table, its keys under ``scope``. The
    clock is the wall clock (workers share the rows), as seconds."""

    def __init__(self, db: sqlite_utils.Database, scope: str, limit: int, window_s: float,
                 clock: Clock = time.time, exempt_channels: frozenset[str] = frozenset()) -> None:
        super().__init__(limit, window_s, exempt_channels)
        self._db = db
        self.scope = scope
        self._clock = clock
        self._postgres = engine_of(db) == "postgresql"
        self._hits = 0

    def hit(self, key: str) -> bool:
        """Record one hit for ``key`` unless the window is full (one transaction, the key locked on
        PostgreSQL so that two workers cannot both take the last place)."""
        now, key = self._clock(), hashed_key(key)
        with self._db.atomic():
            if self._postgres:
                self._db.execute("select pg_advisory_xact_lock(hashtextextended(?, 0))", [f"{self.scope}:{key}"])
            self._db.execute("delete from rate_hits where scope = ? and key = ? and expires_at <= ?",
                             [self.scope, key, now])
            if self._live(key, now) >= self.limit:
                return False
            self._db.execute("insert into rate_hits (scope, key, expires_at) values (?, ?, ?)",
                             [self.scope, key, now + self.window_s])
        self._hits += 1
        if self._hits % _PRUNE_EVERY == 0:
            self._db.execute("delete from rate_hits where expires_at <= ?", [now])
        return True

    def count(self, key: str) -> int:
        """The hits of ``key`` inside the window, every worker's."""
        return self._live(hashed_key(key), self._clock())

    def reset(self, key: str) -> None:
        """Forget ``key``'s hits, every worker's."""
        self._db.execute("delete from rate_hits where scope = ? and key = ?", [self.scope, hashed_key(key)])

    def _live(self, key: str, now: float) -> int:
        row = self._db.execute("select count(*) from rate_hits where scope = ? and key = ? and expires_at > ?",
                               [self.scope, key, now]).fetchone()
        return int(row[0])


class StoreLimits(Limits):
    """Limits in the store, shared by every worker on the database."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self._db = db

    def window(self, scope: str, limit: int, window_s: float, clock: Clock | None = None,
               exempt_channels: frozenset[str] = frozenset()) -> Limit:
        """A :class:`StoreRateLimiter` under ``scope``."""
        return StoreRateLimiter(self._db, scope, limit, window_s, clock or time.time, exempt_channels)

