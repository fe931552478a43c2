"""Two ``kefu run`` workers on one PostgreSQL, as docs/SCALING.md starts them (``KEFU_DATABASE_URL``,
``KEFU_PORT``, ``KEFU_WORKER_ID``): both ready, exactly one leads (``/healthz``); the leader killed
with SIGKILL, the other leads within 10 s; SIGTERM stops the last one cleanly."""
from __future__ import annotations

import asyncio
import re
import signal
import subprocess
import time

import aiohttp
import pytest

from tests.helpers import start_kefu


def base_url(process: subprocess.Popen[str]) -> str:
    """The worker's address from its "Kefu is running" line."""
    line = process.stdout.readline()
    match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    assert match, (line, process.stderr.read() if process.poll() is not None else "")
    return f"http://127.0.0.1:{match.group(1)}"


async def health(http: aiohttp.ClientSession, base: str) -> tuple[int, dict]:
    async with http.get(f"{base}/healthz") as response:
        return response.status, await response.json()


@pytest.mark.slow
async def test_two_workers_one_leader_and_a_takeover_after_sigkill(tmp_path, postgres_databases):
    url = postgres_databases.new()
    workers = {}
    for name in ("w1", "w2"):  # each in its own folder: its own handle key, logs, no shared SQLite file
        (tmp_path / name).mkdir()
        workers[name] = start_kefu(tmp_path / name, "run", KEFU_DATABASE_URL=url, KEFU_PORT="0", KEFU_WORKER_ID=name)
    try:
        bases = {name: await asyncio.to_thread(base_url, process) for name, process in workers.items()}
        async with aiohttp.ClientSession() as http:
            async with asyncio.timeout(20):
                while True:
                    seen = {name: await health(http, base) for name, base in bases.items()}
                    if any(body["leader"] for _, body in seen.values()):
                        break
                    await asyncio.sleep(0.2)
            await asyncio.sleep(2)  # a second leader would have started by now
            seen = {name: await health(http, base) for name, base in bases.items()}
            assert all(code == 200 and body["worker"] == name and body["status"] == "ok"
                       for name, (code, body) in seen.items()), seen
            leaders = [name for name, (_, body) in seen.items() if body["leader"]]
            assert len(leaders) == 1, seen
            old = leaders[0]
            new = next(name for name in workers if name != old)
            workers[old].send_signal(signal.SIGKILL)
            workers[old].wait(10)
            began = time.monotonic()
            async with asyncio.timeout(10):
                while not (await health(http, bases[new]))[1]["leader"]:
                    await asyncio.sleep(0.1)
            print(f"kefu run takeover after SIGKILL: {time.monotonic() - began:.2f} s")
        workers[new].send_signal(signal.SIGTERM)
        assert workers[new].wait(timeout=20) == 0
    finally:
        for process in workers.values():
            if process.poll() is None:
                process.kill()
                process.wait()
