"""``kefu bench load`` drives real conversations through the core and over websockets."""
from __future__ import annotations

import re

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
