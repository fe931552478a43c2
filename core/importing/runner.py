"""The shared import loop: validate each record, compare it with what is stored, write only
what changed, and count the outcome. Per-kind modules only say how to do those three steps."""
from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from core.importing.errors import RecordError
from core.importing.readers import SourceRow
from core.importing.report import ImportReport
from core.store import Store
from core.store.engine import DatabaseError

State = dict[str, Any]


@dataclass(frozen=True)
class ImportContext:
    """What every per-kind step may need: the store and defaults for absent fields."""

    store: Store
    default_currency: str = "CNY"


@dataclass(frozen=True)
class KindSpec:
    """How one kind of record is imported.

    ``normalise`` turns a raw record into the *desired state* (plain, comparable values; raises
    :class:`RecordError`); ``current`` reads the same shape back from the store (None when the
    record is new); ``write`` makes the store match the desired state; ``key`` names a record so
    duplicates within one file are caught."""

    name: str
    normalise: Callable[[ImportContext, Mapping[str, Any]], State]
    current: Callable[[ImportContext, State], State | None]
    write: Callable[[ImportContext, State], None]
    key: Callable[[State], Hashable]


def run_import(ctx: ImportContext, spec: KindSpec, rows: Iterable[SourceRow],
               report: ImportReport) -> None:
    """Import every row into the store, one transaction per record, counting into ``report``.

    A bad record is rolled back and reported with its line; the other records still land.
    :class:`~core.importing.errors.FileError` from the rows propagates to the caller."""
    first_seen: dict[Hashable, int | None] = {}
    for row in rows:
        key = row.key or _record_id(row.record)
        try:
            outcome = _import_one(ctx, spec, row, first_seen)
        except RecordError as exc:
            report.add_error(row.line, str(exc), key)
        except DatabaseError as exc:
            report.add_error(row.line, f"the database refused the record: {exc}", key)
        else:
            report.count(outcome)


def _import_one(ctx: ImportContext, spec: KindSpec, row: SourceRow,
                first_seen: dict[Hashable, int | None]) -> str:
    """Import one row; returns "inserted", "updated" or "unchanged"."""
    if isinstance(row.record, RecordError):
        raise row.record
    if not isinstance(row.record, Mapping):
        raise RecordError(f"expected an object, got {type(row.record).__name__}")
    with ctx.store.db.atomic():
        desired = spec.normalise(ctx, row.record)
        key = spec.key(desired)
        if key in first_seen:
            where = f"line {first_seen[key]}" if first_seen[key] is not None else "earlier"
            raise RecordError(f"duplicate record {key!r} (first at {where})")
        existing = spec.current(ctx, desired)
        first_seen[key] = row.line
        if existing == desired:
            return "unchanged"
        spec.write(ctx, desired)
        return "inserted" if existing is None else "updated"


def _record_id(record: Any) -> str | None:
    """The record's ``id`` for error messages, when it has one."""
    if isinstance(record, Mapping) and record.get("id") not in (None, ""):
        return str(record["id"])
    return None
