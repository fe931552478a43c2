"""The PostgreSQL engine (docs/SCALING.md): the SQL dialect rules, types that mean the same as on SQLite,
transactions, KEFU_DATABASE_URL and ``kefu db migrate-to`` (on a private server, tests/pg.py)."""
from __future__ import annotations

import argparse
from contextlib import contextmanager

import pytest

from bot.app import open_store
from bot.commands import db as db_command
from bot.errors import CommandError
from bot.settings import load_settings
from core.messages import Identity, InboundMessage
from core.store import Store
from core.store.copy import copy_database
from core.store.engine import IntegrityError
from core.store.engine.dialect import (
    COMPAT_VERSION,
    in_json_each,
    insert_or,
    json_object,
    match,
    nocase,
    placeholders,
    rowid,
)
from core.store.migrations import MIGRATIONS, current_version
from tests.conftest import seed_small_shop
from tests.helpers import run_kefu


def test_placeholders_become_psycopgs_outside_quoted_text():
    assert placeholders("select '?', \"a?\" from t where x = ? and y like '5%' and z % 2 = ?") == \
        "select '?', \"a?\" from t where x = %s and y like '5%' and z %% 2 = %s"


def test_each_sqlite_only_construct_has_its_postgresql_spelling():
    assert insert_or("insert or ignore into t (a, b) values (?, ?)", lambda _: ["a"]) == \
        "insert into t (a, b) values (?, ?) on conflict do nothing"
    assert insert_or("insert or replace into s (id, n) values (1, ?)", lambda _: ["id"]) == \
        "insert into s (id, n) values (1, ?) on conflict (id) do update set n = excluded.n"
    assert json_object("select json_object('zh', a)") == "select jsonb_build_object('zh', a)"
    assert nocase("where email = ? collate nocase or x = ?") == "where lower(email) = lower(?) or x = ?"
    assert rowid("order by created_at desc, rowid desc") == "order by created_at desc, ctid desc"
    assert in_json_each("where c.id in (select value from json_each(?))") == \
        "where c.id::text in (select value from json_each(?))"
    assert match("where words match ? order by") == "where fts_match(words, ?) order by"


@pytest.fixture
def pg_store(postgres_databases):
    store = Store(postgres_databases.new())
    seed_small_shop(store)
    yield store
    store.close()


def test_every_migration_is_applied_in_order(pg_store):
    assert current_version(pg_store.db) == len(MIGRATIONS)
    versions = [r[0] for r in pg_store.db.execute("select version from schema_migrations order by applied_at, version")]
    assert versions == list(range(1, len(MIGRATIONS) + 1))


def test_cents_json_and_timestamps_come_back_as_on_sqlite(pg_store):
    order = pg_store.orders.get("#W1000001")
    assert order["total_cents"] == 19900 and type(order["total_cents"]) is int
    assert order["items"][0]["options"] == {"color": "red"}
    assert order["created_at"] == "2026-10-20T08:00:00+00:00"
    total = pg_store.db.execute("select sum(price_cents), total(stock) from variants").fetchone()
    assert total == (19900 + 19900 + 25900 + 39900 + 42900 + 3900, 51.0) and type(total[0]) is int
    assert pg_store.catalog.option_values("color") == {"red", "blue", "white"}
    assert pg_store.db.execute("select count(*) from variants where stock = ?", ["5"]).fetchone()[0] == 1
    found = pg_store.db.execute("select fts_match('退货 政策 hello', ?), fts_match('退货 政策', ?)",
                                ['"退货" "hello"', '"退货" "hell"']).fetchone()
    assert found == (True, False)
    titles = pg_store.db.execute("select distinct json_object('en', title_en) from products where id = 'D1'").fetchone()
    assert titles == ('{"en": "French red floral dress"}',)


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_json_extract_reads_a_boolean_as_sqlite_does(engine, postgres_databases):
    store = Store(":memory:" if engine == "sqlite" else postgres_databases.new())
    try:
        sql = "select json_extract(?, '$.a') = ?, json_extract(?, '$.b') = ?, json_extract(?, '$.c'), json_extract(?, '$.d')"
        state = '{"a": true, "b": false, "c": "x", "d": null}'
        assert store.db.execute(sql, [state, True, state, False, state, state]).fetchone() in ((1, 1, "x", None),
                                                                                               (True, True, "x", None))
        assert store.db.execute("select json_extract(?, '$.a') = ?", [state, False]).fetchone()[0] in (0, False)
    finally:
        store.close()


def test_text_with_a_nul_character_is_stored_with_a_replacement_and_found_again(pg_store):
    pg_store.db.execute("create table nonces (nonce text primary key)")
    pg_store.db.execute("insert into nonces (nonce) values (?)", ["a\x00b"])
    assert pg_store.db.execute("select nonce from nonces where nonce = ?", ["a\x00b"]).fetchall() == [("a\ufffdb",)]
    pg_store.db["nonces"].insert({"nonce": "\x00"})
    assert pg_store.db["nonces"].count_where("nonce = ?", ["\x00"]) == 1


def test_a_stale_database_gets_the_current_compat_functions(postgres_databases):
    url = postgres_databases.new()
    Store(url).db.execute("comment on function fts_match(text, text) is null")
    assert Store(url).db.execute("select json_extract('{\"a\": true}', '$.a')").fetchone() == ("1",)
    assert Store(url).db.execute("select obj_description(oid, 'pg_proc') from pg_proc where proname = 'fts_match'"
                                 ).fetchone() == (COMPAT_VERSION,)


def test_a_failed_transaction_leaves_nothing_and_ids_keep_counting(pg_store):
    pg_store.conversations.ensure(Identity("web", "t1"), None)
    row = {"conversation_id": "web:t1", "direction": "in", "channel_message_id": "m1", "text": "x",
           "created_at": "2026-01-01T00:00:00+00:00"}
    first = pg_store.db["messages"].insert(row).last_pk
    with pytest.raises(IntegrityError), pg_store.db.atomic():
        pg_store.db["messages"].insert({**row, "channel_message_id": "m2"})
        pg_store.db["messages"].insert(row)
    assert pg_store.db["messages"].count == 1
    pg_store.db["customers"].insert({"id": 500, "external_id": "X500", "created_at": "2026-01-01T00:00:00+00:00"})
    assert pg_store.customers.upsert({"external_id": "X501"}) == 501
    later = pg_store.db.execute("insert into messages (conversation_id, direction, text, created_at) "
                                "values ('web:t1', 'out', 'y', '2026-01-01T00:00:01+00:00')").lastrowid
    assert later > first


def test_kefu_database_url_opens_the_store_on_postgresql(postgres_databases, tmp_path):
    url = postgres_databases.new()
    result = run_kefu(tmp_path, "chat", "--script", "-", stdin='{"user": "u1", "text": "hi"}\n',
                      KEFU_DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "kefu.db").exists()
    store = Store(url)
    assert store.catalog.count() > 0 and store.conversations.count() == 1
    store.close()


def test_migrate_to_copies_every_table_with_a_count_check_and_refuses_a_full_target(postgres_databases, tmp_path):
    settings = load_settings(env_file=None, kefu_db_path=tmp_path / "kefu.db", kefu_load_demo_shop=True)
    source = open_store(settings)
    conversation = source.conversations.ensure(Identity("web", "s1"), None)
    source.conversations.record_inbound(InboundMessage(Identity("web", "s1"), "退货政策", message_id="m1"))
    source.close()
    url = postgres_databases.new()
    first = run_kefu(tmp_path, "db", "migrate-to", url)
    assert first.returncode == 0, first.stderr
    assert "MISMATCH" not in first.stdout and " tables match" in first.stdout
    source, target = Store(tmp_path / "kefu.db"), Store(url)
    for table in ("products", "variants", "customers", "orders", "messages", "kb_articles"):
        assert source.db[table].count == target.db[table].count > 0, table
    some_order = next(source.db.query("select id from orders order by id limit 1"))["id"]
    assert target.orders.get(some_order) == source.orders.get(some_order)
    assert target.conversations.get(conversation["id"]) == source.conversations.get(conversation["id"])
    assert target.customers.upsert({"external_id": "new-after-copy"}) > max(
        r[0] for r in source.db.execute("select id from customers"))
    source.close()
    target.close()
    with pytest.raises(CommandError, match="already holds rows"):
        db_command.run(argparse.Namespace(url=url, replace=False), settings)
    assert db_command.run(argparse.Namespace(url=url, replace=True), settings) == 0


def test_the_copy_reports_progress_per_table_and_copies_foreign_keys_first(postgres_databases, tmp_path):
    seen: list[tuple[str, int, int]] = []
    source = Store(tmp_path / "source.db")  # a SQLite file, whatever --db-engine says
    seed_small_shop(source)

    @contextmanager
    def progress(table: str, total: int):
        done = [0]
        yield lambda n: done.__setitem__(0, done[0] + n)
        seen.append((table, total, done[0]))

    target = Store(postgres_databases.new())
    report = copy_database(source.db, target.db, progress)
    target.close()
    source.close()
    assert report.ok and [t.table for t in report.tables] == [table for table, _, _ in seen]
    assert all(total == done for _, total, done in seen)
    order = [table for table, _, _ in seen]
    assert order.index("customers") < order.index("orders") < order.index("order_items")
    assert dict((t, n) for t, n, _ in seen)["variants"] == 6
