"""Running the real ``kefu`` command in a subprocess, isolated in a temporary folder."""
from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def store_url(path: Path) -> str | None:
    """Where the store on ``path`` really is: None for the SQLite file itself, or, in a test marked
    ``file_stores`` under ``--db-engine postgresql``, the PostgreSQL database standing in for it
    (tests/conftest.py replaces this function for the session)."""
    return None


def kefu_env(tmp_path: Path, **settings: str) -> dict[str, str]:
    """An environment with its own database under ``tmp_path`` (its PostgreSQL stand-in, see ``store_url``)
    and the repo importable."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEFU_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH", "")]))
    env["KEFU_DB_PATH"] = str(tmp_path / "kefu.db")
    env["KEFU_LLM_BACKEND"] = "templates"  # template replies unless a test asks for a model
    env["PYTHONUNBUFFERED"] = "1"
    env.update(settings)
    url = store_url(Path(env["KEFU_DB_PATH"]))
    if url:
        env["KEFU_DATABASE_URL"] = url
    return env


def run_kefu(tmp_path: Path, *args: str, stdin: str = "", timeout: float = 120,
             **settings: str) -> subprocess.CompletedProcess[str]:
    """``python -m bot ARGS`` run to completion in ``tmp_path`` (killed after ``timeout`` s)."""
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                          cwd=tmp_path, env=kefu_env(tmp_path, **settings), timeout=timeout)


def start_kefu(tmp_path: Path, *args: str, **settings: str) -> subprocess.Popen[str]:
    """``python -m bot ARGS`` started in the background (the caller stops it)."""
    return subprocess.Popen([sys.executable, "-m", "bot", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=tmp_path, env=kefu_env(tmp_path, **settings))


async def wait_until(condition, tries: int = 100, pause_s: float = 0.05) -> bool:
    """Poll ``condition()`` until it is true (True) or ``tries`` pauses have passed (False)."""
    for _ in range(tries):
        if condition():
            return True
        await asyncio.sleep(pause_s)
    return bool(condition())
