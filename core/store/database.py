"""Opening the store's database, on either engine (``core/store/engine``), migrated."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from core.store.engine import connect
from core.store.engine.advisory import setup_lock
from core.store.migrations import migrate


def open_database(target: str | Path) -> Any:
    """Open (creating if needed) the store at ``target`` — a SQLite file, ":memory:" for tests, or a
    ``postgresql://`` URL — migrated to the newest schema."""
    db = connect(target)
    with setup_lock(db):  # workers started together migrate one at a time
        migrate(db)
    return db
