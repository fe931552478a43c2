"""PostgreSQL advisory locks of the store: stable keys, and the set-up lock that lets workers started
together migrate and seed one database one at a time (on SQLite, one process: no lock)."""
from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["SETUP_KEY", "advisory_key", "setup_lock"]


def advisory_key(name: str) -> int:
    """A stable signed 64-bit advisory lock key for ``name`` (the same in every process and release,
    unlike Python's ``hash``)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


SETUP_KEY = advisory_key("kefu:setup")
"""Held while a worker migrates the store, registers channel tables or loads the demo shop."""


@contextmanager
def setup_lock(db: Any) -> Iterator[None]:
    """Hold the set-up lock on the store's connection ``db`` (PostgreSQL); a no-op on SQLite."""
    if getattr(db, "engine", "sqlite") != "postgresql":
        yield
        return
    db.execute("select pg_advisory_lock(?)", [SETUP_KEY])
    try:
        yield
    finally:
        db.execute("select pg_advisory_unlock(?)", [SETUP_KEY])
