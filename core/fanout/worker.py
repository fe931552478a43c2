"""A worker's name on the outbound bus and in the presence table: its configured id (``KEFU_WORKER_ID``,
else ``host:pid``) and a random part, so a restarted process (or two started with one id) is a new worker."""
from __future__ import annotations

import secrets


def new_worker_id(name: str) -> str:
    """``name:random``, unique per process start (at most 63 characters)."""
    return f"{name[:54]}:{secrets.token_hex(4)}"
