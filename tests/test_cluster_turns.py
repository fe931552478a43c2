"""Turns across workers on one PostgreSQL (core/cluster/turn_locks.py): one turn at a time per
conversation, in arrival order, while other conversations run at once; a delivery that reaches two
workers at once is handled once. Each worker is an assistant on its own connections (tests/cluster_helpers.py)."""
from __future__ import annotations

import asyncio
import time

import pytest

from core.store.engine.advisory import advisory_key
from core.store import Store
from tests.cluster_helpers import message, started, worker


@pytest.fixture
def url(small_shop_database) -> str:
    """A fresh store database holding the small shop."""
    return small_shop_database


@pytest.fixture
def fast_settings(settings):
    return settings.model_copy(update={"kefu_nlu": "keyword"})


def turns(events: list) -> list[tuple[str, str]]:
    """(start | end, text) in the order they happened: overlapping turns show as two starts in a row."""
    return [(kind, text) for kind, _, text in events]


def test_the_advisory_key_is_a_stable_signed_64_bit_number():
    assert advisory_key("web:abc") == advisory_key("web:abc") != advisory_key("web:abd")
    assert -2**63 <= advisory_key("web:abc") < 2**63
    assert advisory_key("telegram:42") == -7029099809491884645  # the same in every process and release


async def test_two_workers_take_turns_of_one_conversation_in_arrival_order(url, fast_settings):
    events: list = []
    async with worker(url, fast_settings, "A", events) as a, worker(url, fast_settings, "B", events) as b:
        first = asyncio.create_task(a.handle(message("hello 1", "m1")))
        await started(events, "hello 1")
        second = asyncio.create_task(b.handle(message("hello 2", "m2")))  # waits on the server
        await asyncio.sleep(0.2)
        third = asyncio.create_task(a.handle(message("hello 3", "m3")))  # waits in worker A, then behind B
        results = await asyncio.gather(first, second, third)
    assert turns(events) == [("start", "hello 1"), ("end", "hello 1"), ("start", "hello 2"), ("end", "hello 2"),
                             ("start", "hello 3"), ("end", "hello 3")]
    assert [worker for kind, worker, _ in events if kind == "start"] == ["A", "B", "A"]
    assert all(result.replies and not result.duplicate for result in results)
    store = Store(url)
    inbound = [row[0] for row in store.db.execute(
        "select channel_message_id from messages where direction = 'in' order by id")]
    state = store.conversations.state("web:shopper-1")
    store.close()
    assert inbound == ["m1", "m2", "m3"] and state["turn"] == 3


async def test_without_the_servers_lock_two_workers_would_overlap(url, fast_settings):
    """What the lock prevents: with only each process's own locks, both run the same conversation at once."""
    events: list = []
    async with worker(url, fast_settings, "A", events, shared_locks=False) as a, \
            worker(url, fast_settings, "B", events, shared_locks=False) as b:
        await asyncio.gather(a.handle(message("hello 1", "m1")), b.handle(message("hello 2", "m2")))
    assert turns(events)[:2] == [("start", "hello 1"), ("start", "hello 2")]


async def test_other_conversations_run_at_the_same_time(url, fast_settings):
    events: list = []
    async with worker(url, fast_settings, "A", events, delay_s=0.6) as a, \
            worker(url, fast_settings, "B", events, delay_s=0.6) as b:
        began = time.monotonic()
        await asyncio.gather(a.handle(message("hello", "x1", user="shopper-x")),
                             b.handle(message("hello", "y1", user="shopper-y")),
                             a.handle(message("hello", "z1", user="shopper-z")))
        elapsed = time.monotonic() - began
    assert elapsed < 1.1, elapsed  # three turns of 0.6 s each, at once
    assert turns(events)[:3] == [("start", "hello")] * 3


async def test_a_delivery_at_two_workers_at_once_is_handled_once(url, fast_settings):
    events: list = []
    async with worker(url, fast_settings, "A", events) as a, worker(url, fast_settings, "B", events) as b:
        results = await asyncio.gather(a.handle(message("hello", "dup-1")), b.handle(message("hello", "dup-1")))
    done = [result for result in results if not result.duplicate]
    again = [result for result in results if result.duplicate]
    assert len(done) == 1 and len(again) == 1 and done[0].replies and not again[0].replies
    assert [reply.text for reply in again[0].earlier_replies] == [reply.text for reply in done[0].replies]
    assert turns(events) == [("start", "hello"), ("end", "hello")]  # one turn ran
    store = Store(url)
    counts = store.db.execute("select direction, count(*) from messages group by direction order by direction").fetchall()
    store.close()
    assert counts == [("in", 1), ("out", len(done[0].replies))]


async def test_without_the_servers_lock_a_duplicate_at_two_workers_is_answered_twice(url, fast_settings):
    """The race the lock closes: both workers see the inbound row unprocessed and both run the turn."""
    events: list = []
    async with worker(url, fast_settings, "A", events, shared_locks=False) as a, \
            worker(url, fast_settings, "B", events, shared_locks=False) as b:
        results = await asyncio.gather(a.handle(message("hello", "dup-1")), b.handle(message("hello", "dup-1")))
    assert [result.duplicate for result in results] == [False, False]


async def test_a_turn_whose_lock_connection_breaks_still_returns_its_replies(url, fast_settings):
    """The turn committed before the release failed: its replies are not replaced by an apology, and the
    ended session frees the lock for the next turn."""
    events: list = []
    async with worker(url, fast_settings, "A", events, delay_s=0.5) as a, worker(url, fast_settings, "B", events) as b:
        first = asyncio.create_task(a.handle(message("hello 1", "m1")))
        await started(events, "hello 1")
        admin = Store(url)
        killed = admin.db.execute("select pg_terminate_backend(pid) from pg_locks "
                                  "where locktype = 'advisory' and granted").fetchall()
        admin.close()
        assert killed == [(True,)]
        result = await first
        second = await asyncio.wait_for(b.handle(message("hello 2", "m2")), 10)
    assert result.replies and second.replies and not second.duplicate
