"""Pacing under platform limits: at most ``rate_per_s`` messages per second overall and one per
``chat_interval_s`` per chat (Telegram: 30/s overall, about 1/s per chat).

:class:`PaceSchedule` is the pure part: given the clock, it hands out start times. Each
reservation follows the previous one by ``1 / rate_per_s`` (not the time it was asked), so many
senders waiting together keep the full rate even when each send is slow."""
from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


class PaceSchedule:
    """Start times for sends, by a monotonic clock."""

    def __init__(self, rate_per_s: float, chat_interval_s: float, clock: Callable[[], float] = time.monotonic) -> None:
        if rate_per_s <= 0:
            raise ValueError("rate_per_s must be positive")
        self._gap = 1.0 / rate_per_s
        self._chat_interval = chat_interval_s
        self._clock = clock
        self._next_any = 0.0
        self._next_chat: dict[str, float] = {}

    def reserve(self, chat: str) -> float:
        """The clock time at which a send to ``chat`` may start; that slot is taken."""
        now = self._clock()
        start = max(now, self._next_any, self._next_chat.get(chat, 0.0))
        self._next_any = start + self._gap
        self._next_chat[chat] = start + self._chat_interval
        if len(self._next_chat) > 10_000:
            self._next_chat = {c: t for c, t in self._next_chat.items() if t > now}
        return start


class Pacer:
    """Waits for a reserved slot before each send."""

    def __init__(self, schedule: PaceSchedule, clock: Callable[[], float] = time.monotonic) -> None:
        self._schedule = schedule
        self._clock = clock

    async def wait(self, chat: str) -> None:
        """Return when a send to ``chat`` may start."""
        delay = self._schedule.reserve(chat) - self._clock()
        if delay > 0:
            await asyncio.sleep(delay)
