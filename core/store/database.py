"""Opening the SQLite database: connection settings and migrations."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

from core.store.migrations import migrate


def open_database(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) the store at ``path`` (":memory:" for tests), migrated to the
    newest schema. WAL journaling and a busy timeout let readers and one writer share the file."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    if str(path) != ":memory:":
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    migrate(db)
    return db
