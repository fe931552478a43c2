"""``kefu bench load``: many concurrent conversations through the core, and through the web chat over
real websockets; prints throughput, latency percentiles and errors. With ``--workers 1,2,4`` the same
load goes over websockets to that many ``kefu run`` processes on PostgreSQL (:mod:`bot.benches.load_fleet`)."""
from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import numpy as np
from prometheus_client import REGISTRY

from adapters.http import HttpHost
from adapters.web import WebChannel
from bot.app import build_assistant, open_store
from bot.arguments import non_negative_float, positive_int, positive_ints
from bot.errors import CommandError
from bot.settings import Settings
from core.assistant import Assistant
from core.messages import Identity, InboundMessage

TOPIC = "load"
HELP = "N concurrent conversations x M turns through the core and over websockets (turns/s, latency)"

# A shopper's turns, in both languages: small talk, search, paging, details, policy, orders.
SCRIPT_ZH = ["你好", "我想买一件红色的连衣裙", "/page 2", "有没有200元以内的耳机", "退货政策是什么", "我的订单到哪了", "谢谢"]
SCRIPT_EN = ["hi", "show me running shoes", "/page 2", "headphones under 500", "what is your return policy",
             "where is my order", "thanks"]


@dataclass
class LoadResult:
    """Latencies of completed turns and the errors seen."""

    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    questions: dict[str, float] = field(default_factory=dict)  # knowledge-base questions: encoded / cached

    def line(self, label: str) -> str:
        """One printed line of what was measured."""
        if not self.latencies:
            return f"{label}: no turn completed, {len(self.errors)} errors"
        ms = np.array(self.latencies) * 1000
        line = (f"{label}: {len(ms)} turns in {self.seconds:.2f} s = {len(ms) / self.seconds:.0f} turns/s; "
                f"latency p50={np.percentile(ms, 50):.1f} ms p95={np.percentile(ms, 95):.1f} ms "
                f"p99={np.percentile(ms, 99):.1f} ms max={ms.max():.1f} ms; errors={len(self.errors)}")
        if not self.questions:  # counted in this process only: not for worker processes
            return line
        return (f"{line}; knowledge questions encoded={self.questions.get('encoded', 0):.0f} "
                f"cached={self.questions.get('cached', 0):.0f}")


def configure(parser: argparse.ArgumentParser) -> None:
    """Conversations, turns and which paths to drive."""
    parser.add_argument("--conversations", type=positive_int, default=1000, help="concurrent conversations (default 1000)")
    parser.add_argument("--turns", type=positive_int, default=5, help="turns per conversation (default 5)")
    parser.add_argument("--path", choices=("core", "ws", "both"), default="both", help="what to drive")
    parser.add_argument("--rate", type=non_negative_float, default=0.0,
                        help="offered turns/s over all conversations (each shopper pauses between turns); "
                             "0 = every shopper answers at once, which measures capacity (default)")
    parser.add_argument("--workers", type=positive_ints, default=None, metavar="N,N,...",
                        help="worker counts (e.g. 1,2,4): that many `kefu run` processes on PostgreSQL, each "
                             "conversation's turns round-robin across them, next to one worker on SQLite "
                             "(websockets only; --path is ignored)")
    parser.add_argument("--database-url", default=None, metavar="postgresql://…",
                        help="the PostgreSQL server of --workers (default KEFU_DATABASE_URL): a scratch database "
                             "is created on it per worker count and dropped after (its role needs CREATEDB)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Drive the load on a fresh copy of the demo shop with template replies; exit 1 on any error."""
    think = args.conversations / args.rate if args.rate > 0 else 0.0
    if args.workers:
        from bot.benches.load_fleet import run_fleets  # it builds on this module

        database_url = args.database_url or settings.kefu_database_url
        if not database_url:
            raise CommandError("bench load --workers: needs PostgreSQL: --database-url postgresql://… or "
                               "KEFU_DATABASE_URL (docs/SCALING.md, \"Several workers\", says how to start one)")
        return _report(run_fleets(database_url, args.workers, args.conversations, args.turns, think))
    with tempfile.TemporaryDirectory() as tmp:
        settings = settings.model_copy(update={"kefu_db_path": Path(tmp) / "kefu.db", "kefu_load_demo_shop": True,
                                               "kefu_llm_backend": "templates",
                                               "kefu_rate_limit_messages": 0})  # a bench is not abuse
        results = asyncio.run(_drive(settings, args.conversations, args.turns, args.path, think))
    return _report(results)


def _report(results: list[tuple[str, LoadResult]]) -> int:
    """Print one line per measure (and its first errors); 1 when any turn failed."""
    for label, result in results:
        print(result.line(label))
        for error in result.errors[:5]:
            print(f"  error: {error}")
    return 1 if any(r.errors for _, r in results) else 0


async def _drive(settings: Settings, conversations: int, turns: int, path: str,
                 think: float) -> list[tuple[str, LoadResult]]:
    store = open_store(settings)
    try:
        assistant = build_assistant(store, settings)
        label = f"{conversations} conversations x {turns} turns" + (f", {think:.2f} s between turns" if think else "")
        for number, text in enumerate(SCRIPT_ZH + SCRIPT_EN):  # warm-up: models, caches, jieba's dictionary
            await _core_turn(assistant)(-1, number, text)
        results = []
        if path in ("core", "both"):
            results.append((f"core      {label}", await offer_load(conversations, turns, think, _core_turn(assistant))))
        if path in ("ws", "both"):
            results.append((f"websocket {label}", await _websocket_load(assistant, conversations, turns, think)))
        return results
    finally:
        store.close()


def _script(index: int, turns: int) -> list[str]:
    lines = SCRIPT_ZH if index % 2 else SCRIPT_EN
    return [lines[i % len(lines)] for i in range(turns)]


def _core_turn(assistant: Assistant) -> Callable[[int, int, str], Awaitable[None]]:
    async def turn(conversation: int, number: int, text: str) -> None:
        payload = text if text.startswith("/") else None
        replies = (await assistant.handle(InboundMessage(Identity("bench", f"c{conversation}"), text,
                                                        message_id=str(number), payload=payload))).replies
        if not replies:
            raise RuntimeError(f"no reply to {text!r}")
    return turn


async def offer_load(conversations: int, turns: int, think: float,
                turn: Callable[[int, int, str], Awaitable[None]]) -> LoadResult:
    """Every conversation sends its turns one after another, pausing ``think`` seconds (randomised)
    between them; all conversations at once."""
    result = LoadResult()
    questions_before = _knowledge_questions()

    async def conversation(index: int) -> None:
        await asyncio.sleep(random.random() * (think or 0.05))  # stagger the start like real arrivals
        for number, text in enumerate(_script(index, turns)):
            if number:
                await asyncio.sleep(random.uniform(0.5, 1.5) * think)
            started = time.perf_counter()
            try:
                await turn(index, number, text)
            except Exception as exc:  # a benchmark counts failures instead of stopping
                result.errors.append(f"conversation {index} turn {number}: {exc!r}")
                continue
            result.latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(conversation(i) for i in range(conversations)))
    result.seconds = time.perf_counter() - started
    result.questions = {source: count - questions_before[source] for source, count in _knowledge_questions().items()}
    return result


def _knowledge_questions() -> dict[str, float]:
    """How many knowledge-base questions were encoded, and answered from the cache of recent ones."""
    return {source: REGISTRY.get_sample_value("kefu_kb_questions_total", {"source": source}) or 0.0
            for source in ("encoded", "cached")}


async def _websocket_load(assistant: Assistant, conversations: int, turns: int, think: float) -> LoadResult:
    channel, host = WebChannel(assistant), HttpHost("127.0.0.1", 0)
    host.register([channel])
    await host.start()
    await channel.start()
    connector = aiohttp.TCPConnector(limit=0)
    try:
        async with aiohttp.ClientSession(connector=connector) as http:
            sockets = await asyncio.gather(*(_open(http, f"{host.url}ws")
                                             for _ in range(conversations)))

            async def turn(conversation: int, number: int, text: str) -> None:
                ws = sockets[conversation]
                kind = "button" if text.startswith("/") else "message"
                frame = {"type": kind, "id": str(number), **({"payload": text} if kind == "button" else {"text": text})}
                await ws.send_json(frame)
                while (reply := await ws.receive_json(timeout=60))["type"] != "reply":
                    if reply["type"] == "error":
                        raise RuntimeError(reply["error"])

            try:
                return await offer_load(conversations, turns, think, turn)
            finally:
                await asyncio.gather(*(ws.close() for ws in sockets))
    finally:
        await channel.stop()
        await host.stop()


async def _open(http: aiohttp.ClientSession, url: str) -> aiohttp.ClientWebSocketResponse:
    ws = await http.ws_connect(url, max_msg_size=0)
    await ws.send_json({"type": "hello", "session": "", "lang": None})
    await ws.receive_json(timeout=30)
    return ws
