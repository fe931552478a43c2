"""Tables an adapter owns: declared with their own migrations, created when the adapter registers
them at start (:meth:`core.store.Store.register`), and reached only through :class:`OwnTables`, a
handle scoped to them — the core's tables stay behind the store's repositories.

A channel that keeps personal data in its tables registers a :class:`ChannelData` with them, so
``core.privacy`` can export and erase it without knowing the tables."""
from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlite_utils
from sqlite_utils.db import Table

Migration = Callable[[sqlite_utils.Database], None]

_NAMED_TABLE = re.compile(r"\b(?:from|into|update|join|table)\s+[\"`\[]?([A-Za-z_]\w*)", re.IGNORECASE)


@dataclass(frozen=True)
class TableSet:
    """An adapter's tables: its name (``owner``), the tables, and their forward-only migrations in
    order (the position plus one is the version; append, never edit one that shipped). A migration
    creates with ``if_not_exists`` so databases that had the table from the core's old migrations
    keep it."""

    owner: str
    tables: tuple[str, ...]
    migrations: tuple[Migration, ...]


class OutOfScope(LookupError):
    """An adapter asked for a table it did not register."""


class OwnTables:
    """The registered tables of one adapter, on the store's connection (so its writes join the
    transaction they run in, e.g. an erasure's). SQL naming any other table is refused."""

    def __init__(self, db: sqlite_utils.Database, tables: TableSet) -> None:
        self._db = db
        self.owner = tables.owner
        self._names = frozenset(tables.tables)

    def table(self, name: str) -> Table:
        """One of the registered tables."""
        self._check([name])
        return self._db.table(name)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        """Run a statement that names only registered tables."""
        self._check(_NAMED_TABLE.findall(sql))
        return self._db.execute(sql, list(params))

    @contextmanager
    def atomic(self) -> Iterator[None]:
        """One transaction (nested in the caller's when there is one)."""
        with self._db.atomic():
            yield

    def _check(self, names: Sequence[str]) -> None:
        strangers = sorted(set(names) - self._names)
        if strangers:
            raise OutOfScope(f"{self.owner} did not register {', '.join(strangers)}")


@dataclass(frozen=True)
class ChannelData:
    """What one channel keeps about its users in its own tables, for a shopper's data rights:
    ``export(user_id)`` gives the user's rows by table (empty tables left out), ``erase(user_id)``
    deletes them (inside the erasure's transaction)."""

    channel: str
    export: Callable[[str], dict[str, list[dict[str, Any]]]]
    erase: Callable[[str], None]
    by_conversation: bool = False
    """The hook is called with each of the shopper's conversation ids instead of a channel's user id (for
    tables of no one channel, e.g. the console's reviews); ``channel`` then names the owner."""


def migrate_owned(db: sqlite_utils.Database, tables: TableSet) -> int:
    """Apply the adapter's migrations newer than the database (each in its own transaction);
    returns its resulting version. Versions are kept per owner in ``owned_migrations``."""
    version = db.execute("select coalesce(max(version), 0) from owned_migrations where owner = ?",
                         [tables.owner]).fetchone()[0]
    for number, step in enumerate(tables.migrations[version:], start=version + 1):
        with db.atomic():
            step(db)
            db["owned_migrations"].insert({"owner": tables.owner, "version": number,
                                           "applied_at": datetime.now(UTC).isoformat()})
    return max(version, len(tables.migrations))
