"""Three ``kefu run`` workers on one PostgreSQL database (issue #24, docs/SCALING.md "Several workers").

Every shopper's consecutive messages go to different workers (the web chat session resumes on any of
them); the store must keep each conversation's turns in order, once each; a staff reply made on one
worker must reach the shopper's socket on another; a promotion reaches each customer once; and a
``kill -9`` of the scheduler leader mid-burst must leave a new leader within 10 s, every message
answered once (those in flight on the killed worker resent to a survivor) and no promotion twice.

The workers are started once for the module (about 40 s on two shared cores) and killed by the last
test."""
from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from core.store import Store
from tests.cluster import FAST, Cluster, Shopper, drain, replies, running_cluster
from tests.helpers import run_kefu
from tests.pg import find_bindir

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(find_bindir() is None, reason="PostgreSQL is not installed (make medusa-deps)")]

WORKERS = 3
PASSWORD = "correct horse battery"
SCRIPT = ["hi", "show me running shoes", "/page 2", "what is your return policy", "你好", "我想买一件红色的连衣裙"]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    with running_cluster(tmp_path_factory.mktemp("cluster"), WORKERS, KEFU_STAFF_PASSWORD=PASSWORD,
                         KEFU_PROMO_RATE_PER_S="2", **FAST) as started:
        yield started


def transcript(cluster: Cluster, shopper: Shopper) -> list[tuple[int, str, str | None, int | None, int]]:
    """(id, direction, client id, in_reply_to, processed) of every stored message, in order."""
    return cluster.rows("select id, direction, channel_message_id, in_reply_to, processed from messages "
                        "where conversation_id = %s order by id", [shopper.conversation_id])


def assert_turns_once_in_order(cluster: Cluster, shopper: Shopper, answers: dict[str, int]) -> None:
    """The stored inbound messages are the ones sent, once each, in order, all processed; each turn's
    replies are stored right after its message, as many as the shopper received (``answers``)."""
    rows = transcript(cluster, shopper)
    inbound = [row for row in rows if row[1] == "in"]
    assert [row[2] for row in inbound] == shopper.sent, f"{shopper.name}: turns lost, doubled or out of order"
    assert all(row[4] == 1 for row in inbound), f"{shopper.name}: a turn never completed"
    latest = None
    for row_id, direction, _client, in_reply_to, _processed in rows:
        if direction == "in":
            latest = row_id
        elif in_reply_to is not None:
            assert in_reply_to == latest, f"{shopper.name}: a reply stored after a later message"
    stored = {row[2]: sum(1 for r in rows if r[3] == row[0]) for row in inbound}
    assert stored == answers, f"{shopper.name}: replies stored {stored}, received {answers}"


async def test_every_worker_is_up_on_the_one_database(cluster: Cluster) -> None:
    async with aiohttp.ClientSession() as http:
        health = await cluster.health(http)
    assert len(health) == WORKERS and all(h and h["status"] == "ok" and h["products"] >= 80 for h in health.values())
    assert {h.get("worker") for h in health.values()} == {w.worker_id for w in cluster.workers}, \
        "/healthz does not report KEFU_WORKER_ID (the workers branch adds it)"


async def test_conversations_round_robin_keep_their_turns_in_order_once(cluster: Cluster) -> None:
    shoppers = [Shopper(f"s{i}") for i in range(10)]
    received: dict[str, dict[str, list[str]]] = {s.name: {} for s in shoppers}

    async def converse(index: int, shopper: Shopper, http: aiohttp.ClientSession) -> None:
        for turn, text in enumerate(SCRIPT):
            client_id = f"{shopper.name}-{turn}"
            worker = cluster.workers[(index + turn) % WORKERS]  # never the same worker twice in a row
            frames = await shopper.say(http, worker, text, client_id)
            assert [f["type"] for f in frames if f["type"] == "error"] == [], frames
            answer = replies(frames, client_id)
            assert answer, f"{shopper.name}: no reply to {text!r} on {worker.worker_id}: {frames}"
            assert replies(frames) == answer, f"{shopper.name}: a reply to another message came back: {frames}"
            received[shopper.name][client_id] = [f["text"] for f in answer]

    async with aiohttp.ClientSession() as http:
        await asyncio.gather(*(converse(i, s, http) for i, s in enumerate(shoppers)))
        for shopper in shoppers:
            assert_turns_once_in_order(cluster, shopper, {k: len(v) for k, v in received[shopper.name].items()})
        # a message resent (same id) to a worker other than the one that answered it: the saved turn
        for index, shopper in enumerate(shoppers):
            client_id = f"{shopper.name}-2"
            again = await shopper.say(http, cluster.workers[(index + 2 + 1) % WORKERS], SCRIPT[2], client_id)
            assert [f["text"] for f in replies(again, client_id)] == received[shopper.name][client_id]
            assert_turns_once_in_order(cluster, shopper, {k: len(v) for k, v in received[shopper.name].items()})


async def staff_login(http: aiohttp.ClientSession, base: str) -> str:
    """Log in to a worker's console with the bootstrap password; its CSRF token."""
    async with http.post(f"{base}staff/api/login", json={"name": "Lin", "password": PASSWORD}) as response:
        assert response.status == 200, await response.text()
        return (await response.json())["csrf"]


async def test_a_staff_reply_made_on_one_worker_reaches_the_socket_on_another_once(cluster: Cluster) -> None:
    asked, staff_side, shopper_side = cluster.workers[1], cluster.workers[0], cluster.workers[2]
    shopper = Shopper("handoff")
    text = "STAFF-7f3: your parcel left the warehouse this morning."
    async with aiohttp.ClientSession() as http, \
            aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as console:
        assert replies(await shopper.say(http, asked, "/human", "h-1"), "h-1")
        assert cluster.rows("select status from handoffs where conversation_id = %s",
                            [shopper.conversation_id]) == [("open",)]
        ws = await shopper.connect(http, shopper_side)  # the shopper's only open socket: on the third worker
        csrf = await staff_login(console, staff_side.url)
        for verb, body in (("claim", {}), ("reply", {"text": text})):
            async with console.post(f"{staff_side.url}staff/api/conversations/{shopper.conversation_id}/{verb}",
                                    json=body, headers={"X-CSRF-Token": csrf}) as response:
                assert response.status == 200, (verb, await response.text())
        frames = await drain(ws, 5.0)
        await ws.close()
    stored = cluster.rows("select count(*) from messages where conversation_id = %s and direction = 'out' "
                          "and text = %s", [shopper.conversation_id, text])
    assert stored == [(1,)], "the staff reply is not in the transcript once"
    got = [f for f in frames if f["type"] == "reply" and f.get("text") == text]
    assert len(got) == 1, f"the staff reply reached the socket on {shopper_side.worker_id} {len(got)} times " \
                          f"(sent on {staff_side.worker_id}; the fanout branch carries it): {frames}"


def create_campaign(cluster: Cluster, folder: Path, marker: str) -> int:
    """A web-chat campaign (no products, no quiet hours) created and started with the ``kefu campaign``
    CLI on the shared database; its id."""
    spec = folder / f"{marker}.yaml"
    spec.write_text(f"name: {marker}\nmessage:\n  zh: \"{marker} {{name}}\"\n  en: \"{marker} {{name}}\"\n"
                    "segment:\n  channels: [web]\nproducts: 0\n", encoding="utf-8")
    database = {"KEFU_DATABASE_URL": cluster.database_url}
    made = run_kefu(folder, "campaign", "create", str(spec), **database)
    assert made.returncode == 0, made.stdout + made.stderr
    campaign_id = int(made.stdout.split()[1])
    started = run_kefu(folder, "campaign", "start", str(campaign_id), **database)
    assert started.returncode == 0, started.stdout + started.stderr
    return campaign_id


def subscribe(cluster: Cluster, shoppers: list[Shopper]) -> None:
    """A customer with marketing consent for each shopper's session (the web chat links none by itself)."""
    store = Store(cluster.database_url)
    try:
        for shopper in shoppers:
            customer = store.customers.upsert({"external_id": f"test-{shopper.name}", "name": shopper.name,
                                               "language": "en"})
            store.customers.link_identity("web", shopper.session, customer)
            store.customers.set_marketing_consent(customer, True, "test")
    finally:
        store.close()


def deliveries(cluster: Cluster, campaign_id: int, shoppers: list[Shopper]) -> dict[str, list[str]]:
    """The ledger's statuses of the campaign per shopper."""
    rows = cluster.rows("select i.user_id, d.status from deliveries d join identities i on i.customer_id = "
                        "d.customer_id and i.channel = 'web' where d.campaign_id = %s", [campaign_id])
    by_session = {s.session: s.name for s in shoppers}
    found: dict[str, list[str]] = {s.name: [] for s in shoppers}
    for session, status in rows:
        if session in by_session:
            found[by_session[session]].append(status)
    return found


async def listen(ws: aiohttp.ClientWebSocketResponse, frames: list[dict[str, Any]], stop: asyncio.Event) -> None:
    """Collect ``ws``'s frames until ``stop`` is set or the socket closes."""
    while not stop.is_set():
        frames += await drain(ws, 0.5)
        if ws.closed:
            return


async def test_one_promotion_per_customer_across_workers(cluster: Cluster, tmp_path: Path) -> None:
    shoppers = [Shopper(f"p{i}") for i in range(4)]
    marker = "PROMO-a1"
    async with aiohttp.ClientSession() as http:
        for i, shopper in enumerate(shoppers):
            assert replies(await shopper.say(http, cluster.workers[i % WORKERS], "hi", "p-1"), "p-1")
        subscribe(cluster, shoppers)
        sockets = [await s.connect(http, cluster.workers[(i + 1) % WORKERS]) for i, s in enumerate(shoppers)]
        frames: list[list[dict[str, Any]]] = [[] for _ in shoppers]
        stop = asyncio.Event()
        listening = [asyncio.create_task(listen(ws, got, stop)) for ws, got in zip(sockets, frames, strict=True)]
        campaign_id = create_campaign(cluster, tmp_path, marker)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            ledger = deliveries(cluster, campaign_id, shoppers)
            if all(statuses and statuses[0] in ("sent", "failed") for statuses in ledger.values()):
                break
            await asyncio.sleep(0.5)
        await asyncio.sleep(3)  # anything sent twice would arrive by now
        stop.set()
        await asyncio.gather(*listening)
        for ws in sockets:
            await ws.close()
    ledger = deliveries(cluster, campaign_id, shoppers)
    assert all(len(statuses) == 1 for statuses in ledger.values()), f"one delivery row per customer: {ledger}"
    pushed = {s.name: sum(1 for f in got if f["type"] == "reply" and marker in f.get("text", ""))
              for s, got in zip(shoppers, frames, strict=True)}
    assert all(count <= 1 for count in pushed.values()), f"a promotion arrived twice: {pushed}"
    assert ledger == {s.name: ["sent"] for s in shoppers}, \
        f"not every customer got the promotion (ledger {ledger}, frames {pushed}): a push reaches only the " \
        "sockets of the worker that sends it until the fanout branch lands"
    assert pushed == {s.name: 1 for s in shoppers}


async def test_kill_9_the_leader_mid_burst(cluster: Cluster, tmp_path: Path) -> None:
    shoppers = [Shopper(f"b{i}") for i in range(6)]
    marker = "PROMO-k9"
    async with aiohttp.ClientSession() as http:
        leader = await cluster.leader(http, within=15)
        victim = leader or cluster.workers[-1]
        survivors = [w for w in cluster.workers if w is not victim]
        for i, shopper in enumerate(shoppers):
            assert replies(await shopper.say(http, survivors[i % len(survivors)], "hi", "b-0"), "b-0")
        subscribe(cluster, shoppers)
        sockets = [await s.connect(http, survivors[i % len(survivors)]) for i, s in enumerate(shoppers)]
        promo_frames: list[list[dict[str, Any]]] = [[] for _ in shoppers]
        stop = asyncio.Event()
        listening = [asyncio.create_task(listen(ws, got, stop)) for ws, got in zip(sockets, promo_frames, strict=True)]
        campaign_id = create_campaign(cluster, tmp_path, marker)  # paced at 2/s: still sending at the kill
        answers: dict[str, dict[str, int]] = {s.name: {"b-0": 1} for s in shoppers}
        resent: list[str] = []
        done = itertools.count(1)
        half = asyncio.Event()

        async def burst(index: int, shopper: Shopper) -> None:
            for turn, text in enumerate(SCRIPT * 2, start=1):
                client_id = f"b-{turn}"
                worker = cluster.workers[(index + turn) % WORKERS]
                while True:
                    try:
                        frames = await shopper.say(http, worker, text, client_id)
                        break
                    except (TimeoutError, aiohttp.ClientError, TypeError, AssertionError):
                        if worker.alive:  # only the killed worker's messages are resent
                            raise
                        resent.append(f"{shopper.name}/{client_id}")
                        worker = survivors[index % len(survivors)]
                answer = replies(frames, client_id)
                assert answer, f"{shopper.name}: no reply to {client_id} on {worker.worker_id}: {frames}"
                answers[shopper.name][client_id] = len(answer)
                promo_frames[index].extend(f for f in frames if f not in answer)
                if next(done) == 3 * len(shoppers):
                    half.set()

        async def kill_at_half() -> float | None:
            await half.wait()
            cluster.kill(victim)
            killed = time.monotonic()
            successor = await cluster.leader(http, within=10)
            return time.monotonic() - killed if successor is not None else None

        results = await asyncio.gather(kill_at_half(), *(burst(i, s) for i, s in enumerate(shoppers)))
        takeover = results[0]
        await asyncio.sleep(5)  # the new leader's dispatcher resumes; a repeat would arrive by now
        stop.set()
        await asyncio.gather(*listening)
        for ws in sockets:
            await ws.close()
    assert not victim.alive
    assert resent, "no message had to be resent: the kill did not land mid-burst"
    print(f"kill -9 of {victim.worker_id}: {len(resent)} messages resent to survivors, new leader after {takeover} s")
    for shopper in shoppers:
        assert_turns_once_in_order(cluster, shopper, answers[shopper.name])
    ledger = deliveries(cluster, campaign_id, shoppers)
    assert all(len(statuses) == 1 for statuses in ledger.values()), ledger
    pushed = {s.name: sum(1 for f in got if f["type"] == "reply" and marker in f.get("text", ""))
              for s, got in zip(shoppers, promo_frames, strict=True)}
    assert all(count <= 1 for count in pushed.values()), f"a promotion arrived twice: {pushed}"
    assert all(count == 1 for s, count in pushed.items() if ledger[s] == ["sent"]), (ledger, pushed)
    assert leader is not None, "no worker says \"leader\": true in /healthz (the workers branch adds it)"
    assert takeover is not None and takeover <= 10, f"no new leader within 10 s of kill -9 ({takeover})"

