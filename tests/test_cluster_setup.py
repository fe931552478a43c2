"""Workers started together on one new PostgreSQL database (core/store/engine/advisory.py): one at a
time creates the compatibility functions, migrates, registers the channels' tables and loads the demo
shop; the others find it done."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import psycopg

from bot.app import open_store
from core.store.migrations import MIGRATIONS


def test_three_workers_starting_at_once_set_one_database_up_once(postgres_databases, settings):
    with psycopg.connect(postgres_databases.url_for("postgres"), autocommit=True) as admin:
        admin.execute("drop database if exists kefu_new_shop")
        admin.execute("create database kefu_new_shop")
    url = postgres_databases.url_for("kefu_new_shop")
    worker_settings = settings.model_copy(update={"kefu_database_url": url, "kefu_load_demo_shop": True})

    def start(_: int) -> tuple[int, int]:
        store = open_store(worker_settings)
        try:
            version = store.db.execute("select max(version) from schema_migrations").fetchone()[0]
            return version, store.catalog.count()
        finally:
            store.close()

    try:
        with ThreadPoolExecutor(3) as pool:
            seen = list(pool.map(start, range(3)))
        with psycopg.connect(url, autocommit=True) as check:
            products = check.execute("select count(*) from products").fetchone()[0]
            titles = check.execute("select count(distinct title_en) from products").fetchone()[0]
    finally:
        with psycopg.connect(postgres_databases.url_for("postgres"), autocommit=True) as admin:
            admin.execute("drop database if exists kefu_new_shop with (force)")
    assert seen == [(len(MIGRATIONS), products)] * 3 and products >= 80 and titles == products
