"""Several ``kefu run`` worker processes on one PostgreSQL database: started, waited for, stopped or killed.

Used by ``kefu bench load --workers`` and by the multi-worker tests (``tests/cluster.py``). Each worker
has its own folder (its log, its scheduler's job file) and its own ``KEFU_WORKER_ID``; all of them share
the database and the key of the conversation handles, as the workers of one shop must
(docs/SCALING.md, "Several workers")."""
from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import aiohttp

import bot

_RUNNING = re.compile(r"web chat at (http://127\.0\.0\.1:\d+/)")
_SOURCE = Path(bot.__file__).resolve().parent.parent

BENCH_SETTINGS: dict[str, str] = {
    "KEFU_LLM_BACKEND": "templates",               # template replies: the bench measures the pipeline, not a model
    "KEFU_RATE_LIMIT_MESSAGES": "0",               # a bench or a test is not abuse
    "KEFU_WEB_NEW_CONVERSATIONS_PER_ADDRESS": "0",
    "KEFU_WEB_NEW_CONVERSATIONS_PER_MINUTE": "0",
    "OMP_NUM_THREADS": "1",                        # N workers share the cores: one thread each for numpy's maths
}
"""The settings every fleet worker starts with (the caller's own settings come on top)."""


class FleetError(RuntimeError):
    """A worker exited or did not become ready in time (its log's tail is in the message)."""


@dataclass
class Worker:
    """One ``kefu run`` process."""

    worker_id: str
    folder: Path
    process: subprocess.Popen[bytes]
    url: str = ""
    """``http://127.0.0.1:PORT/`` once it printed that it runs."""

    @property
    def alive(self) -> bool:
        """Whether the process is still running."""
        return self.process.poll() is None

    @property
    def ws_url(self) -> str:
        """The web chat's websocket."""
        return self.url.replace("http://", "ws://", 1) + "ws"

    def log_tail(self, lines: int = 30) -> str:
        """The end of its stderr (where ``kefu run`` logs)."""
        try:
            text = (self.folder / "stderr.log").read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def worker_env(base: Path, folder: Path, database_url: str | None, worker_id: str,
               settings: Mapping[str, str]) -> dict[str, str]:
    """The environment of one worker: no inherited ``KEFU_`` setting, the bench settings, then ``settings``;
    its store on ``database_url``, or (None) a SQLite file in its folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_SOURCE), env.get("PYTHONPATH", "")]))
    env.update(BENCH_SETTINGS)
    if database_url:
        env["KEFU_DATABASE_URL"] = database_url
    env.update(PYTHONUNBUFFERED="1", KEFU_WORKER_ID=worker_id, KEFU_HOST="127.0.0.1", KEFU_PORT="0",
               KEFU_DB_PATH=str(folder / "kefu.db"),
               KEFU_SCHEDULER_DB_PATH=str(folder / "scheduler.db"),
               KEFU_HANDLE_KEY_PATH=str(base / "handle.key"))  # one key: the same handle on every worker
    env.update(settings)
    return env


class Fleet:
    """Workers started under ``base`` (one sub-folder each) on ``database_url`` (None: each its own SQLite
    file, which makes sense for one worker only)."""

    def __init__(self, base: Path, database_url: str | None, settings: Mapping[str, str] | None = None,
                 ready_timeout: float = 120.0) -> None:
        self.base = base
        self.database_url = database_url
        self.settings = dict(settings or {})
        self.ready_timeout = ready_timeout
        self.workers: list[Worker] = []

    def spawn(self, worker_id: str, **settings: str) -> Worker:
        """Start one more worker (not waited for: see :meth:`ready`)."""
        folder = self.base / worker_id
        folder.mkdir(parents=True, exist_ok=True)
        env = worker_env(self.base, folder, self.database_url, worker_id, {**self.settings, **settings})
        with open(folder / "stdout.log", "wb") as out, open(folder / "stderr.log", "wb") as err:
            process = subprocess.Popen([sys.executable, "-m", "bot", "run"], stdout=out, stderr=err,
                                       stdin=subprocess.DEVNULL, cwd=folder, env=env)
        worker = Worker(worker_id, folder, process)
        self.workers.append(worker)
        return worker

    async def ready(self, worker: Worker, http: aiohttp.ClientSession) -> dict[str, object]:
        """Wait until ``worker`` printed its address and its ``/healthz`` answers 200; returns that health."""
        deadline = time.monotonic() + self.ready_timeout
        while time.monotonic() < deadline:
            if not worker.alive:
                raise FleetError(f"worker {worker.worker_id} exited ({worker.process.returncode}):\n"
                                 f"{worker.log_tail()}")
            if not worker.url:
                found = _RUNNING.search((worker.folder / "stdout.log").read_text(errors="replace"))
                worker.url = found.group(1) if found else ""
            if worker.url:
                health = await health_of(http, worker)
                if health is not None:
                    return health
            await asyncio.sleep(0.2)
        raise FleetError(f"worker {worker.worker_id} not ready in {self.ready_timeout:.0f} s:\n{worker.log_tail()}")

    async def start(self, count: int, http: aiohttp.ClientSession) -> list[Worker]:
        """Start ``count`` workers: the first alone (it migrates the database and loads the demo shop),
        then the others together; returns them once every one is ready."""
        first = self.spawn(f"w{len(self.workers) + 1}")
        await self.ready(first, http)
        rest = [self.spawn(f"w{len(self.workers) + 1}") for _ in range(count - 1)]
        await asyncio.gather(*(self.ready(worker, http) for worker in rest))
        return [first, *rest]

    def kill(self, worker: Worker) -> None:
        """``kill -9`` one worker and reap it."""
        if worker.alive:
            worker.process.send_signal(signal.SIGKILL)
        worker.process.wait()

    def stop(self, timeout: float = 20.0) -> None:
        """SIGTERM every live worker, SIGKILL any still running after ``timeout`` s."""
        for worker in self.workers:
            if worker.alive:
                worker.process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for worker in self.workers:
            try:
                worker.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.kill(worker)


async def health_of(http: aiohttp.ClientSession, worker: Worker) -> dict[str, object] | None:
    """``/healthz`` of a worker when it answers 200, else None (not up, not ready, or gone)."""
    try:
        async with http.get(f"{worker.url}healthz", timeout=aiohttp.ClientTimeout(total=5)) as response:
            return await response.json() if response.status == 200 else None
    except (TimeoutError, aiohttp.ClientError, ValueError):
        return None
