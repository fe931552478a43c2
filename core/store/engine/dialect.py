"""SQLite SQL as PostgreSQL runs it: one function per difference the project's SQL actually has
(docs/SCALING.md lists them). The store's statements are written once, for SQLite, with ``?``
placeholders; the PostgreSQL engine passes each through :func:`to_postgres` (cached per statement).
The SQLite functions PostgreSQL lacks (``julianday``, ``total``, ``json_extract``, ``json_each``,
and ``fts_match`` for FTS5's ``match``) are not rewritten here: the engine creates them in the database (:data:`COMPAT_FUNCTIONS`)."""
from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

_TOKENS = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|\?|%")
_INSERT_OR = re.compile(r"^\s*insert\s+or\s+(ignore|replace)\s+into\s+(\w+)\s*(\(([^)]*)\))?", re.IGNORECASE)
_JSON_OBJECT = re.compile(r"\bjson_object\(", re.IGNORECASE)
_NOCASE = re.compile(r"([\w.]+)\s*=\s*\?\s+collate\s+nocase", re.IGNORECASE)
_ROWID = re.compile(r"\browid\b", re.IGNORECASE)
_MATCH = re.compile(r"([\w.]+)\s+match\s+\?", re.IGNORECASE)
_IN_JSON_EACH = re.compile(r"([\w.]+)\s+in\s+\(\s*select\s+value\s+from\s+json_each\(", re.IGNORECASE)

COMPAT_VERSION = "kefu compat 2"
"""The comment on ``fts_match`` saying which definitions a database holds (1 had no comment)."""

COMPAT_FUNCTIONS = (
    # julianday(text): days since noon, 24 November 4714 BC, as SQLite counts them (UTC ISO text in).
    "create or replace function julianday(text) returns double precision language sql immutable as "
    "$$ select extract(epoch from $1::timestamptz)::double precision / 86400.0 + 2440587.5 $$",
    # total(x): SQLite's sum that is 0.0, never NULL, for no rows.
    "do $$ begin if not exists (select 1 from pg_proc where proname = 'total') then "
    "create aggregate total(double precision) (sfunc = float8pl, stype = double precision, initcond = '0'); "
    "end if; end $$",
    # json_extract(text, '$.a."b"'): the value at a path of keys, as text (option values, state flags);
    # a boolean is '1' or '0', as SQLite's 1 or 0 (compare it with a parameter: json_extract(…) = ?, True).
    "create or replace function json_extract(text, text) returns text language sql immutable as "
    "$$ select case jsonb_typeof(v) when 'boolean' then v::text::boolean::int::text else v #>> '{}' end "
    "from (select ($1::jsonb) #> string_to_array(replace(substr($2, 3), '\"', ''), '.') as v) as at $$",
    # json_each(text): the elements of a JSON array, as text in a column named value.
    "create or replace function json_each(text) returns table(value text) language sql immutable as "
    "$$ select json_array_elements_text($1::json) $$",
    # fts_match(words, '"a" "b"'): every quoted term is one of the space-separated words (see match()).
    "create or replace function fts_match(text, text) returns boolean language sql immutable as "
    "$$ select coalesce(bool_and(term = any(string_to_array(lower($1), ' '))), false) "
    "from regexp_split_to_table(replace(lower($2), '\"', ''), '\\s+') as term where term <> '' $$",
    f"comment on function fts_match(text, text) is '{COMPAT_VERSION}'",
)
"""Created once per database, in this order, and again when the last one's comment is not
:data:`COMPAT_VERSION` (raise it when a definition changes)."""


def insert_or(sql: str, primary_key: Callable[[str], list[str]]) -> str:
    """``insert or ignore`` → ``insert … on conflict do nothing``; ``insert or replace`` → ``insert …
    on conflict (primary key) do update`` of every inserted column (``primary_key(table)`` names it)."""
    match = _INSERT_OR.match(sql)
    if not match:
        return sql
    verb, table, columns = match.group(1).lower(), match.group(2), match.group(4)
    body = f"insert into {table}" + (f" ({columns})" if columns else "") + sql[match.end():]
    if verb == "ignore":
        return body.rstrip().rstrip(";") + " on conflict do nothing"
    keys = primary_key(table)
    names = [c.strip().strip('"') for c in (columns or "").split(",") if c.strip()]
    updates = ", ".join(f"{c} = excluded.{c}" for c in names if c not in keys)
    action = f"do update set {updates}" if updates else "do nothing"
    return body.rstrip().rstrip(";") + f" on conflict ({', '.join(keys)}) {action}"


def json_object(sql: str) -> str:
    """SQLite's ``json_object(k, v, …)`` is PostgreSQL's ``jsonb_build_object`` (jsonb, not json: a
    ``select distinct`` needs its equality; the engine reads it back as JSON text, as on SQLite)."""
    return _JSON_OBJECT.sub("jsonb_build_object(", sql)


def nocase(sql: str) -> str:
    """``col = ? collate nocase`` (no NOCASE collation in PostgreSQL) → ``lower(col) = lower(?)``."""
    return _NOCASE.sub(r"lower(\1) = lower(?)", sql)


def rowid(sql: str) -> str:
    """SQLite's implicit ``rowid`` (insertion order of a table without an integer key) → ``ctid``,
    the row's physical place: the same order until rows are updated (docs/SCALING.md)."""
    return _ROWID.sub("ctid", sql)


def in_json_each(sql: str) -> str:
    """``x in (select value from json_each(?))``: the elements come back as text, so ``x`` is compared
    as text (an integer id and its JSON spelling are the same digits)."""
    return _IN_JSON_EACH.sub(r"\1::text in (select value from json_each(", sql)


def match(sql: str) -> str:
    """FTS5's ``column match ?`` (a query of quoted terms, all required) → ``fts_match(column, ?)``: the
    column holds words already tokenised and space-joined (the console search), compared whole, without
    an index yet (docs/SCALING.md)."""
    return _MATCH.sub(r"fts_match(\1, ?)", sql)


def placeholders(sql: str) -> str:
    """``?`` → ``%s`` and a literal ``%`` → ``%%`` (psycopg's style), outside quoted text and comments."""
    def swap(match: re.Match[str]) -> str:
        token = match.group(0)
        return "%s" if token == "?" else "%%" if token == "%" else token
    return _TOKENS.sub(swap, sql)


@lru_cache(maxsize=4096)
def _rewritten(sql: str) -> str:
    return placeholders(match(in_json_each(rowid(nocase(json_object(sql))))))


def to_postgres(sql: str, primary_key: Callable[[str], list[str]]) -> str:
    """A statement written for SQLite, as PostgreSQL runs it (every rule above, placeholders last)."""
    if _INSERT_OR.match(sql):
        sql = insert_or(sql, primary_key)
    return _rewritten(sql)
