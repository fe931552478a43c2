"""``kefu bench load --workers 1,2,4``: the load of ``kefu bench load`` over websockets to N ``kefu run``
worker processes on one PostgreSQL database, each conversation's turns round-robin across the workers,
next to one worker on SQLite. Each count gets a scratch database on the server, dropped afterwards."""
from __future__ import annotations

import asyncio
import os
import tempfile
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
import psycopg
from psycopg import sql

from bot.benches.fleet import Fleet, Worker
from bot.benches.load import SCRIPT_EN, SCRIPT_ZH, LoadResult, offer_load
from bot.errors import CommandError

Sockets = list[list[aiohttp.ClientWebSocketResponse]]


def run_fleets(database_url: str, counts: list[int], conversations: int, turns: int,
               think: float) -> list[tuple[str, LoadResult]]:
    """One worker on SQLite, then each worker count on its own scratch PostgreSQL database."""
    with tempfile.TemporaryDirectory(prefix="kefu-bench-") as tmp:
        return asyncio.run(_measure_all(Path(tmp), database_url, counts, conversations, turns, think))


async def _measure_all(base: Path, database_url: str, counts: list[int], conversations: int, turns: int,
                       think: float) -> list[tuple[str, LoadResult]]:
    label = f"{conversations} conversations x {turns} turns" + (f", {think:.2f} s between turns" if think else "")
    results = [(f"sqlite     1 worker  {label}",
                await _measure(Fleet(base / "sqlite", None), 1, conversations, turns, think))]
    for count in counts:
        with scratch_database(database_url, f"kefu_bench_{os.getpid()}_{count}") as url:
            fleet = Fleet(base / f"pg{count}", url)
            result = await _measure(fleet, count, conversations, turns, think)
        results.append((f"postgresql {count} worker{'s' if count > 1 else ' '} {label}", result))
    return results


@contextmanager
def scratch_database(url: str, name: str) -> Iterator[str]:
    """``create database NAME`` on the server of ``url`` (its role needs CREATEDB), its URL while in use,
    ``drop database`` (forced) afterwards."""
    _admin(url, "drop database if exists {} with (force)", name)
    _admin(url, "create database {}", name)
    try:
        yield urlsplit(url)._replace(path=f"/{name}").geturl()
    finally:
        _admin(url, "drop database if exists {} with (force)", name)


def _admin(url: str, statement: str, name: str) -> None:
    try:
        with psycopg.connect(url, autocommit=True, connect_timeout=10) as db:
            db.execute(sql.SQL(statement).format(sql.Identifier(name)))
    except psycopg.Error as exc:  # the URL may hold a password: name the database only
        raise CommandError(f"bench load: database {name}: {str(exc).strip()}") from None


async def _measure(fleet: Fleet, count: int, conversations: int, turns: int, think: float) -> LoadResult:
    """Start ``count`` workers, warm each up, open every conversation's socket on every worker, drive the load."""
    try:
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as http:
            workers = await fleet.start(count, http)
            for worker in workers:
                await _warm_up(http, worker)
            sockets = await asyncio.gather(*(_sockets(http, workers, c) for c in range(conversations)))
            try:
                result = await offer_load(conversations, turns, think, _round_robin(sockets))
                result.questions = {}  # counted inside the workers, not here
                return result
            finally:
                await asyncio.gather(*(ws.close() for row in sockets for ws in row))
    finally:
        fleet.stop()


async def _warm_up(http: aiohttp.ClientSession, worker: Worker) -> None:
    """One conversation of every scripted line on ``worker`` (models, caches, jieba's dictionary)."""
    ws, _ = await _hello(http, worker, "")
    try:
        for number, text in enumerate(SCRIPT_ZH + SCRIPT_EN):
            await _turn(ws, number, text)
    finally:
        await ws.close()


async def _sockets(http: aiohttp.ClientSession, workers: list[Worker],
                   conversation: int) -> list[aiohttp.ClientWebSocketResponse]:
    """The conversation's socket on each worker, in the order its turns use them; one session on all."""
    order = [workers[(conversation + i) % len(workers)] for i in range(len(workers))]
    first, session = await _hello(http, order[0], "")
    rest = [(await _hello(http, worker, session))[0] for worker in order[1:]]
    return [first, *rest]


async def _hello(http: aiohttp.ClientSession, worker: Worker,
                 session: str) -> tuple[aiohttp.ClientWebSocketResponse, str]:
    ws = await http.ws_connect(worker.ws_url, max_msg_size=0)
    await ws.send_json({"type": "hello", "session": session, "lang": None})
    welcome = await ws.receive_json(timeout=60)
    if welcome.get("type") != "welcome" or (session and welcome.get("session") != session):
        raise RuntimeError(f"worker {worker.worker_id} did not resume the session: {welcome}")
    return ws, welcome["session"]


def _round_robin(sockets: Sockets) -> Callable[[int, int, str], Awaitable[None]]:
    """Turn ``number`` of a conversation goes to its next worker's socket."""
    async def turn(conversation: int, number: int, text: str) -> None:
        row = sockets[conversation]
        await _turn(row[number % len(row)], number, text)
    return turn


async def _turn(ws: aiohttp.ClientWebSocketResponse, number: int, text: str) -> None:
    """Send one message (a button for "/…") and wait for its reply (``in_reply_to``)."""
    kind = "button" if text.startswith("/") else "message"
    client_id = str(number)
    await ws.send_json({"type": kind, "id": client_id, **({"payload": text} if kind == "button" else {"text": text})})
    while True:
        frame = await ws.receive_json(timeout=120)
        if frame["type"] == "error":
            raise RuntimeError(frame["error"])
        if frame["type"] == "reply" and frame.get("in_reply_to") == client_id:
            return
