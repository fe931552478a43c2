"""The scheduler's SQLite job store keeps jobs across restarts, and a run missed while the bot was
down runs once (coalesced) within the grace time — the real AsyncIOScheduler, twice on one file."""
from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from apscheduler.triggers.interval import IntervalTrigger

from core.clock import utc_now
from scheduler.service import build_scheduler


async def test_jobs_survive_a_restart_and_missed_runs_coalesce(tmp_path: Path) -> None:
    jobs_file, runs = tmp_path / "jobs.db", tmp_path / "runs.txt"
    first = build_scheduler(jobs_file, misfire_grace_s=3600, timezone="UTC")
    first.start(paused=True)
    # due every minute, first run 10 minutes ago: ten runs were "missed" while nothing was running
    first.add_job("jobs_for_tests:record_run", IntervalTrigger(minutes=1, start_date=utc_now() - timedelta(minutes=10)),
                  args=[str(runs), "tick"], id="ticker", next_run_time=utc_now() - timedelta(minutes=10))
    first.add_job("jobs_for_tests:record_run", "date", run_date=utc_now() + timedelta(days=1), args=[str(runs), "later"],
                  id="tomorrow")
    first.shutdown(wait=False)
    assert not runs.exists()

    second = build_scheduler(jobs_file, misfire_grace_s=3600, timezone="UTC")
    assert {job.id for job in second.get_jobs()} == set()  # not started: the store is not read yet
    second.start()
    try:
        assert {job.id for job in second.get_jobs()} == {"ticker", "tomorrow"}
        for _ in range(50):
            if runs.exists():
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(0.3)
        assert runs.read_text().splitlines() == ["tick"]  # ten missed runs, run once
        assert second.get_job("ticker").next_run_time > utc_now()
    finally:
        second.shutdown(wait=False)


async def test_a_run_missed_beyond_the_grace_time_is_skipped(tmp_path: Path) -> None:
    jobs_file, runs = tmp_path / "jobs.db", tmp_path / "runs.txt"
    first = build_scheduler(jobs_file, misfire_grace_s=60, timezone="UTC")
    first.start(paused=True)
    first.add_job("jobs_for_tests:record_run", "date", run_date=utc_now() - timedelta(minutes=10),
                  args=[str(runs), "late"], id="late")
    first.shutdown(wait=False)
    second = build_scheduler(jobs_file, misfire_grace_s=60, timezone="UTC")
    second.start()
    try:
        await asyncio.sleep(0.5)
        assert not runs.exists() and second.get_job("late") is None
    finally:
        second.shutdown(wait=False)
