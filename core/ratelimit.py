"""Per-shopper rate limiting of inbound messages: a sliding window of recent arrival times."""
from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable


class RateLimiter:
    """Allows at most ``limit`` messages per ``window_s`` seconds for each key (a conversation id).
    Channels in ``exempt_channels`` (the operator's own terminal and script channels) are not limited.

    Memory stays bounded: a key's deque holds at most ``limit`` times, and keys idle for a whole
    window are dropped on the next sweep."""

    def __init__(self, limit: int, window_s: float, clock: Callable[[], float] = time.monotonic,
                 exempt_channels: frozenset[str] = frozenset()) -> None:
        if limit < 1 or window_s <= 0:
            raise ValueError("a rate limit needs limit >= 1 and window_s > 0")
        self.limit = limit
        self.window_s = window_s
        self.exempt_channels = exempt_channels
        self._clock = clock
        self._seen: dict[str, deque[float]] = {}
        self._next_sweep = clock() + window_s

    def allow(self, key: str, channel: str = "") -> bool:
        """Record one message for ``key``; False when it is over the limit (the refused one is not counted).
        Messages on an exempt channel are always allowed."""
        if channel in self.exempt_channels:
            return True
        now = self._clock()
        if now >= self._next_sweep:
            self._sweep(now)
        times = self._seen.setdefault(key, deque())
        while times and times[0] <= now - self.window_s:
            times.popleft()
        if len(times) >= self.limit:
            return False
        times.append(now)
        return True

    def _sweep(self, now: float) -> None:
        self._seen = {key: times for key, times in self._seen.items() if times and times[-1] > now - self.window_s}
        self._next_sweep = now + self.window_s
