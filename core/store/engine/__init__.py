"""The store's two engines behind one narrow interface (docs/SCALING.md): SQLite through sqlite-utils
(the default) and PostgreSQL through psycopg 3 (:mod:`core.store.engine.postgres`), chosen by the
target: a file path (or ":memory:") or a ``postgresql://`` URL."""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import psycopg

from core.store.engine.postgres import PostgresDatabase, is_postgres_url
from core.store.engine.reach import DatabaseUnreachable, shown_url
from core.store.engine.sqlite import open_sqlite

__all__ = ["DatabaseError", "DatabaseUnreachable", "IntegrityError", "connect", "engine_of", "is_postgres_url",
           "location", "shown_url"]

IntegrityError = (sqlite3.IntegrityError, psycopg.IntegrityError)
"""A constraint (unique, foreign key, not null) refused a write, on either engine."""
DatabaseError = (sqlite3.Error, psycopg.Error)
"""Any error the database raised, on either engine."""


def connect(target: str | Path) -> Any:
    """The database at ``target``, not yet migrated: PostgreSQL for a ``postgresql://`` URL, else SQLite."""
    return PostgresDatabase(str(target)) if is_postgres_url(str(target)) else open_sqlite(target)


def location(db: Any) -> str:
    """Where another connection opens the same database: the SQLite file ("" in memory) or the URL."""
    if engine_of(db) == "postgresql":
        return db.url
    return next((row[2] for row in db.execute("pragma database_list") if row[1] == "main"), "") or ""


def engine_of(db: Any) -> str:
    """``"postgresql"`` or ``"sqlite"``."""
    return getattr(db, "engine", "sqlite")
