"""The store on SQLite (the embedded default): a ``sqlite_utils.Database`` on one file."""
from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils


def open_sqlite(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) the SQLite file at ``path`` (":memory:" for tests). WAL journaling
    and a busy timeout let readers and one writer share the file."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=30, check_same_thread=False)
    db = sqlite_utils.Database(conn)
    if str(path) != ":memory:":
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
    db.execute("PRAGMA foreign_keys=ON")
    return db
