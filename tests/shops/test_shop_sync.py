"""Keeping the cache of the shop's system fresh (core/shop/sync.py) and ``kefu shop``: a full sync
copies products and orders, keeps local item ids across refreshes, reports records the store refuses
and goes on; a reconciliation reads only orders updated since the last sync began; an event refreshes
one order or product."""
from __future__ import annotations

from dataclasses import replace

import pytest

from bot.cli import main
from bot.commands import shop as shop_command
from core.shop.model import ShopProduct, ShopVariant
from core.shop.sync import ShopSync
from core.store import Store
from tests.fakes.memory_shop import MemoryShop, sample_order

# Under --db-engine postgresql the stores on file paths here are PostgreSQL databases too (tests/conftest.py).
pytestmark = pytest.mark.file_stores

TEE = ShopProduct("prod_tee", {"en": "Organic tee"}, (ShopVariant("var_tee_m", 5990, "USD", {"size": "M"}, stock=3),
                                                      ShopVariant("var_tee_l", 5990, "USD", {"size": "L"}, stock=0)),
                  category="tops")


@pytest.fixture
def shop() -> MemoryShop:
    memory = MemoryShop(products_by_id={TEE.external_id: TEE})
    memory.add(sample_order("#1001"))
    memory.add(sample_order("#1002", "delivered"))
    return memory


async def test_a_full_sync_copies_the_catalogue_and_the_orders(shop):
    store = Store(":memory:")
    report = await ShopSync(store, shop).full()
    assert (report.products, report.orders, report.failed) == (1, 2, [])
    assert {v["id"]: v["stock"] for v in store.catalog.variants("prod_tee")} == {"var_tee_m": 3, "var_tee_l": 0}
    assert store.catalog.category("tops") is not None
    order = store.orders.get("#1001")
    assert (order["external_id"], order["currency"], order["total_cents"]) == ("ord_1001", "USD", 5990)
    assert store.customers.get(order["customer_id"])["email"] == "ana@example.com"
    assert order["synced_at"]


async def test_refreshing_an_order_keeps_its_item_ids(shop):
    store = Store(":memory:")
    sync = ShopSync(store, shop)
    await sync.full()
    before = store.orders.get("#1001")["items"][0]["id"]
    shop.add(replace(shop.orders_by_id["ord_1001"], status="shipped"))
    assert await sync.refresh_order("ord_1001") == "#1001"
    after = store.orders.get("#1001")
    assert after["status"] == "shipped" and after["items"][0]["id"] == before
    assert await sync.refresh_order("ord_missing") is None


async def test_a_record_the_store_refuses_is_reported_and_the_sync_goes_on(shop):
    shop.add(replace(sample_order("#1003"), status="lost-in-space"))
    store = Store(":memory:")
    report = await ShopSync(store, shop).full()
    assert report.orders == 2 and len(report.failed) == 1 and "#1003" in report.failed[0]
    assert store.orders.get("#1003") is None


async def test_a_reconciliation_reads_only_orders_updated_since_the_last_sync(shop):
    store = Store(":memory:")
    sync = ShopSync(store, shop)
    await sync.full()
    shop.add(replace(sample_order("#1004"), updated_at="2999-01-01T00:00:00+00:00"))
    report = await sync.reconcile()
    assert (report.products, report.orders) == (0, 1)
    assert store.orders.get("#1004") is not None


@pytest.fixture
async def synced(shop):
    """(store, sync) after a full sync of ``shop``."""
    store = Store(":memory:")
    sync = ShopSync(store, shop)
    await sync.full()
    yield store, sync
    store.close()


async def test_an_event_refreshes_one_product(shop, synced):
    store, sync = synced
    shop.products_by_id["prod_tee"] = replace(TEE, variants=(replace(TEE.variants[0], stock=0),))
    assert await sync.refresh_product("prod_tee")
    assert store.catalog.variant("var_tee_m")["stock"] == 0
    assert not await sync.refresh_product("prod_missing")


async def test_an_event_naming_a_cached_variant_refreshes_its_product_and_a_deleted_product_is_withdrawn(shop, synced):
    store, sync = synced
    shop.products_by_id["prod_tee"] = replace(TEE, variants=(replace(TEE.variants[0], stock=7),))
    assert await sync.refresh_variant("var_tee_m")
    assert store.catalog.variant("var_tee_m")["stock"] == 7
    assert not await sync.refresh_variant("var_never_cached")
    del shop.products_by_id["prod_tee"]
    assert not await sync.refresh_product("prod_tee")
    assert store.catalog.variant("var_tee_m")["available"] == 0
    assert store.catalog.product("prod_tee") is not None  # kept for the orders that name it


def test_kefu_shop_sync_prints_a_report_and_fails_on_refused_records(shop, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KEFU_DB_PATH", str(tmp_path / "kefu.db"))
    monkeypatch.setenv("KEFU_HANDLE_KEY_PATH", str(tmp_path / "handle.key"))
    monkeypatch.setattr(shop_command, "build_shop", lambda settings, store: shop)
    assert main(["--env-file", "", "shop", "sync"]) == 0
    assert "synced 1 products and 2 orders" in capsys.readouterr().out
    shop.add(replace(sample_order("#1009"), status="???"))
    assert main(["--env-file", "", "shop", "sync"]) == 1
    assert "refused: order #1009" in capsys.readouterr().out
    shop.down = True
    assert main(["--env-file", "", "shop", "check"]) == 0  # MemoryShop.start does not call the shop
    assert main(["--env-file", "", "shop", "sync"]) == 1
    assert "the sync from memory stopped: connection refused" in capsys.readouterr().err


def test_kefu_shop_on_the_local_backend_says_there_is_nothing_to_sync(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("KEFU_DB_PATH", str(tmp_path / "kefu.db"))
    monkeypatch.setenv("KEFU_HANDLE_KEY_PATH", str(tmp_path / "handle.key"))
    assert main(["--env-file", "", "shop", "sync"]) == 0
    assert "nothing to sync" in capsys.readouterr().out


async def test_a_customer_erased_in_kefu_is_not_restored_by_a_later_sync(shop):
    from core.privacy import erase_customer_data
    store = Store(":memory:")
    sync = ShopSync(store, shop)
    await sync.full()
    ana = store.orders.get("#1001")["customer_id"]
    erase_customer_data(store, ana, "test")
    await sync.full()
    customer = store.customers.get(ana)
    assert customer["email"] is None and customer["name"] is None and customer["phone"] is None
    assert store.db.execute("select count(*) from customers where email = 'ana@example.com'").fetchone()[0] == 0
    order = store.orders.get("#1001")
    assert order["customer_id"] == ana and order["address"] is None
    assert store.db.execute("select external_hash from erased_customers").fetchone()[0] != "cus_ana"
