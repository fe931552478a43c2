"""Exactly one leader among workers on one PostgreSQL (core/cluster/leadership.py): one of two leads;
when the leader's connection is killed it stops its leader-only work before the other starts it;
a leader process killed with SIGKILL is replaced within seconds; one process on SQLite always leads."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest

from core.cluster.leadership import AdvisoryLeadership, LeaderTiming, SoleLeader, TaskWork

FAST = LeaderTiming(check_s=0.2, query_timeout_s=0.5)
ROOT = Path(__file__).resolve().parent.parent


class Work:
    """Leader-only work that records when it started and stopped, on a clock shared by all."""

    def __init__(self, name: str, log: list[tuple[str, str, float]]) -> None:
        self.name, self._log = name, log
        self.running = False

    async def start(self) -> None:
        self.running = True
        self._log.append(("start", self.name, time.monotonic()))

    async def stop(self) -> None:
        self.running = False
        self._log.append(("stop", self.name, time.monotonic()))


async def until(condition, timeout_s: float = 10.0) -> float:
    """Seconds until ``condition()`` holds (fails the test after ``timeout_s``)."""
    began = time.monotonic()
    async with asyncio.timeout(timeout_s):
        while not condition():
            await asyncio.sleep(0.02)
    return time.monotonic() - began


@pytest.fixture
def url(postgres_databases) -> str:
    return postgres_databases.new()


async def test_one_of_two_workers_leads_and_a_killed_connection_hands_over_after_the_work_stopped(url):
    log: list = []
    works = {name: Work(name, log) for name in ("a", "b")}
    elections = {name: AdvisoryLeadership(url, name, FAST) for name in works}
    for name, election in elections.items():
        await election.start([works[name]])
    try:
        await until(lambda: any(e.is_leader for e in elections.values()))
        await asyncio.sleep(1.0)  # several checks later: still exactly one
        leaders = [name for name, e in elections.items() if e.is_leader]
        assert len(leaders) == 1 and [w.running for w in works.values()].count(True) == 1
        old, new = leaders[0], next(name for name in works if name != leaders[0])
        with psycopg.connect(url, autocommit=True) as admin:
            killed = admin.execute("select pg_terminate_backend(pid) from pg_stat_activity where application_name = %s",
                                   [elections[old].application_name]).fetchall()
        assert killed == [(True,)]
        took = await until(lambda: elections[new].is_leader)
        assert took < 10
        assert not works[old].running and works[new].running
        stopped = next(t for kind, name, t in log if kind == "stop" and name == old)
        begun = next(t for kind, name, t in log if kind == "start" and name == new)
        assert stopped < begun  # the deposed leader's work stopped before the new leader's started
    finally:
        for election in elections.values():
            await election.stop()
    assert not any(w.running for w in works.values())


async def test_a_leader_that_stops_hands_over_and_can_lead_again(url):
    log: list = []
    first, second = Work("first", log), Work("second", log)
    a, b = AdvisoryLeadership(url, "a", FAST), AdvisoryLeadership(url, "b", FAST)
    await a.start([first])
    await until(lambda: a.is_leader)
    await b.start([second])
    await asyncio.sleep(0.6)
    assert not b.is_leader and not second.running
    await a.stop()
    assert not first.running and not a.is_leader
    await until(lambda: b.is_leader)
    await a.start([first])  # a worker back: a follower now
    await asyncio.sleep(0.6)
    assert not a.is_leader and second.running and not first.running
    await b.stop()
    await until(lambda: a.is_leader)
    await a.stop()
    assert [(kind, name) for kind, name, _ in log] == [("start", "first"), ("stop", "first"), ("start", "second"),
                                                      ("stop", "second"), ("start", "first"), ("stop", "first")]


async def test_a_leader_killed_with_sigkill_is_replaced_within_ten_seconds(url):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, str(ROOT / "tests" / "leader_process.py"), url],
                               stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    follower = AdvisoryLeadership(url, "follower")  # the default timing of kefu run
    work = Work("follower", [])
    try:
        line = await asyncio.wait_for(asyncio.to_thread(process.stdout.readline), 30)
        assert line.strip() == "leading"
        await follower.start([work])
        await asyncio.sleep(2.5)
        assert not follower.is_leader and not work.running
        process.send_signal(signal.SIGKILL)
        process.wait(10)
        took = await until(lambda: follower.is_leader and work.running)
        print(f"takeover after SIGKILL: {took:.2f} s")
        assert took < 10
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        await follower.stop()


async def test_a_worker_that_cannot_reach_the_database_never_leads():
    from tests.pg import free_port

    log: list = []
    election = AdvisoryLeadership(f"postgresql://kefu@127.0.0.1:{free_port()}/kefu", "lonely", FAST)
    await election.start([Work("lonely", log)])
    await asyncio.sleep(1.0)
    assert not election.is_leader and log == []
    await election.stop()


async def test_one_process_on_sqlite_always_leads():
    log: list = []
    leadership = SoleLeader()
    assert leadership.is_leader
    await leadership.start([Work("one", log), Work("two", log)])
    await leadership.stop()
    assert [(kind, name) for kind, name, _ in log] == [("start", "one"), ("start", "two"), ("stop", "two"),
                                                      ("stop", "one")]


async def test_a_background_task_runs_while_leading_and_is_cancelled_after():
    ticks: list[str] = []

    async def tick() -> None:
        try:
            while True:
                ticks.append("tick")
                await asyncio.sleep(0.05)
        finally:
            ticks.append("cancelled")

    leadership = SoleLeader()
    await leadership.start([TaskWork(tick, "ticker")])
    await asyncio.sleep(0.2)
    await leadership.stop()
    count = len(ticks)
    await asyncio.sleep(0.2)
    assert ticks[-1] == "cancelled" and count == len(ticks) and ticks.count("tick") >= 2
