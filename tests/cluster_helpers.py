"""Workers for the cluster tests: each an assistant on its own store connection and its own
coordination pool over one PostgreSQL database, with a sentiment stage that takes its time and
records when each turn ran."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.app import build_assistant
from bot.settings import Settings
from core.assistant import Assistant
from core.cluster.pool import open_pool
from core.cluster.turn_locks import AdvisoryTurnLocks
from core.messages import Identity, InboundMessage, Language
from core.ordering import ConversationLocks
from core.sentiment.base import Sentiment, SentimentAnalyzer
from core.store import Store


class SlowSentiment(SentimentAnalyzer):
    """The real analyser, after ``delay_s``; each turn's start and end go to ``events`` as
    (``"start"`` | ``"end"``, worker, text)."""

    def __init__(self, inner: SentimentAnalyzer, worker: str, events: list[tuple[str, str, str]],
                 delay_s: float) -> None:
        self._inner, self._worker, self._events, self._delay_s = inner, worker, events, delay_s

    async def analyze(self, text: str, language: Language) -> Sentiment:
        self._events.append(("start", self._worker, text))
        await asyncio.sleep(self._delay_s)
        self._events.append(("end", self._worker, text))
        return await self._inner.analyze(text, language)


@asynccontextmanager
async def worker(url: str, settings: Settings, name: str, events: list, delay_s: float = 0.3,
                 shared_locks: bool = True) -> AsyncIterator[Assistant]:
    """One worker on ``url``: its own store connection and pool; ``shared_locks=False``: only the
    process's own locks (what the workers would do without the server's)."""
    store = Store(url)
    pool = await open_pool(url, 4, name=f"kefu test {name}")
    try:
        locks = AdvisoryTurnLocks(pool) if shared_locks else ConversationLocks()
        assistant = build_assistant(store, settings, locks=locks)
        assistant.components.sentiment = SlowSentiment(assistant.components.sentiment, name, events, delay_s)
        yield assistant
    finally:
        await pool.close()
        store.close()


def message(text: str, message_id: str, user: str = "shopper-1") -> InboundMessage:
    """A web chat message of ``user``."""
    return InboundMessage(Identity("web", user), text=text, message_id=message_id)


async def started(events: list, text: str, timeout_s: float = 10.0) -> None:
    """Wait until the turn of ``text`` has started somewhere."""
    async with asyncio.timeout(timeout_s):
        while not any(kind == "start" and said == text for kind, _, said in events):
            await asyncio.sleep(0.01)
