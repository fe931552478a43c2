"""``kefu bench load`` drives real conversations through the core and over websockets."""
from __future__ import annotations

import re

import psycopg
import pytest

from tests.helpers import run_kefu

# Under --db-engine postgresql the stores on file paths here are PostgreSQL databases too (tests/conftest.py).
pytestmark = pytest.mark.file_stores


@pytest.mark.slow
def test_bench_load_reports_throughput_latency_and_no_errors(tmp_path):
    result = run_kefu(tmp_path, "bench", "load", "--conversations", "4", "--turns", "5")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if "turns/s" in line]
    assert [line.split()[0] for line in lines] == ["core", "websocket"]
    for line in lines:
        assert "20 turns in" in line and "errors=0" in line
        assert float(re.search(r"p99=([\d.]+) ms", line).group(1)) > 0
        questions = re.search(r"knowledge questions encoded=(\d+) cached=(\d+)", line)
        assert int(questions.group(1)) + int(questions.group(2)) == 4  # each shopper's fifth turn asks one


@pytest.mark.slow
def test_bench_load_workers_prints_a_line_per_worker_count_on_postgresql(tmp_path, postgres_databases):
    server = postgres_databases.url_for("postgres")
    result = run_kefu(tmp_path, "bench", "load", "--workers", "1,2", "--conversations", "3", "--turns", "4",
                      "--database-url", server, timeout=420)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if "turns/s" in line]
    assert [line.split()[:3] for line in lines] == [["sqlite", "1", "worker"], ["postgresql", "1", "worker"],
                                                    ["postgresql", "2", "workers"]]
    for line in lines:
        assert "12 turns in" in line and "errors=0" in line, line
        turns_per_s = float(re.search(r"= ([\d.]+) turns/s", line).group(1))
        p50, p99 = (float(re.search(rf"{p}=([\d.]+) ms", line).group(1)) for p in ("p50", "p99"))
        assert turns_per_s > 0 and 0 < p50 <= p99, line
    with psycopg.connect(server) as db:  # every scratch database was dropped
        assert db.execute("select datname from pg_database where datname like 'kefu_bench%'").fetchall() == []


def test_bench_load_workers_without_postgresql_says_how(tmp_path):
    result = run_kefu(tmp_path, "bench", "load", "--workers", "1,2")
    assert result.returncode != 0 and "needs PostgreSQL" in result.stderr and "SCALING.md" in result.stderr
