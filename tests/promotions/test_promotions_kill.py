"""Exactly once per (campaign, customer) when the dispatching process is killed with SIGKILL
mid-dispatch and restarted: nothing lost, nothing sent twice."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from promo_helpers import NO_QUIET, NOW, definition

from core.promotions.campaigns import Campaigns
from core.promotions.planner import Planner
from core.promotions.respect import Respect
from core.recommend.popular import PopularityRecommender
from core.store import Store

REPO = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("kill_worker.py")
CUSTOMERS = 600


def _received(platform: Path) -> list[str]:
    if not platform.exists():
        return []
    with sqlite3.connect(platform) as db:
        return [r[0] for r in db.execute("select key from received")] if db.execute(
            "select 1 from sqlite_master where name = 'received'").fetchone() else []


def _count(platform: Path) -> int:
    if not platform.exists():
        return 0
    with sqlite3.connect(platform) as db:
        table = db.execute("select 1 from sqlite_master where name = 'received'").fetchone()
        return db.execute("select count(*) from received").fetchone()[0] if table else 0


def _start(store_path: Path, platform: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, str(WORKER), str(store_path), str(platform)], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
def test_kill_9_mid_dispatch_then_restart_sends_each_exactly_once(tmp_path: Path) -> None:
    store_path, platform = tmp_path / "kefu.db", tmp_path / "platform.db"
    store = Store(store_path)
    with store.db.atomic():
        for i in range(CUSTOMERS):
            cid = store.customers.upsert({"external_id": f"K{i}", "name": f"K{i}", "language": "en" if i % 2 else "zh"})
            store.customers.link_identity("telegram", str(5000 + i), cid)
            store.customers.set_marketing_consent(cid, True, "test")
    store.catalog.upsert_category("misc", "杂货", "Misc", [])
    campaigns = Campaigns(store.db)
    campaign_id = campaigns.create(definition())
    campaigns.set_status(campaign_id, "running")
    planner = Planner(campaigns, PopularityRecommender(store), Respect(store.db, NO_QUIET), {}, "en", {"telegram"})
    assert planner.plan(campaigns.get(campaign_id), NOW).planned == CUSTOMERS
    store.close()

    kills = 0
    for _ in range(3):  # kill it mid-dispatch (at 150 messages/s), several times
        worker = _start(store_path, platform)
        before = _count(platform)
        deadline = time.monotonic() + 30
        while _count(platform) < before + 40 and worker.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        if worker.poll() is None:
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait()
            kills += 1
            assert worker.returncode == -signal.SIGKILL
    assert kills >= 3
    assert 0 < len(_received(platform)) < CUSTOMERS  # the kills really landed mid-dispatch

    worker = _start(store_path, platform)
    out, err = worker.communicate(timeout=120)
    assert worker.returncode == 0, err
    assert "done" in out

    keys = _received(platform)
    assert len(keys) == len(set(keys)), "a message was sent twice"
    store = Store(store_path)
    try:
        expected = {f"campaign:{campaign_id}:{r[0]}" for r in store.db.execute("select customer_id from deliveries")}
        assert set(keys) == expected and len(keys) == CUSTOMERS  # nothing lost
        assert Campaigns(store.db).status_counts(campaign_id) == {"sent": CUSTOMERS}
    finally:
        store.close()
