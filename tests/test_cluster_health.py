"""``/healthz`` readiness (core/cluster/readiness.py, adapters/http.py): 200 only when the database
answers and holds every migration, else 503 with the reason; the worker's id and whether it leads;
and ``kefu`` with an unreachable database: one line, exit status 2, no password."""
from __future__ import annotations

import time

import aiohttp
import psycopg
import pytest

from adapters.http import HttpHost, ServiceRoutes
from core.cluster.leadership import Leadership, SoleLeader
from core.cluster.pool import open_pool
from core.cluster.readiness import PoolReadiness, WorkerStatus, behind
from core.store import Store
from core.store.migrations import MIGRATIONS
from tests.helpers import run_kefu
from tests.pg import free_port

LATEST = len(MIGRATIONS)


class Follower(SoleLeader):
    """A worker that does not lead (for the ``leader`` field)."""

    @property
    def is_leader(self) -> bool:
        return False


async def healthz(store: Store, status: WorkerStatus) -> tuple[int, dict]:
    """GET /healthz of a host serving ``ServiceRoutes(store, status)``."""
    host = HttpHost("127.0.0.1", 0)
    host.register([ServiceRoutes(store, status)])
    await host.start()
    try:
        async with aiohttp.ClientSession() as http, http.get(f"{host.url}healthz") as response:
            return response.status, await response.json()
    finally:
        await host.stop()


def test_behind_names_what_the_database_lacks():
    assert behind(LATEST, [("telegram", 3)], {"telegram": 3}) is None
    assert behind(LATEST - 1, [("telegram", 1)], {"telegram": 3, "wechat": 2}) == \
        f"not migrated: schema {LATEST - 1} of {LATEST}, telegram 1 of 3, wechat 0 of 2"


@pytest.fixture
def pg_store(postgres_databases):
    store = Store(postgres_databases.new())
    yield store
    store.close()


async def status_on(url: str, store: Store, leadership: Leadership) -> tuple[WorkerStatus, object]:
    pool = await open_pool(url, 2)
    return WorkerStatus("worker-7", PoolReadiness(pool, store.owned_versions, timeout_s=1.0), leadership), pool


async def test_a_ready_worker_answers_200_with_its_id_and_whether_it_leads(pg_store):
    url = pg_store.db.url
    for leadership, leads in ((SoleLeader(), True), (Follower(), False)):
        status, pool = await status_on(url, pg_store, leadership)
        try:
            code, body = await healthz(pg_store, status)
        finally:
            await pool.close()
        assert code == 200 and body == {"status": "ok", "worker": "worker-7", "leader": leads, "products": 0,
                                        "conversations": 0}


async def test_a_database_behind_this_release_answers_503_not_migrated(pg_store):
    url = pg_store.db.url
    pg_store.db.execute("delete from schema_migrations where version = ?", [LATEST])
    pg_store.owned_versions["telegram"] = 2  # registered by this release, absent from the database
    status, pool = await status_on(url, pg_store, SoleLeader())
    try:
        code, body = await healthz(pg_store, status)
    finally:
        await pool.close()
    assert code == 503 and body == {"status": "unavailable", "worker": "worker-7", "leader": True,
                                    "reason": f"not migrated: schema {LATEST - 1} of {LATEST}, telegram 0 of 2"}


async def test_an_empty_database_answers_503_no_schema(postgres_databases, pg_store):
    empty = postgres_databases.new()
    with psycopg.connect(empty, autocommit=True) as connection:
        connection.execute("drop table schema_migrations cascade")
    status, pool = await status_on(empty, pg_store, SoleLeader())
    try:
        code, body = await healthz(pg_store, status)
    finally:
        await pool.close()
    assert code == 503 and body["reason"] == "not migrated: no schema"


async def test_a_database_gone_answers_503_unreachable_within_the_timeout(postgres_databases, pg_store):
    doomed = postgres_databases.new()
    status, pool = await status_on(doomed, pg_store, SoleLeader())
    try:
        with psycopg.connect(postgres_databases.url_for("postgres"), autocommit=True) as admin:
            admin.execute(f"drop database {doomed.rsplit('/', 1)[1]} with (force)")
        began = time.monotonic()
        code, body = await healthz(pg_store, status)
        took = time.monotonic() - began
    finally:
        await pool.close()
    assert code == 503 and body["reason"] == "database unreachable" and took < 3, (body, took)


def test_an_unreachable_database_is_one_line_and_exit_status_2(tmp_path):
    port = free_port()
    result = run_kefu(tmp_path, "run", KEFU_DATABASE_URL=f"postgresql://kefu:hunter2@127.0.0.1:{port}/kefu")
    assert result.returncode == 2
    assert result.stderr == f"kefu: cannot reach the database postgresql://kefu@127.0.0.1:{port}/kefu " \
                            "(password hidden): connection refused\n"
    assert "hunter2" not in result.stdout + result.stderr


def test_a_database_that_does_not_exist_is_one_line_too(tmp_path, postgres_databases):
    url = postgres_databases.url_for("no_such_db")
    result = run_kefu(tmp_path, "conversations", KEFU_DATABASE_URL=url)
    assert result.returncode == 2
    assert result.stderr == f'kefu: cannot reach the database {url}: database "no_such_db" does not exist\n'


async def test_a_lost_store_connection_answers_503_though_the_pool_reconnects(pg_store):
    """The store's one connection does not reconnect: the worker says so, to be restarted."""
    url = pg_store.db.url
    status, pool = await status_on(url, pg_store, SoleLeader())
    try:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute("select pg_terminate_backend(pid) from pg_stat_activity "
                          "where datname = current_database() and pid <> pg_backend_pid()")
        code, body = await healthz(pg_store, status)
    finally:
        await pool.close()
    assert code == 503 and body["reason"] == "store connection lost"
