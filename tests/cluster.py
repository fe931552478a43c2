"""Several ``kefu run`` workers on one private PostgreSQL database, for tests (tests/test_workers.py).

    with running_cluster(tmp_path, 3, KEFU_STAFF_PASSWORD="…") as cluster:   # a sync (module) fixture
        ...                                                                  # then, in an async test:
        shopper = Shopper("s1")
        frames = await shopper.say(http, cluster.workers[0], "hi", "m1")
        cluster.rows("select count(*) from messages")
        leader = await cluster.leader(http)
        cluster.kill(leader)

The workers are :class:`bot.benches.fleet.Fleet`'s (the bench starts them the same way); this module
adds the database (a fresh one on a :class:`tests.pg.PostgresServer`), SQL reads of the shared store,
``/healthz``'s leader, and a web chat shopper who may talk to any worker."""
from __future__ import annotations

import asyncio
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import psycopg

from bot.benches.fleet import Fleet, Worker, health_of
from tests.pg import PostgresServer

FAST = {"KEFU_PROMO_SYNC_SECONDS": "1", "KEFU_PROMO_QUIET_HOURS": "00:00-00:00", "KEFU_PROMO_RETRY_BASE_S": "1",
        "KEFU_PROMO_CHAT_INTERVAL_S": "0"}
"""Settings that let a test see promotions within seconds: campaigns picked up every second, no quiet
hours, quick retries."""


@dataclass
class Cluster:
    """The workers, their database, and reads of it."""

    fleet: Fleet
    database_url: str
    workers: list[Worker] = field(default_factory=list)

    def rows(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[tuple[Any, ...]]:
        """``sql`` run on the shared database (its own short connection)."""
        with psycopg.connect(self.database_url, autocommit=True) as db:
            return db.execute(sql, params).fetchall()

    def live(self) -> list[Worker]:
        """The workers still running."""
        return [worker for worker in self.workers if worker.alive]

    async def health(self, http: aiohttp.ClientSession) -> dict[str, dict[str, Any] | None]:
        """Every live worker's ``/healthz`` (None where it does not answer 200), by worker id."""
        live = self.live()
        answers = await asyncio.gather(*(health_of(http, worker) for worker in live))
        return {worker.worker_id: answer for worker, answer in zip(live, answers, strict=True)}

    async def leader(self, http: aiohttp.ClientSession, within: float = 0.0) -> Worker | None:
        """The one live worker whose ``/healthz`` says ``"leader": true``, polled for up to ``within`` s;
        None when there is none (or more than one) by then."""
        deadline = time.monotonic() + within
        while True:
            health = await self.health(http)
            leaders = [w for w in self.live() if (health.get(w.worker_id) or {}).get("leader") is True]
            if len(leaders) == 1 or time.monotonic() >= deadline:
                return leaders[0] if len(leaders) == 1 else None
            await asyncio.sleep(0.2)

    def kill(self, worker: Worker) -> None:
        """``kill -9`` the worker."""
        self.fleet.kill(worker)


@contextmanager
def running_cluster(tmp_path: Path, count: int, **settings: str) -> Iterator[Cluster]:
    """A private PostgreSQL, a fresh database ``kefu`` and ``count`` ready workers on it (with
    ``settings``); everything stopped afterwards."""
    server = PostgresServer()
    folder = tempfile.mkdtemp(prefix="kefu-pg-")  # not pytest's: the postgres user must reach it, and keep it
    server.start(folder)
    fleet: Fleet | None = None
    try:
        url = server.createdb("kefu").replace("postgres://", "postgresql://", 1)
        fleet = Fleet(tmp_path / "workers", url, settings)
        workers = asyncio.run(_started(fleet, count))
        yield Cluster(fleet, url, workers)
    finally:
        if fleet is not None:
            fleet.stop()
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


async def _started(fleet: Fleet, count: int) -> list[Worker]:
    async with aiohttp.ClientSession() as http:
        return await fleet.start(count, http)


@dataclass
class Shopper:
    """One web chat shopper: a session issued by the first worker spoken to, resumed on any other."""

    name: str
    session: str = ""
    sent: list[str] = field(default_factory=list)
    """Client ids of the messages sent, in order (a resend is not added again)."""

    @property
    def conversation_id(self) -> str:
        """The conversation in the store."""
        return f"web:{self.session}"

    async def connect(self, http: aiohttp.ClientSession, worker: Worker) -> aiohttp.ClientWebSocketResponse:
        """A socket to ``worker``, said hello to with this shopper's session (a new one the first time)."""
        ws = await http.ws_connect(worker.ws_url)
        await ws.send_json({"type": "hello", "session": self.session, "lang": None})
        welcome = await ws.receive_json(timeout=30)
        assert welcome["type"] == "welcome", welcome
        assert not self.session or welcome["session"] == self.session, "the session was not resumed"
        self.session = welcome["session"]
        return ws

    async def say(self, http: aiohttp.ClientSession, worker: Worker, text: str, client_id: str,
                  settle: float = 0.3) -> list[dict[str, Any]]:
        """Send ``text`` (a button when it starts with "/") with ``client_id`` on a new socket to ``worker``;
        the frames that came back: up to the first reply to it, and whatever follows within ``settle`` s."""
        ws = await self.connect(http, worker)
        try:
            await ws.send_json(chat_frame(text, client_id))
            if client_id not in self.sent:
                self.sent.append(client_id)
            return await answered(ws, client_id, settle)
        finally:
            await ws.close()


def chat_frame(text: str, client_id: str) -> dict[str, str]:
    """A ``message`` frame, or a ``button`` frame for a payload ("/page 2")."""
    if text.startswith("/"):
        return {"type": "button", "payload": text, "id": client_id}
    return {"type": "message", "text": text, "id": client_id}


async def answered(ws: aiohttp.ClientWebSocketResponse, client_id: str, settle: float,
                   timeout: float = 60) -> list[dict[str, Any]]:
    """Frames read until the first ``reply`` with ``in_reply_to == client_id`` (or an error), then those
    arriving within ``settle`` s more (a turn may reply more than once)."""
    frames: list[dict[str, Any]] = []
    while True:
        frame = await ws.receive_json(timeout=timeout)
        frames.append(frame)
        if frame["type"] == "error" or (frame["type"] == "reply" and frame.get("in_reply_to") == client_id):
            break
    frames += await drain(ws, settle)
    return frames


async def drain(ws: aiohttp.ClientWebSocketResponse, seconds: float) -> list[dict[str, Any]]:
    """Every JSON frame arriving within ``seconds``."""
    frames: list[dict[str, Any]] = []
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        try:
            message = await ws.receive(timeout=left)
        except TimeoutError:
            break
        if message.type != aiohttp.WSMsgType.TEXT:
            break
        frames.append(message.json())
    return frames


def replies(frames: list[dict[str, Any]], client_id: str | None = None) -> list[dict[str, Any]]:
    """The ``reply`` frames (to ``client_id`` when given)."""
    return [f for f in frames if f["type"] == "reply" and (client_id is None or f.get("in_reply_to") == client_id)]
