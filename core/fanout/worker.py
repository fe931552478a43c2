"""A worker's name among the workers on one database: host, process and a random part (a restarted
process with a recycled pid is a new worker)."""
from __future__ import annotations

import os
import secrets
import socket


def new_worker_id() -> str:
    """``host:pid:random``, unique per process start (at most 63 characters)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"
