"""``kefu bench fanout`` measures the shared state of several workers on a scratch PostgreSQL database."""
from __future__ import annotations

import re

import psycopg

from tests.helpers import run_kefu


def test_bench_fanout_prints_each_measure_and_drops_its_database(tmp_path, postgres_databases):
    server = postgres_databases.url_for("postgres")
    result = run_kefu(tmp_path, "bench", "fanout", "--rounds", "20", "--calls", "50", "--database-url", server,
                      timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    bus = [line for line in lines if line.startswith("publish on A, delivered on B")]
    assert len(bus) == 2 and all("(n=20)" in line for line in bus), lines
    for line in bus:
        median, p95 = (float(v) for v in re.search(r"median ([\d.]+) ms, p95 ([\d.]+) ms", line).groups())
        assert 0 < median <= p95, line
    assert [line.split(":")[0] for line in lines if line.startswith("rate-limit hit")] == \
        ["rate-limit hit (memory)", "rate-limit hit (store)"]
    assert any(re.fullmatch(r"presence lookup: [\d.]+ ms \(n=50\)", line) for line in lines), lines
    with psycopg.connect(server) as db:
        assert db.execute("select datname from pg_database where datname like 'kefu_bench%'").fetchall() == []


def test_bench_fanout_without_postgresql_says_so(tmp_path):
    result = run_kefu(tmp_path, "bench", "fanout")
    assert result.returncode != 0 and "needs PostgreSQL" in result.stderr
