"""One turn at a time per conversation, many conversations at once.

:class:`TurnLocks` is the extension point the assistant holds a conversation's turn with;
:class:`ConversationLocks` serves one process (the default). Several worker processes on one
PostgreSQL database add an advisory lock across them (:mod:`core.cluster.turn_locks`)."""
from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager


class TurnLocks(ABC):
    """Who may run a turn of a conversation now: one turn at a time per conversation, in arrival order."""

    @abstractmethod
    def hold(self, conversation_id: str) -> AbstractAsyncContextManager[None]:
        """Wait for earlier turns of this conversation, in arrival order, then run this one."""


class ConversationLocks(TurnLocks):
    """A FIFO lock per conversation id in this process, dropped once nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._users: Counter[str] = Counter()

    @asynccontextmanager
    async def hold(self, conversation_id: str) -> AsyncIterator[None]:
        """Wait for earlier turns of this conversation, in arrival order, then run this one."""
        lock = self._locks.setdefault(conversation_id, asyncio.Lock())
        self._users[conversation_id] += 1
        try:
            async with lock:
                yield
        finally:
            self._users[conversation_id] -= 1
            if self._users[conversation_id] == 0:
                del self._users[conversation_id]
                del self._locks[conversation_id]

    def __len__(self) -> int:
        """How many conversations have a turn running or waiting."""
        return len(self._locks)
