"""Faults as tests: ``kefu run`` killed with SIGKILL in the middle of a conversation, then restarted on
the same SQLite file. A real server process, the web chat over real websockets (aiohttp client):

* mid-flow: a visitor verified as demo customer C008 is asked to confirm cancelling order #W6697500;
  after the kill and a restart their "yes" (same session) still cancels it, once, with its refund
  and audit entry;
* mid-burst: the server is killed while a burst of messages is being answered; the client resends
  (same ids) whatever it got no reply for, and the transcript then holds every message once and
  one reply per message; every reply the client received before the kill is in it, and every message
  gets its reply (one saved just before the kill but never sent is sent again for the resend).

Slow (each start of ``kefu run`` loads models and, the first time, the demo shop)."""
from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import sqlite3
import subprocess
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from core.demo.loader import load_demo_shop
from core.store import Store
from tests.helpers import start_kefu

pytestmark = pytest.mark.slow

ORDER = "#W6697500"  # C008's pending order, ¥329.00 paid with Alipay
BURST = ["what is your return policy?", "headphones under 500", "red dress", "do you ship to Hong Kong?", "hi",
         "thanks", "蓝牙耳机", "how long does delivery take"]
"""Messages the demo shop answers with exactly one reply each."""


class Server:
    """``kefu run`` on a free port over ``tmp_path/kefu.db``; :meth:`start` again after :meth:`kill`."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp_path = tmp_path
        self.process: subprocess.Popen[str] | None = None
        self.url = ""

    def start(self) -> None:
        self.process = start_kefu(self.tmp_path, "run", KEFU_PORT="0", KEFU_RATE_LIMIT_MESSAGES="0",
                                  KEFU_KB_RETRIEVAL="lexical", KEFU_SCHEDULER_ENABLED="false")
        line = self.process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, (line, self.process.stderr.read() if self.process.poll() is not None else "")
        self.url = f"ws://127.0.0.1:{match.group(1)}/ws"

    def kill(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        assert self.process.wait(timeout=10) == -signal.SIGKILL

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=20)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo shop in a database file, loaded once for the module (each test starts from a copy)."""
    path = tmp_path_factory.mktemp("demo") / "kefu.db"
    store = Store(path)
    load_demo_shop(store)
    store.close()
    return path


@pytest.fixture
def server(tmp_path: Path, demo_db: Path) -> Iterator[Server]:
    shutil.copyfile(demo_db, tmp_path / "kefu.db")
    server = Server(tmp_path)
    server.start()
    yield server
    if server.process is not None and server.process.poll() is None:
        server.process.kill()
        server.process.wait()


async def connect(http: aiohttp.ClientSession, server: Server, session: str = "") -> tuple[aiohttp.ClientWebSocketResponse, str]:
    ws = await http.ws_connect(server.url)
    await ws.send_json({"type": "hello", "session": session, "lang": "en"})
    welcome = await ws.receive_json(timeout=30)
    assert welcome["type"] == "welcome"
    return ws, welcome["session"]


async def say(ws: aiohttp.ClientWebSocketResponse, text: str, message_id: str) -> str:
    """Send one message and wait for its (single) reply; the reply's text."""
    await ws.send_json({"type": "message", "text": text, "id": message_id})
    while (frame := await ws.receive_json(timeout=60))["type"] == "typing":
        pass
    assert frame["type"] == "reply", frame
    return frame["text"]




def transcript(db: Path, session: str) -> list[tuple[str, str | None, str, int]]:
    """(direction, client message id, text, processed) of the web session's conversation, in order."""
    with sqlite3.connect(db) as conn:
        return conn.execute("select direction, channel_message_id, text, processed from messages "
                            "where conversation_id = ? order by id", [f"web:{session}"]).fetchall()


def order_state(db: Path) -> tuple[str, list[tuple[str, int]], list[str]]:
    """The order's status, its payment rows (kind, cents) and its audit actions."""
    with sqlite3.connect(db) as conn:
        status = conn.execute("select status from orders where id = ?", [ORDER]).fetchone()[0]
        payments = conn.execute("select kind, amount_cents from payments where order_id = ? order by id",
                                [ORDER]).fetchall()
        audit = [row[0] for row in conn.execute("select action from audit_log where action = 'cancel_order'")]
    return status, payments, audit


async def test_a_confirmation_awaited_at_the_kill_still_applies_after_the_restart(server, tmp_path):
    db = tmp_path / "kefu.db"
    async with aiohttp.ClientSession() as http:
        ws, session = await connect(http, server)
        asked = await say(ws, f"I want to cancel my order {ORDER}", "m1")
        assert "email" in asked
        assert "verified" in await say(ws, "noah.johnson11@example.com 518051", "m2")
        summary = await say(ws, "I ordered the wrong size", "m3")
        assert f"Cancel order {ORDER}" in summary and "yes or no" in summary
        server.kill()
        assert ws.closed or (await ws.receive(timeout=10)).type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED,
                                                                     aiohttp.WSMsgType.ERROR)
        assert order_state(db)[0] == "pending"

        server.start()
        ws, resumed = await connect(http, server, session)
        assert resumed == session
        # the client retries: the turn is not run again, its saved reply is sent again
        assert await say(ws, "I ordered the wrong size", "m3") == summary
        done = await say(ws, "yes", "m4")
        await ws.close()
    assert "cancelled" in done and "¥329.00" in done
    status, payments, audit = order_state(db)
    assert status == "cancelled" and audit == ["cancel_order"]
    assert payments == [("payment", 32900), ("refund", 32900)]
    rows = transcript(db, session)
    assert [(d, i) for d, i, _, _ in rows] == [("in", "m1"), ("out", None), ("in", "m2"), ("out", None),
                                               ("in", "m3"), ("out", None), ("in", "m4"), ("out", None)]
    assert all(processed for *_, processed in rows)
    assert [text for d, _, text, _ in rows if d == "out"] == [asked, rows[3][2], summary, done]


async def test_killed_during_a_burst_every_message_is_answered_once_after_the_resend(server, tmp_path):
    db = tmp_path / "kefu.db"
    ids = [f"b{n:02d}" for n in range(24)]
    texts = {message_id: BURST[n % len(BURST)] for n, message_id in enumerate(ids)}
    replies: dict[str, str] = {}  # what the client received, per message
    async with aiohttp.ClientSession() as http:
        ws, session = await connect(http, server)
        for message_id in ids:  # all in flight at once; the server answers them in order
            await ws.send_json({"type": "message", "text": texts[message_id], "id": message_id})
        await receive_replies(ws, ids, replies, until=4)
        await asyncio.sleep(0.01)  # into the next turn: its message is usually recorded, its reply not yet made
        server.kill()
        await receive_replies(ws, ids, replies)  # whatever was already on its way, until the socket closes
        seen_before_kill = len(replies)
        assert seen_before_kill < len(ids), "the kill came after the burst was over"
        recorded = [(i, p) for d, i, _, p in transcript(db, session) if d == "in"]
        handled = {i for i, p in recorded if p}  # turns committed before the kill

        server.start()
        ws, _ = await connect(http, server, session)
        resent = [m for m in ids if m not in replies]  # no reply seen: send again, same id
        for message_id in resent:
            await ws.send_json({"type": "message", "text": texts[message_id], "id": message_id})
        await receive_replies(ws, resent, replies, until=len(ids))
        await ws.close()

    rows = transcript(db, session)
    assert sorted(i for d, i, _, _ in rows if d == "in") == ids  # every message once: none lost, none twice
    assert all(processed for *_, processed in rows)
    outbound = [text for d, _, text, _ in rows if d == "out"]
    assert len(outbound) == len(ids)  # one reply per message, none twice
    for message_id, text in replies.items():  # each reply the client got is that message's reply in the store
        assert outbound[ids.index(message_id)] == text
    assert sorted(replies) == ids  # every message got its reply: one committed but cut off by the kill is resent
    cut_off = [m for m in resent if m in handled]
    print(f"burst: {seen_before_kill} replies seen before the kill, {len(handled)} turns committed, "
          f"{len(recorded) - len(handled)} recorded mid-turn, {len(cut_off)} replies cut off by the kill and resent")


async def receive_replies(ws: aiohttp.ClientWebSocketResponse, ids: list[str], replies: dict[str, str],
                          until: int | None = None) -> None:
    """Read frames, giving each reply to the next of ``ids`` not yet answered, until ``until`` replies in
    all (None: until the socket closes)."""
    waiting = iter([m for m in ids if m not in replies])
    while until is None or len(replies) < until:
        try:
            message = await ws.receive(timeout=60)
        except TimeoutError:
            raise AssertionError(f"no reply after {len(replies)}") from None
        if message.type != aiohttp.WSMsgType.TEXT:
            assert until is None, message  # the socket closed
            return
        frame = message.json()
        if frame["type"] == "reply":
            expected = next(waiting)
            assert frame["in_reply_to"] == expected  # replies come in the order of the messages
            replies[expected] = frame["text"]
