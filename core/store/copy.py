"""Copying a store into another, on either engine (``kefu db migrate-to``, scratch copies for evals):
both already migrated to the same schema, every table copied in foreign-key order, row counts
compared per table."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any

from core.store.engine import engine_of

BATCH = 1000
LEDGERS = frozenset({"schema_migrations", "owned_migrations"})
"""Tables each database fills for itself when it is migrated: never copied."""

Progress = Callable[[str, int], AbstractContextManager[Callable[[int], Any]]]
"""``progress(table, total)`` is a context whose value is called with each batch's row count."""


class TargetNotEmpty(RuntimeError):
    """The target already holds shop data (copying again needs ``replace``)."""


@dataclass
class TableCopy:
    """One table's copy: rows in the source and in the target afterwards."""

    table: str
    source_rows: int
    target_rows: int

    @property
    def ok(self) -> bool:
        return self.source_rows == self.target_rows


@dataclass
class CopyReport:
    """Every table copied, and the source tables the target does not have (not copied)."""

    tables: list[TableCopy] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(t.ok for t in self.tables)

    def summary(self) -> str:
        """One line per table (``ok`` or ``MISMATCH``), then what was skipped."""
        lines = [f"{t.table}: {t.source_rows} -> {t.target_rows} {'ok' if t.ok else 'MISMATCH'}" for t in self.tables]
        if self.skipped:
            lines.append("not copied (no such table in the target): " + ", ".join(self.skipped))
        lines.append(f"{sum(t.ok for t in self.tables)}/{len(self.tables)} tables match")
        return "\n".join(lines)


def copy_database(source: Any, target: Any, progress: Progress, replace: bool = False) -> CopyReport:
    """Copy every table of ``source`` (sqlite-utils) into ``target`` (either engine, same schema).
    A target holding rows raises :class:`TargetNotEmpty` unless ``replace``, which empties it first."""
    ordered = _in_foreign_key_order(source)
    present = set(target.table_names())
    tables = [t for t in ordered if t in present and t not in LEDGERS]
    report = CopyReport(skipped=[t for t in ordered if t not in present and t not in LEDGERS])
    filled = [t for t in tables if target[t].count]
    if filled and not replace:
        raise TargetNotEmpty(f"the target already holds rows in {', '.join(filled)}")
    if filled:
        target.execute("truncate table " + ", ".join(f'"{t}"' for t in tables) + " restart identity cascade")
    for table in tables:
        report.tables.append(_copy_table(source, target, table, progress))
    return report


def clone_into(source: Any, target: Any) -> None:
    """Make the empty, migrated ``target`` a copy of ``source`` (e.g. a scratch store per story):
    SQLite's backup API between two SQLite databases, else :func:`copy_database`, without progress."""
    if engine_of(source) == engine_of(target) == "sqlite":
        source.conn.backup(target.conn)
    else:
        copy_database(source, target, _silent)


@contextmanager
def _silent(table: str, total: int) -> Iterator[Callable[[int], None]]:
    yield lambda rows: None


def _copy_table(source: Any, target: Any, table: str, progress: Progress) -> TableCopy:
    target_columns = target[table].columns_dict
    columns = [c for c in source[table].columns_dict if c in target_columns]
    names = ", ".join(f'"{c}"' for c in columns)
    insert = f'insert into "{table}" ({names}) values ({", ".join("?" * len(columns))})'
    total = source[table].count
    with progress(table, total) as advance, target.atomic():
        for batch in _batches(source, f'select {names} from "{table}"'):
            target.executemany(insert, batch)
            advance(len(batch))
        identity = getattr(target, "identity_column", lambda _: None)(table)
        if identity:
            target.execute(f"select setval(pg_get_serial_sequence('\"{table}\"', '{identity}'), "
                           f'greatest(coalesce((select max("{identity}") from "{table}"), 0), 1))')
    return TableCopy(table, total, target[table].count)


def _batches(source: Any, sql: str) -> Iterator[list[tuple]]:
    cursor = source.execute(sql)
    while rows := cursor.fetchmany(BATCH):
        yield rows


def _in_foreign_key_order(source: Any) -> list[str]:
    """The source's tables, each after the tables its foreign keys point to (SQLite's own tables and
    full-text shadow tables left out)."""
    names = [t for t in source.table_names() if not t.startswith("sqlite_")]
    shadows = {f"{t}_{s}" for t in names if source[t].virtual_table_using
               for s in ("data", "idx", "content", "docsize", "config")}
    names = [t for t in names if t not in shadows]
    after = {t: {fk.other_table for fk in source[t].foreign_keys if fk.other_table != t} for t in names}
    ordered: list[str] = []
    while len(ordered) < len(names):
        ready = [t for t in names if t not in ordered and after[t] <= set(ordered)]
        if not ready:  # a cycle: take the rest as they come
            ready = [t for t in names if t not in ordered]
        ordered.extend(ready)
    return ordered
