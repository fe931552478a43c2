"""Rate limits: at most ``limit`` hits per ``window_s`` seconds for each key, in a sliding window.

:class:`Limit` is the port; :class:`RateLimiter` keeps the recent hits in this process's memory (one
process on SQLite, the default), :class:`core.store.ratelimits.StoreRateLimiter` keeps them in the
database so that several workers on one PostgreSQL share them (docs/SCALING.md). :class:`Limits`
makes them: the wiring picks the kind for the store's engine, the users name a scope and a window."""
from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable

Clock = Callable[[], float]
"""Seconds, for one limiter's window (monotonic in memory, the wall clock when workers share it)."""


class Limit(ABC):
    """Allows at most ``limit`` hits per ``window_s`` seconds for each key (a conversation id, an
    address). Hits on a channel in ``exempt_channels`` (the operator's own terminal and script
    channels) are not limited."""

    def __init__(self, limit: int, window_s: float, exempt_channels: frozenset[str] = frozenset()) -> None:
        if limit < 1 or window_s <= 0:
            raise ValueError("a rate limit needs limit >= 1 and window_s > 0")
        self.limit = limit
        self.window_s = window_s
        self.exempt_channels = exempt_channels

    def allow(self, key: str, channel: str = "") -> bool:
        """Record one hit for ``key``; False when it is over the limit (the refused one is not counted).
        Hits on an exempt channel are always allowed."""
        return channel in self.exempt_channels or self.hit(key)

    @abstractmethod
    def hit(self, key: str) -> bool:
        """Record one hit for ``key`` unless the window is full; whether it was recorded."""

    @abstractmethod
    def count(self, key: str) -> int:
        """How many hits of ``key`` are inside the window now."""

    @abstractmethod
    def reset(self, key: str) -> None:
        """Forget every hit of ``key``."""


class RateLimiter(Limit):
    """The in-memory :class:`Limit`. Memory stays bounded: a key's deque holds at most ``limit``
    times, and keys idle for a whole window are dropped on the next sweep."""

    def __init__(self, limit: int, window_s: float, clock: Clock = time.monotonic,
                 exempt_channels: frozenset[str] = frozenset()) -> None:
        super().__init__(limit, window_s, exempt_channels)
        self._clock = clock
        self._seen: dict[str, deque[float]] = {}
        self._next_sweep = clock() + window_s

    def hit(self, key: str) -> bool:
        """Record one hit for ``key`` unless the window is full."""
        times = self._recent(key)
        if len(times) >= self.limit:
            return False
        times.append(self._clock())
        return True

    def count(self, key: str) -> int:
        """The hits of ``key`` inside the window."""
        return len(self._recent(key))

    def reset(self, key: str) -> None:
        """Forget ``key``'s hits."""
        self._seen.pop(key, None)

    def _recent(self, key: str) -> deque[float]:
        now = self._clock()
        if now >= self._next_sweep:
            self._sweep(now)
        times = self._seen.setdefault(key, deque())
        while times and times[0] <= now - self.window_s:
            times.popleft()
        return times

    def _sweep(self, now: float) -> None:
        self._seen = {key: times for key, times in self._seen.items() if times and times[-1] > now - self.window_s}
        self._next_sweep = now + self.window_s


class Limits(ABC):
    """Makes an install's limits, each under its own ``scope`` (a name no other limit uses)."""

    @abstractmethod
    def window(self, scope: str, limit: int, window_s: float, clock: Clock | None = None,
               exempt_channels: frozenset[str] = frozenset()) -> Limit:
        """A sliding-window limit (``clock``: the limit's own, for tests; else the kind's default)."""


class MemoryLimits(Limits):
    """Limits in this process's memory (one worker: SQLite)."""

    def window(self, scope: str, limit: int, window_s: float, clock: Clock | None = None,
               exempt_channels: frozenset[str] = frozenset()) -> Limit:
        """A :class:`RateLimiter` (``scope`` is not needed: nothing else shares its memory)."""
        return RateLimiter(limit, window_s, clock or time.monotonic, exempt_channels)
