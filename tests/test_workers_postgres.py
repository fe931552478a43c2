"""Two workers on one PostgreSQL database (docs/SCALING.md), in one test process: two stores on the
same database, two assistants, two web channels on two HTTP hosts (two ports), each with its outbound
bus (LISTEN/NOTIFY) and presence. A shopper's socket on one worker gets what the other sends, once;
limits and lockouts count across both; a drained worker's shopper carries on at the other. Skipped
where PostgreSQL is not installed (tests/pg.py)."""
from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import timedelta

import aiohttp
import pytest

from adapters.http import HttpHost
from adapters.inbox import StaffInbox
from adapters.inbox.auth import MAX_FAILURES, StaffAuth
from adapters.inbox.staff_sessions import TableSessions
from adapters.inbox.staff_sessions import register as register_staff_sessions
from adapters.web import WebChannel
from adapters.web.limits import NewConversationLimit
from bot.app import build_assistant
from bot.scaling import fanout_for, limits_for, staff_sessions_for
from core.assistant import Assistant
from core.channel import PushError
from core.clock import utc_now
from core.dialogue.identity import Authenticator, Claimant, Credentials
from core.fanout import LocalBus, LocalPresence, StorePresence
from core.fanout.postgres import KEEP_STORED, PostgresBus
from core.i18n import t
from core.messages import Identity, Reply
from core.ratelimit import RateLimiter
from core.store import Store
from core.store.ratelimits import StoreLimits, StoreRateLimiter
from tests.hosting import serving
from tests.test_web_channel import assert_silent, connect, exchange, say


@dataclass
class Worker:
    """One ``kefu run`` worker as the test sees it."""

    name: str
    store: Store
    assistant: Assistant
    web: WebChannel
    bus: PostgresBus
    host: HttpHost


@pytest.fixture
def database(small_shop_database) -> str:
    """The URL of one database holding the small shop."""
    return small_shop_database


def start_worker(name: str, url: str, settings, new_conversations_per_address: int = 0):
    """A worker's store, assistant and web channel (its bus reconnects fast, for the tests)."""
    store = Store(url)
    assistant = build_assistant(store, settings)
    bus = PostgresBus(store.db, name, reconnect_s=0.1)
    limit = NewConversationLimit(new_conversations_per_address, 0, limits=StoreLimits(store.db)) \
        if new_conversations_per_address else None
    web = WebChannel(assistant, limit, bus=bus, presence=StorePresence(store.db, name))
    assistant.components.staff.channels["web"] = web
    return store, assistant, web, bus


@pytest.fixture
async def workers(database, settings) -> AsyncIterator[tuple[Worker, Worker]]:
    """Workers A and B, serving."""
    async with AsyncExitStack() as stack:
        pair = []
        for name in ("A", "B"):
            store, assistant, web, bus = start_worker(name, database, settings, new_conversations_per_address=2)
            stack.callback(store.close)
            host = await stack.enter_async_context(serving(web, store=store))
            pair.append(Worker(name, store, assistant, web, bus, host))
        yield pair[0], pair[1]


@pytest.fixture
async def http():
    async with aiohttp.ClientSession() as session:
        yield session


async def eventually(check, timeout: float = 5.0) -> None:
    """Wait until ``check()`` is true (the server side of a closed socket runs a moment later)."""
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


# -- staff replies and handoff notices ------------------------------------------------------------------
async def test_a_staff_reply_on_one_worker_reaches_each_socket_on_both_once(http, workers):
    a, b = workers
    on_b, session = await connect(http, b.host)
    await exchange(on_b, say("hi", "1"))
    on_a, _ = await connect(http, a.host, session=session)  # a second tab, balanced to the other worker
    conversation = f"web:{session}"
    hub = a.assistant.components.staff
    await hub.deliver(conversation, "Ann", "Ann here, how can I help?")
    for ws in (on_b, on_a):
        frame = await ws.receive_json(timeout=5)
        assert frame["type"] == "reply" and frame["text"] == "Ann here, how can I help?"
        await assert_silent(ws)
    handoff = hub.store.db["handoffs"].insert({"conversation_id": conversation, "status": "claimed",
                                                "reason": "asked", "priority": 1, "claimed_by": "Ann",
                                                "created_at": "2026-12-03T10:00:00+00:00"}).last_pk
    await hub.reply(handoff, "Ann", "Your parcel left today.")  # the inbox's reply, through the hub
    assert (await on_b.receive_json(timeout=5))["text"] == "Your parcel left today."
    await assert_silent(on_b)
    staff_lines = [m["text"] for m in b.store.conversations.transcript(conversation) if m["direction"] == "out"]
    assert staff_lines[-2:] == ["Ann here, how can I help?", "Your parcel left today."]  # recorded once each
    await on_a.close()
    await on_b.close()


async def test_an_outbound_over_the_notify_limit_goes_through_the_table(http, workers):
    a, b = workers
    ws, session = await connect(http, b.host)
    long_text = "您好，" + "这件连衣裙有红色和蓝色两种颜色可选。" * 300  # ~16 KB in UTF-8, NOTIFY takes 8000 bytes
    await a.web.send(Identity("web", session), Reply(long_text))
    frame = await ws.receive_json(timeout=5)
    assert frame["text"] == long_text
    await assert_silent(ws)
    assert a.store.db.execute("select count(*) from fanout_outbound").fetchone()[0] == 1
    a.bus.prune()
    assert a.store.db.execute("select count(*) from fanout_outbound").fetchone()[0] == 1  # kept a while
    older = utc_now() - KEEP_STORED - timedelta(seconds=1)
    a.store.db.execute("update fanout_outbound set created_at = ?", [older.isoformat(timespec="seconds")])
    b.bus.prune()
    assert a.store.db.execute("select count(*) from fanout_outbound").fetchone()[0] == 0
    await ws.close()


async def test_the_listener_reconnects_after_its_connection_is_cut(http, workers):
    a, b = workers
    ws, session = await connect(http, b.host)
    listeners = ("select pid from pg_stat_activity where datname = current_database() "
                 "and query = 'listen kefu_outbound' and pid <> pg_backend_pid()")
    before = {row[0] for row in a.store.db.execute(listeners)}
    assert len(before) == 2  # one per worker
    a.store.db.execute(f"select pg_terminate_backend(pid) from ({listeners}) as listening")
    await eventually(lambda: len({row[0] for row in a.store.db.execute(listeners)} - before) == 2)
    assert await b.bus.ready(5)
    await a.web.send(Identity("web", session), Reply("still here"))
    assert (await ws.receive_json(timeout=5))["text"] == "still here"
    await ws.close()


# -- promotions ---------------------------------------------------------------------------------------
async def test_a_promotion_from_one_worker_reaches_the_socket_on_the_other(http, workers):
    a, b = workers
    ws, session = await connect(http, b.host)
    shopper = Identity("web", session)
    assert a.web.is_connected(session)  # presence: B holds a socket of it
    await a.web.push("campaign:1:c1", shopper, Reply("20% off dresses today"))
    frame = await ws.receive_json(timeout=5)
    assert frame["type"] == "reply" and frame["text"] == "20% off dresses today"
    await assert_silent(ws)
    await ws.close()
    await eventually(lambda: not a.web.is_connected(session))
    with pytest.raises(PushError) as failed:
        await a.web.push("campaign:1:c1", shopper, Reply("20% off dresses today"))
    assert failed.value.retryable


async def test_the_sessions_of_a_worker_with_a_stale_heartbeat_are_ignored_and_cleaned(database):
    store = Store(database)
    presences = []
    try:
        hour_ago = utc_now() - timedelta(hours=1)
        gone = StorePresence(store.db, "gone", now=lambda: hour_ago)  # its last heartbeat: an hour ago
        live, fresh = StorePresence(store.db, "live"), StorePresence(store.db, "fresh")
        presences += [gone, live, fresh]
        await gone.start()
        gone.join("web", "s1")
        assert not live.elsewhere("web", "s1")  # the row is there, but its worker is not alive
        assert store.db.execute("select count(*) from socket_presence").fetchone()[0] == 1
        await live.start()  # a worker starting removes the stale worker's rows
        assert store.db.execute("select count(*) from socket_presence").fetchone()[0] == 0
        assert [r[0] for r in store.db.execute("select worker from fanout_workers")] == ["live"]
        await fresh.start()
        fresh.join("web", "s2")
        assert live.elsewhere("web", "s2") and not fresh.elsewhere("web", "s2")  # never its own
        fresh.leave("web", "s2")
        assert not live.elsewhere("web", "s2")
    finally:
        for presence in presences:
            await presence.stop()
        assert store.db.execute("select count(*) from fanout_workers").fetchone()[0] == 0
        store.close()


# -- limits shared by the workers ------------------------------------------------------------------------
async def test_new_conversations_from_one_address_are_counted_across_workers(http, workers):
    a, b = workers  # two new conversations a minute per address
    replies = []
    for worker in (a, b, a):
        ws, _ = await connect(http, worker.host)
        replies.append((await exchange(ws, say("hi", "1")))["text"])
        await ws.close()
    busy = t("new_chats_busy", "en")
    assert replies[0] != busy and replies[1] != busy and replies[2] == busy, replies


def test_a_store_limit_is_one_window_for_every_worker_even_at_once(database):
    stores = [Store(database), Store(database)]
    try:
        limits = [StoreLimits(store.db).window("test", 5, 60.0) for store in stores]
        allowed = []

        def hammer(limit):
            allowed.extend(ok for ok in (limit.allow("203.0.113.9") for _ in range(20)) if ok)

        threads = [threading.Thread(target=hammer, args=(limit,)) for limit in limits]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(allowed) == 5
        assert limits[1].count("203.0.113.9") == 5 and limits[0].allow("198.51.100.1")
        assert "203.0.113.9" not in str(list(stores[0].db.execute("select key from rate_hits")))  # hashed
    finally:
        for store in stores:
            store.close()


def test_the_staff_login_lockout_counts_guesses_on_every_worker(database):
    stores = [Store(database), Store(database)]
    try:
        auths = [StaffAuth("right password", limits=StoreLimits(store.db)) for store in stores]
        for n in range(MAX_FAILURES):
            assert auths[n % 2].login("ann", "wrong", "203.0.113.7") is None
        assert auths[0].login("ann", "right password", "203.0.113.7") is None  # locked on both
        assert auths[1].login("ann", "right password", "203.0.113.7") is None
        assert auths[1].login("ann", "right password", "198.51.100.2") is not None  # others are not
    finally:
        for store in stores:
            store.close()


def test_a_colleague_logged_in_on_one_worker_is_logged_in_on_the_other_until_logging_out(database):
    stores = [Store(database), Store(database)]
    try:
        auths = [StaffAuth("right password", limits=StoreLimits(store.db), sessions=register_staff_sessions(store))
                 for store in stores]
        token, session = auths[0].login("ann", "right password", "203.0.113.7")
        there = auths[1].session(token)
        assert there is not None and (there.staff, there.csrf, there.role) == ("ann", session.csrf, session.role)
        assert token not in str(list(stores[0].db.execute("select token_hash from staff_sessions")))  # hashed
        assert auths[1].session("made-up") is None
        auths[1].logout(token)
        assert auths[0].session(token) is None
    finally:
        for store in stores:
            store.close()


async def test_the_console_logged_in_through_one_worker_answers_through_the_other(database, settings):
    async with AsyncExitStack() as stack:
        bases = []
        for _ in "AB":
            store = Store(database)
            stack.callback(store.close)
            hub = build_assistant(store, settings).components.staff
            inbox = StaffInbox(hub, "right password", limits=limits_for(store), sessions=staff_sessions_for(store))
            bases.append((await stack.enter_async_context(serving(routes=inbox.routes()))).url)
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            async with http.get(bases[1] + "staff/api/conversations") as response:
                assert response.status == 401
            async with http.post(bases[0] + "staff/api/login", json={"name": "Mei", "password": "right password"}) as r:
                assert r.status == 200
            async with http.get(bases[1] + "staff/api/conversations") as response:  # the balancer picked B
                assert response.status == 200


def test_the_identity_check_pause_is_shared_by_two_stores_on_one_database(database):
    stores = [Store(database), Store(database)]
    try:
        checks = [Authenticator(store) for store in stores]
        claimant = Claimant("web:s1", source="203.0.113.5")
        wrong = Credentials("nobody@example.com", "000000", None)
        for n in range(3):  # the per-conversation limit
            assert checks[n % 2].verify(claimant, wrong) is None
        assert checks[0].locked(claimant) and checks[1].locked(claimant)
        assert not checks[1].locked(Claimant("web:s2"))
    finally:
        for store in stores:
            store.close()


# -- draining in a rolling restart ------------------------------------------------------------------------
async def test_a_drained_workers_shopper_carries_on_at_the_other_once(http, workers):
    a, b = workers
    ws, session = await connect(http, a.host)
    reply = await exchange(ws, say("hi", "m1"))
    a.host.drain()
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await http.ws_connect(f"{a.host.url}ws")
    assert refused.value.status == 503
    await a.web.stop()
    closing = await ws.receive(timeout=5)
    assert closing.data == aiohttp.WSCloseCode.SERVICE_RESTART
    await eventually(lambda: not b.web.is_connected(session))  # A withdrew its sessions
    ws, resumed = await connect(http, b.host, session=session)  # the widget reconnects, the balancer picks B
    assert resumed == session
    await ws.send_json(say("hi", "m1"))  # and resends what it had no reply to (here: it had one)
    assert await ws.receive_json(timeout=5) == {"type": "typing"}
    assert await ws.receive_json(timeout=5) == reply
    await assert_silent(ws)
    inbound = [m for m in b.store.conversations.transcript(f"web:{session}") if m["direction"] == "in"]
    assert [m["channel_message_id"] for m in inbound] == ["m1"]
    await ws.close()


# -- wiring ---------------------------------------------------------------------------------------------
def test_kefu_run_shares_limits_bus_and_presence_only_on_postgresql(database, tmp_path):
    on_postgres, on_sqlite = Store(database), Store(tmp_path / "kefu.db")
    try:
        fanout = fanout_for(on_postgres, "w1")
        assert isinstance(fanout.bus, PostgresBus) and isinstance(fanout.presence, StorePresence)
        assert fanout.bus.worker == fanout.presence.worker != fanout_for(on_postgres, "w1").bus.worker
        assert fanout.bus.worker.startswith("w1:")  # the configured worker id, as in /healthz and the logs
        assert isinstance(limits_for(on_postgres).window("t", 1, 1.0), StoreRateLimiter)
        assert isinstance(staff_sessions_for(on_postgres), TableSessions) and staff_sessions_for(on_sqlite) is None
        alone = fanout_for(on_sqlite, "w1")
        assert isinstance(alone.bus, LocalBus) and isinstance(alone.presence, LocalPresence)
        assert isinstance(limits_for(on_sqlite).window("t", 1, 1.0), RateLimiter)
    finally:
        on_postgres.close()
        on_sqlite.close()
