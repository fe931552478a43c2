"""Fixtures for tests against a real Medusa v2 server (tests/shops/medusa/harness.py).

One PostgreSQL and one Medusa server per test session, shared by every Medusa test: each test makes
its own customers (``Medusa.unique_email``) and orders, so tests never see each other's data. The
migrated and seeded database stays as the template ``medusa_template``; a test that must have a
pristine shop can ask for ``fresh_medusa`` (a copy by ``createdb -T`` and a restart on it, ~10 s).

Without node/npm or PostgreSQL the tests are skipped with the reason, except in CI (``CI`` set), where
a missing tool is an error: make test installs both (make medusa-deps).
"""
from __future__ import annotations

import os
import secrets
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator

import pytest

from adapters.shops.medusa.events import PATH
from tests.pg import PostgresServer, find_bindir
from tests.shops.medusa.harness import TEMPLATE_DB, Medusa, MedusaServer, start_medusa, tools_missing

EVENTS_PATH = PATH  # the events route of adapters/shops/medusa/events.py


def _missing() -> str | None:
    reason = tools_missing()
    if reason is None and find_bindir() is None:
        reason = "PostgreSQL is not installed (no initdb/pg_ctl; apt-get install postgresql, or make medusa-deps)"
    return reason


def _require_tools() -> None:
    reason = _missing()
    if reason is None:
        return
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        pytest.fail(f"CI: the Medusa tests need their tools: {reason}", pytrace=False)
    pytest.skip(f"Medusa tests skipped: {reason}")


def _exit_on_sigterm(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _report(timings: dict[str, float]) -> None:
    print("\n[medusa harness] " + ", ".join(f"{phase} {seconds:.1f} s" for phase, seconds in timings.items()))


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A PostgreSQL server for the session (Debian's, as the postgres user, 127.0.0.1, a free port)."""
    _require_tools()
    folder = tempfile.mkdtemp(prefix="kefu-pg-")
    server = PostgresServer()
    # a SIGTERM'd test run still stops its servers: the finalisers run on SystemExit
    previous = signal.getsignal(signal.SIGTERM)
    if previous == signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
    try:
        server.start(folder)
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
        if previous == signal.SIG_DFL:
            signal.signal(signal.SIGTERM, previous)


@pytest.fixture(scope="session")
def medusa_events() -> dict[str, str]:
    """Where the Medusa server's Kefu subscriber posts (a port reserved for the test receiver) and its secret."""
    from tests.pg import free_port
    return {"url": f"http://127.0.0.1:{free_port()}{EVENTS_PATH}", "secret": secrets.token_hex(16)}


@pytest.fixture(scope="session")
def medusa_server(postgres: PostgresServer, medusa_events: dict[str, str]
                  ) -> Iterator[tuple[MedusaServer, Medusa]]:
    folder = tempfile.mkdtemp(prefix="kefu-medusa-")
    started = time.monotonic()
    server, medusa = start_medusa(postgres, folder, medusa_events["url"], medusa_events["secret"])
    server.timings["initdb"] = round(postgres.timings.get("initdb", 0), 2)
    server.timings["total"] = round(time.monotonic() - started, 2)
    _report(server.timings)
    try:
        yield server, medusa
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def medusa(medusa_server: tuple[MedusaServer, Medusa]) -> Medusa:
    """The running, seeded Medusa (shared by the session: make unique customers per test)."""
    return medusa_server[1]


@pytest.fixture
def fresh_medusa(postgres: PostgresServer, medusa_server: tuple[MedusaServer, Medusa]) -> Iterator[Medusa]:
    """The session's server restarted on a fresh copy of the seeded template (restored afterwards)."""
    server, medusa = medusa_server
    previous = server.dbname
    name = f"medusa_{secrets.token_hex(4)}"
    started = time.monotonic()
    server.stop()
    postgres.createdb(name, template=TEMPLATE_DB)
    base = server.restart(name)
    print(f"\n[medusa harness] fresh database + restart {time.monotonic() - started:.1f} s")
    fresh = Medusa(base, medusa.seeded, server.timings)
    try:
        yield fresh
    finally:
        server.stop()
        medusa.base_url = server.restart(previous)
        medusa._token = None
        postgres.dropdb(name)
