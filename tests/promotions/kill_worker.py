"""The dispatcher in a process of its own, for the kill -9 test: ``python kill_worker.py STORE PLATFORM``.

It recovers what an earlier (killed) run left mid-send, then sends everything due through a fake
platform: a separate SQLite file where every message received is appended with its key (no
uniqueness, so a duplicate would show). Prints "done" and exits when nothing is left."""
from __future__ import annotations

import asyncio
import sqlite3
import sys
from datetime import time

from core.messages import Identity, Reply
from core.promotions.campaigns import Campaigns
from core.promotions.respect import Respect, RespectRules
from core.store import Store
from scheduler.dispatch import DispatchConfig, Dispatcher
from scheduler.pacing import Pacer, PaceSchedule
from tests.fakes.channel import RecordingChannel


class RecordingPlatform(RecordingChannel):
    """A fake platform that records every message it receives, and can say whether a key arrived."""

    name = "telegram"

    def __init__(self, path: str) -> None:
        super().__init__()
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.execute("create table if not exists received (key text, user_id text, text text)")

    async def push(self, key: str, identity: Identity, reply: Reply) -> None:
        await asyncio.sleep(0.002)  # the network
        self._db.execute("insert into received values (?, ?, ?)", [key, identity.user_id, reply.text])

    def delivered(self, key: str) -> bool:
        return self._db.execute("select 1 from received where key = ?", [key]).fetchone() is not None


async def main(store_path: str, platform_path: str) -> None:
    store = Store(store_path)
    campaigns = Campaigns(store.db)
    dispatcher = Dispatcher(campaigns, {"telegram": RecordingPlatform(platform_path)},
                            Respect(store.db, RespectRules(time(0), time(0), weekly_cap=100)),
                            Pacer(PaceSchedule(150, 0)), DispatchConfig(concurrency=16))
    print("recovered", dispatcher.recover(), flush=True)
    await dispatcher.run_due()
    print("done", flush=True)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2]))
