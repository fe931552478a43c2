"""The store on PostgreSQL (psycopg 3): the part of the sqlite-utils API the project uses — tables with
insert/upsert/update/get/rows_where/count and the schema calls migrations make, ``execute``/``query``
with ``?`` placeholders, nested transactions and last inserted ids — so the repositories and
migrations run unchanged on both engines. SQL is rewritten by :mod:`core.store.engine.dialect`.

Types mean the same on both: integers are ``bigint`` (money in integer cents), text is ``text``
(timestamps as UTC ISO text, JSON as text), floats ``double precision``, bytes ``bytea``. Parameters
that are Python ints or bools go to the server untyped, as SQLite compares them (``text_col = 5``
matches '5'); integral numerics (``sum`` of integers) come back as ``int`` and JSON values as JSON
text."""
from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import psycopg
from psycopg.adapt import Dumper, Loader
from psycopg.types.string import TextLoader
from sqlite_utils.db import ForeignKey, NotFoundError

from core.store.engine.advisory import SETUP_KEY
from core.store.engine.dialect import COMPAT_FUNCTIONS, COMPAT_VERSION, to_postgres
from core.store.engine.reach import CONNECT_OPTIONS, DatabaseUnreachable

__all__ = ["PostgresDatabase", "PostgresTable", "is_postgres_url"]

_TYPES = {int: "bigint", str: "text", float: "double precision", bytes: "bytea", bool: "bigint",
          dict: "text", list: "text", "int": "bigint", "integer": "bigint", "text": "text", "str": "text",
          "float": "double precision", "real": "double precision", "blob": "bytea", "bytes": "bytea"}
_BACK = {"bigint": int, "integer": int, "smallint": int, "text": str, "double precision": float, "bytea": bytes}


def is_postgres_url(target: object) -> bool:
    """True for a ``postgresql://`` (or ``postgres://``) URL."""
    return isinstance(target, str) and target.split("://", 1)[0] in ("postgresql", "postgres")


class _Untyped(Dumper):
    """Python ints and bools as untyped text: the server reads them as the column compared with."""

    oid = 0

    def dump(self, obj: Any) -> bytes:
        return str(int(obj)).encode()


class _Numeric(Loader):
    """``numeric`` results (``sum`` of bigints) as ``int`` when integral, else ``float``."""

    def load(self, data: Any) -> int | float:
        text = bytes(data).decode()
        return int(text) if "." not in text else float(Decimal(text))


def _value(value: Any) -> Any:
    """A Python value as sqlite-utils stores it: lists and dicts as JSON text, dates as ISO text; text
    with U+FFFD for each NUL character, which PostgreSQL's text cannot hold (a hostile nonce or message
    would be a server error; the same parameter always maps the same, so lookups still match)."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, default=repr, ensure_ascii=False)
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


class PostgresCursor:
    """A finished statement's rows (``fetchone``, ``fetchall``, iteration, ``description``), how many
    rows it changed and the id it inserted (``lastrowid``, read with ``lastval()`` when asked)."""

    def __init__(self, db: PostgresDatabase, cursor: psycopg.Cursor) -> None:
        self._db, self._cursor = db, cursor
        self.description = cursor.description
        self.rowcount = cursor.rowcount

    def fetchone(self) -> tuple | None:
        return self._cursor.fetchone() if self.description else None

    def fetchall(self) -> list[tuple]:
        return self._cursor.fetchall() if self.description else []

    def fetchmany(self, size: int) -> list[tuple]:
        return self._cursor.fetchmany(size) if self.description else []

    def __iter__(self) -> Iterator[tuple]:
        return iter(self.fetchall())

    @property
    def lastrowid(self) -> int | None:
        try:
            return self._db.execute("select lastval()").fetchone()[0]
        except psycopg.errors.ObjectNotInPrerequisiteState:
            return None


class _Connection:
    """What callers reach through ``db.conn`` (``executemany``), on the store's one connection."""

    def __init__(self, db: PostgresDatabase) -> None:
        self._db = db

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        self._db.executemany(sql, rows)


class PostgresDatabase:
    """One PostgreSQL connection in autocommit mode; :meth:`atomic` opens a transaction (a savepoint
    when nested), as sqlite-utils does on SQLite."""

    engine = "postgresql"

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            self._conn = psycopg.connect(url, autocommit=True, **CONNECT_OPTIONS)
        except psycopg.OperationalError as exc:
            raise DatabaseUnreachable(url, exc) from None
        for kind in (int, bool):
            self._conn.adapters.register_dumper(kind, _Untyped)
        self._conn.adapters.register_loader("numeric", _Numeric)
        for kind in ("json", "jsonb"):
            self._conn.adapters.register_loader(kind, TextLoader)
        self._lock = threading.RLock()
        self._keys: dict[str, list[str]] = {}
        self._identity: dict[str, str | None] = {}
        self.conn = _Connection(self)
        with self.atomic():  # workers started together create the functions once, one at a time
            self._conn.execute("select pg_advisory_xact_lock(%s)", [SETUP_KEY])
            if not self._conn.execute("select 1 from pg_proc where proname = 'fts_match' and pronargs = 2 "
                                      "and obj_description(oid, 'pg_proc') = %s", [COMPAT_VERSION]).fetchone():
                for statement in COMPAT_FUNCTIONS:
                    self._conn.execute(statement)

    def execute(self, sql: str, params: Sequence[Any] = ()) -> PostgresCursor:
        """Run one statement written for SQLite (``?`` placeholders)."""
        with self._lock:
            cursor = self._conn.cursor()
            cursor.execute(to_postgres(sql, self.primary_key), [_value(v) for v in params])
            return PostgresCursor(self, cursor)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        """Run one statement for each row of parameters."""
        with self._lock, self._conn.cursor() as cursor:
            cursor.executemany(to_postgres(sql, self.primary_key), [[_value(v) for v in r] for r in rows])

    def query(self, sql: str, params: Sequence[Any] = ()) -> Iterator[dict[str, Any]]:
        """The rows a statement selects, as dicts."""
        cursor = self.execute(sql, params)
        names = [column.name for column in cursor.description or []]
        for row in cursor.fetchall():
            yield dict(zip(names, row))

    @contextmanager
    def atomic(self) -> Iterator[PostgresDatabase]:
        """One transaction (a savepoint inside another); rolled back when the block raises."""
        with self._lock, self._conn.transaction():
            yield self

    def __getitem__(self, name: str) -> PostgresTable:
        return PostgresTable(self, name)

    def table(self, name: str) -> PostgresTable:
        """The table ``name`` (which need not exist yet)."""
        return PostgresTable(self, name)

    def table_names(self) -> list[str]:
        """The tables of the current schema."""
        return [r[0] for r in self.execute("select tablename from pg_tables where schemaname = current_schema() "
                                           "order by tablename")]

    def primary_key(self, table: str) -> list[str]:
        """The primary key columns of ``table``, in key order (cached; tables never change key)."""
        if table not in self._keys:
            rows = self._conn.execute(
                "select a.attname from pg_index i join pg_attribute a on a.attrelid = i.indrelid "
                "and a.attnum = any(i.indkey) where i.indrelid = to_regclass(%s) and i.indisprimary "
                "order by array_position(i.indkey, a.attnum)", [table]).fetchall()
            if not rows:
                return []
            self._keys[table] = [r[0] for r in rows]
        return self._keys[table]

    def identity_column(self, table: str) -> str | None:
        """The identity (auto-numbered) column of ``table``, or None (cached)."""
        if table not in self._identity:
            row = self._conn.execute("select attname from pg_attribute where attrelid = to_regclass(%s) "
                                     "and attidentity <> ''", [table]).fetchone()
            self._identity[table] = row[0] if row else None
        return self._identity[table]

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()


class PostgresTable:
    """One table through the sqlite-utils calls the project makes."""

    def __init__(self, db: PostgresDatabase, name: str) -> None:
        self.db, self.name = db, name
        self.last_pk: Any = None
        self.last_rowid: Any = None

    # -- schema ---------------------------------------------------------------------------------------

    def exists(self) -> bool:
        return self.name in self.db.table_names()

    @property
    def columns_dict(self) -> dict[str, type]:
        """Column name → Python type, in column order."""
        rows = self.db.execute("select column_name, data_type from information_schema.columns "
                               "where table_schema = current_schema() and table_name = ? order by ordinal_position",
                               [self.name]).fetchall()
        return {name: _BACK.get(kind, str) for name, kind in rows}

    virtual_table_using = None
    """No virtual (full-text) tables on PostgreSQL."""

    @property
    def foreign_keys(self) -> list[ForeignKey]:
        """The table's single-column foreign keys."""
        rows = self.db.execute(
            "select a.attname, c.confrelid::regclass::text, f.attname from pg_constraint c "
            "join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1] "
            "join pg_attribute f on f.attrelid = c.confrelid and f.attnum = c.confkey[1] "
            "where c.conrelid = to_regclass(?) and c.contype = 'f'", [self.name]).fetchall()
        return [ForeignKey(self.name, column, other.strip('"'), other_column) for column, other, other_column in rows]

    @property
    def pks(self) -> list[str]:
        return self.db.primary_key(self.name) or ["rowid"]

    def create(self, columns: dict[str, Any], pk: str | Sequence[str] | None = None,
               not_null: Iterable[str] = (), defaults: dict[str, Any] | None = None,
               foreign_keys: Iterable[tuple[str, str, str]] = (), if_not_exists: bool = False) -> PostgresTable:
        """Create the table; a single integer primary key is an identity column (SQLite's rowid alias)."""
        keys = [pk] if isinstance(pk, str) else list(pk or [])
        not_null, defaults = set(not_null), defaults or {}
        parts = []
        for name, kind in columns.items():
            sql_type = _TYPES[kind.lower() if isinstance(kind, str) else kind]
            part = f'"{name}" {sql_type}'
            if keys == [name] and sql_type == "bigint":
                part += " generated by default as identity"
            if name in not_null:
                part += " not null"
            if name in defaults:
                part += f" default {_literal(defaults[name])}"
            parts.append(part)
        if keys:
            parts.append("primary key (" + ", ".join(f'"{k}"' for k in keys) + ")")
        for column, other, other_column in foreign_keys:
            parts.append(f'foreign key ("{column}") references "{other}" ("{other_column}")')
        exists = "if not exists " if if_not_exists else ""
        self.db.execute(f'create table {exists}"{self.name}" ({", ".join(parts)})')
        return self

    def create_index(self, columns: Sequence[str], index_name: str | None = None, unique: bool = False,
                     if_not_exists: bool = False) -> PostgresTable:
        """An index named as sqlite-utils names it (``idx_table_col1_col2``)."""
        name = index_name or "idx_{}_{}".format(self.name.replace(" ", "_"), "_".join(columns))
        self.db.execute(f'create {"unique " if unique else ""}index {"if not exists " if if_not_exists else ""}'
                        f'"{name}" on "{self.name}" ({", ".join(chr(34) + c + chr(34) for c in columns)})')
        return self

    def add_column(self, name: str, col_type: Any = None, not_null_default: Any = None) -> PostgresTable:
        sql_type = _TYPES[col_type.lower() if isinstance(col_type, str) else (col_type or str)]
        extra = f" not null default {_literal(not_null_default)}" if not_null_default is not None else ""
        self.db.execute(f'alter table "{self.name}" add column "{name}" {sql_type}{extra}')
        return self

    # -- rows -----------------------------------------------------------------------------------------

    def insert(self, record: dict[str, Any], pk: Any = None, ignore: bool = False, replace: bool = False,
               **_: Any) -> PostgresTable:
        """Insert one row (``ignore``: keep an existing one; ``replace``: overwrite it); ``last_pk``."""
        return self._write(record, "ignore" if ignore else "replace" if replace else "insert")

    def insert_all(self, records: Iterable[dict[str, Any]], pk: Any = None, ignore: bool = False,
                   replace: bool = False, **_: Any) -> PostgresTable:
        with self.db.atomic():
            for record in records:
                self.insert(record, ignore=ignore, replace=replace)
        return self

    def upsert(self, record: dict[str, Any], pk: Any = None, **_: Any) -> PostgresTable:
        """Insert the row, or update the given columns of the row with its primary key."""
        return self._write(record, "upsert")

    def upsert_all(self, records: Iterable[dict[str, Any]], pk: Any = None, **_: Any) -> PostgresTable:
        with self.db.atomic():
            for record in records:
                self.upsert(record)
        return self

    def _write(self, record: dict[str, Any], mode: str) -> PostgresTable:
        keys = self.db.primary_key(self.name)
        names = list(record)
        columns = ", ".join(f'"{c}"' for c in names)
        sql = f'insert into "{self.name}" ({columns}) values ({", ".join("?" * len(names))})'
        others = [c for c in names if c not in keys]
        if mode == "ignore":  # as SQLite's insert or ignore: whichever unique key the row collides on
            sql += " on conflict do nothing"
        elif mode != "insert" and keys:
            action = "do update set " + ", ".join(f'"{c}" = excluded."{c}"' for c in others) if others else "do nothing"
            sql += f" on conflict ({', '.join(keys)}) {action}"
        if keys:
            sql += " returning " + ", ".join(f'"{k}"' for k in keys)
        row = self.db.execute(sql, list(record.values())).fetchone()
        if row is None:
            row = tuple(record.get(k) for k in keys)
        self.last_pk = self.last_rowid = row[0] if len(keys) == 1 else tuple(row)
        if len(keys) == 1 and keys[0] in record and self.db.identity_column(self.name) == keys[0]:
            self._catch_up_identity(keys[0])
        return self

    def _catch_up_identity(self, key: str) -> None:
        """After an explicit id, the identity's next value passes it (SQLite's max(rowid) + 1)."""
        self.db.execute(f"select setval(pg_get_serial_sequence('\"{self.name}\"', '{key}'), "
                        f'greatest(coalesce((select max("{key}") from "{self.name}"), 0), 1))')

    def update(self, pk_values: Any, updates: dict[str, Any] | None = None, **_: Any) -> PostgresTable:
        """Set ``updates`` on the row with primary key ``pk_values`` (NotFoundError when there is none)."""
        where, args = self._where_pk(pk_values)
        if updates:
            sets = ", ".join(f'"{c}" = ?' for c in updates)
            cursor = self.db.execute(f'update "{self.name}" set {sets} where {where}', [*updates.values(), *args])
            if cursor.rowcount == 0:
                raise NotFoundError
        self.last_pk = pk_values
        return self

    def get(self, pk_values: Any) -> dict[str, Any]:
        """The row with primary key ``pk_values``; NotFoundError when there is none."""
        where, args = self._where_pk(pk_values)
        row = next(self.rows_where(where, args), None)
        if row is None:
            raise NotFoundError
        return row

    def _where_pk(self, pk_values: Any) -> tuple[str, list[Any]]:
        values = list(pk_values) if isinstance(pk_values, (list, tuple)) else [pk_values]
        keys = self.db.primary_key(self.name)
        return " and ".join(f'"{k}" = ?' for k in keys), values

    def rows_where(self, where: str | None = None, where_args: Sequence[Any] | None = None,
                   order_by: str | None = None, select: str = "*", limit: int | None = None,
                   offset: int | None = None) -> Iterator[dict[str, Any]]:
        """The rows matching ``where`` as dicts."""
        sql = f'select {select} from "{self.name}"'
        sql += f" where {where}" if where else ""
        sql += f" order by {order_by}" if order_by else ""
        sql += f" limit {int(limit)}" if limit is not None and int(limit) >= 0 else ""
        sql += f" offset {int(offset)}" if offset is not None else ""
        return self.db.query(sql, list(where_args or []))

    @property
    def rows(self) -> Iterator[dict[str, Any]]:
        return self.rows_where()

    @property
    def count(self) -> int:
        return self.db.execute(f'select count(*) from "{self.name}"').fetchone()[0]

    def count_where(self, where: str | None = None, where_args: Sequence[Any] | None = None) -> int:
        sql = f'select count(*) from "{self.name}"' + (f" where {where}" if where else "")
        return self.db.execute(sql, list(where_args or [])).fetchone()[0]

    def delete(self, pk_values: Any) -> PostgresTable:
        """Delete the row with primary key ``pk_values`` (none: nothing happens)."""
        where, args = self._where_pk(pk_values)
        self.db.execute(f'delete from "{self.name}" where {where}', args)
        return self

    def delete_where(self, where: str | None = None, where_args: Sequence[Any] | None = None) -> PostgresTable:
        self.db.execute(f'delete from "{self.name}"' + (f" where {where}" if where else ""), list(where_args or []))
        return self


def _literal(value: Any) -> str:
    """A default value as SQL text."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, bool):
        return str(int(value))
    return "'" + str(value).replace("'", "''") + "'"
