"""Kefu's Medusa backend against a real Medusa v2 server (tests/shops/medusa/harness.py): a shopper on
the real web chat (websocket) cancels, returns, changes the address and tracks Medusa orders, and the
Admin API shows it done; an order placed in Medusa after the sync is found through the subscriber's
event; Medusa stopped mid-conversation gets a polite answer and a colleague, and nothing recorded as done."""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from argparse import Namespace
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import pytest

from adapters.shops.medusa import MedusaConfig, MedusaShop
from adapters.shops.medusa.client import MedusaAuth
from bot.benches import shop as shop_bench
from bot.settings import load_settings
from core.shop.port import ShopError
from core.shop.requests import CancelOrder, RequestReturn, UpdateShippingAddress
from core.shop.sync import ShopSync
from core.store import Store
from tests.shops.medusa.harness import ADMIN_EMAIL, ADMIN_PASSWORD, Medusa, MedusaServer
from tests.shops.medusa.kefu import Kefu, Shopper, eventually, medusa_settings, start_kefu, stop_kefu

pytestmark = [pytest.mark.slow, pytest.mark.medusa]


@pytest.fixture
async def kefu(medusa: Medusa, medusa_events: dict[str, str], tmp_path: Path):
    """Kefu with KEFU_SHOP_BACKEND=medusa, synced, its web chat where the subscriber posts."""
    running = await start_kefu(medusa_settings(medusa, medusa_events, tmp_path / "kefu.db"))
    yield running
    await stop_kefu(running)


@pytest.fixture
async def http():
    async with aiohttp.ClientSession() as session:
        yield session


def customer(medusa: Medusa, prefix: str) -> tuple[str, str]:
    """A new Medusa customer: (email, the one message that verifies them: email and zip)."""
    email = medusa.unique_email(prefix)
    medusa.create_customer(email, "Ana", "Diaz", "+15555550123")
    return email, f"{email} 62701"


def number(medusa: Medusa, order_id: str) -> str:
    return f"#{medusa.order(order_id)['display_id']}"


async def place(medusa: Medusa, email: str, sku: str = "SHIRT-M-WHT", qty: int = 1) -> str:
    return await asyncio.to_thread(medusa.place_order, email, [(medusa.seeded.variants[sku], qty)])


async def delivered(medusa: Medusa, order_id: str, tracking: str) -> None:
    await asyncio.to_thread(medusa.fulfil, order_id, tracking, "UPS")
    await asyncio.to_thread(medusa.mark_delivered, order_id)


async def synced(kefu: Kefu, medusa: Medusa, order_id: str) -> str:
    """The order's Kefu number once it is in Kefu's cache (the subscriber's event brings it)."""
    shown = number(medusa, order_id)
    await eventually(lambda: asyncio.sleep(0, kefu.store.orders.get(shown)))
    return shown


async def on_the_chat(kefu: Kefu, medusa: Medusa, http: aiohttp.ClientSession, prefix: str,
                      sku: str = "SHIRT-M-WHT") -> tuple[str, str, str, Shopper]:
    """A new customer's new order, in Kefu's cache, and that customer on the web chat:
    (the order's Medusa id, its number, the message that verifies the customer, the shopper)."""
    email, verify = customer(medusa, prefix)
    order_id = await place(medusa, email, sku)
    shown = await synced(kefu, medusa, order_id)
    return order_id, shown, verify, await Shopper.connect(http, kefu)


async def test_a_shopper_cancels_a_pending_order_and_medusa_shows_it_canceled_and_refunded(kefu, medusa, http):
    order_id, shown, verify, shopper = await on_the_chat(kefu, medusa, http, "cancel")
    await shopper.say(f"I want to cancel order {shown}")
    await shopper.say(verify)
    told = await shopper.say("I ordered the wrong size")
    assert "yes or no" in told.lower() or "confirm" in told.lower(), told
    told = await shopper.say("yes")
    assert "cancelled" in told and "$" in told, told
    order = medusa.order(order_id)
    assert order["status"] == "canceled"
    assert order["payment_status"] == "refunded"
    assert kefu.audit() == ["cancel_order"]
    cached = kefu.store.orders.get(shown)
    assert cached["status"] == "cancelled" and [p["kind"] for p in cached["payments"]] == ["payment", "refund"]


async def test_a_shopper_returns_a_delivered_item_and_medusa_has_the_return(kefu, medusa, http):
    email, verify = customer(medusa, "return")
    order_id = await place(medusa, email, "DRESS-S-RED")
    await delivered(medusa, order_id, "1Z-RETURN-1")
    shown = await synced(kefu, medusa, order_id)  # cached as placed: the turn reads it delivered, live
    shopper = await Shopper.connect(http, kefu)
    await shopper.say(f"I want to return order {shown}")
    told = await shopper.say(verify)
    for answer in ("the dress", "it does not fit", "original payment method please"):
        if "yes or no" in told:
            break
        told = await shopper.say(answer)
    assert "yes or no" in told, told
    told = await shopper.say("yes")
    assert "Return requested" in told, told
    order = medusa.order(order_id)
    [made] = [r for r in order["returns"] if r["status"] == "requested"]
    assert [(i["item_id"], i["quantity"]) for i in made["items"]] == [(order["items"][0]["id"], 1)]
    assert kefu.audit() == ["return_items"]
    assert kefu.store.orders.get(shown)["status"] == "return_requested"


async def test_a_shopper_exchanges_a_delivered_dress_for_another_size_and_medusa_has_the_exchange(kefu, medusa, http):
    order_id, shown, verify, shopper = await on_the_chat(kefu, medusa, http, "exchange", "DRESS-S-BLU")
    await delivered(medusa, order_id, "1Z-EXCHANGE-1")
    await shopper.say(f"I'd like to exchange the dress from order {shown} for size M")
    told = await shopper.say(verify)
    if "yes or no" not in told:
        told = await shopper.say("size M please")
    assert "yes or no" in told, told
    told = await shopper.say("yes")
    assert "Exchange requested" in told, told
    order = medusa.order(order_id)
    [made] = [r for r in order["returns"] if r["status"] == "requested"]
    assert [(i["item_id"], i["quantity"]) for i in made["items"]] == [(order["items"][0]["id"], 1)]
    assert medusa.seeded.variants["DRESS-M-BLU"] in [i["variant_id"] for i in order["items"]]
    assert kefu.audit() == ["exchange"]
    assert kefu.store.orders.get(shown)["status"] == "exchange_requested"


async def test_a_shopper_changes_the_address_and_medusa_shows_it(kefu, medusa, http):
    order_id, shown, verify, shopper = await on_the_chat(kefu, medusa, http, "address")
    await shopper.say(f"I need to change the delivery address of order {shown}")
    told = await shopper.say(verify)
    assert "new delivery address" in told, told
    told = await shopper.say("88 Harbour Road")
    assert "yes or no" not in told and "city" in told, told  # a street alone is not an address: the rest is asked for
    told = await shopper.say("Springfield, IL 62704")
    assert "yes or no" in told, told
    told = await shopper.say("yes")
    assert "88 Harbour Road" in told, told
    address = medusa.order(order_id)["shipping_address"]
    assert (address["address_1"], address["city"], address["province"], address["postal_code"]) == \
        ("88 Harbour Road", "Springfield", "IL", "62704")
    assert address["country_code"] == "us"  # not given: the order's own country is kept
    assert kefu.audit() == ["change_address"]


async def test_where_is_my_parcel_answers_with_the_tracking_number_from_medusa(kefu, medusa, http):
    order_id, shown, verify, shopper = await on_the_chat(kefu, medusa, http, "track", "CASE-STD")
    await asyncio.to_thread(medusa.fulfil, order_id, "1Z-TRACK-42", "UPS")  # no event names the order: a live read
    await shopper.say(f"where is my order {shown}?")
    told = await shopper.say(verify)
    assert "1Z-TRACK-42" in told and "not answering" not in told, told


async def test_an_order_placed_after_the_sync_is_found_within_seconds(kefu, medusa, http):
    started = time.monotonic()  # only the subscriber's order.placed event can bring the order into the cache
    order_id, shown, verify, shopper = await on_the_chat(kefu, medusa, http, "late", "CASE-STD")
    assert time.monotonic() - started < 15  # the checkout itself included
    await shopper.say(f"where is my order {shown}?")
    told = await shopper.say(verify)
    assert shown in told and "couldn't find" not in told, told


async def test_medusa_stopped_mid_conversation_gets_a_polite_answer_a_colleague_and_nothing_done(
        kefu, medusa, medusa_server, http):
    server: MedusaServer = medusa_server[0]
    order_id, shown, verify, shopper = await on_the_chat(kefu, medusa, http, "outage")
    await shopper.say(f"I want to cancel order {shown}")
    await shopper.say(verify)
    await shopper.say("I ordered the wrong size")
    server.stop()
    try:
        told = await shopper.say("yes")
    finally:
        medusa.base_url = server.restart(server.dbname)
        medusa._token = None
    assert "didn't go through" in told and f"nothing about order {shown} has changed" in told, told
    assert "cancel_order" not in kefu.audit() and kefu.audit() == ["cancel_order.not_done"]
    assert kefu.handoffs() == [f"shop_unavailable:cancel_order {shown}"]
    assert medusa.order(order_id)["status"] == "pending"


async def test_an_event_with_a_bad_signature_is_refused(kefu, medusa_events, http):
    body = json.dumps({"event": "order.placed", "id": "order_01FAKE", "sent_at": "2026-12-02T07:00:00Z"}).encode()
    stamp = str(int(time.time()))
    wrong = hmac.new(b"not the secret", stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    for headers in ({"X-Kefu-Timestamp": stamp, "X-Kefu-Signature": f"sha256={wrong}"},
                    {"X-Kefu-Timestamp": stamp}, {}):
        async with http.post(medusa_events["url"], data=body, headers=headers) as response:
            assert response.status == 401
    good = hmac.new(medusa_events["secret"].encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    async with http.post(medusa_events["url"], data=body, headers={"X-Kefu-Timestamp": stamp,
                                                                   "X-Kefu-Signature": f"sha256={good}"}) as response:
        assert response.status == 202
    async with http.post(medusa_events["url"], data=b"[1, 2", headers={
            "X-Kefu-Timestamp": stamp, "X-Kefu-Signature": "sha256=" + hmac.new(
                medusa_events["secret"].encode(), stamp.encode() + b".[1, 2", hashlib.sha256).hexdigest()}) as response:
        assert response.status == 400


async def test_each_change_is_read_back_before_and_after_it_is_made(medusa):
    """What the core asks after a timeout or a crash: not done yet (None), then done (the outcome)."""
    shop = MedusaShop(MedusaConfig(medusa.base_url, MedusaAuth(email=ADMIN_EMAIL, password=ADMIN_PASSWORD)))
    await shop.start()
    try:
        email, _ = customer(medusa, "readback")
        pending = await place(medusa, email)
        shipped = await place(medusa, email, "CASE-STD")
        await delivered(medusa, shipped, "1Z-READBACK")
        item = medusa.order(shipped)["items"][0]["id"]
        changes = [UpdateShippingAddress(pending, {"line1": "9 Read Back Lane", "country": "US"}),
                   RequestReturn(shipped, ((item, 1),), "too small", 1200, "original"),
                   CancelOrder(pending, "changed my mind", 0)]
        for n, change in enumerate(changes):
            assert await shop.has_happened(change) is None
            made = await shop.apply(change, f"key-{n}")
            again = await shop.has_happened(change)
            assert again is not None and again.order == made.order
        assert made.order.status == "cancelled"
    finally:
        await shop.close()


async def test_a_secret_api_key_reads_medusa(medusa):
    key = medusa.admin("POST", "/admin/api-keys", {"title": "Kefu test", "type": "secret"})["api_key"]["token"]
    shop = MedusaShop(MedusaConfig(medusa.base_url, MedusaAuth(api_key=key)))
    await shop.start()
    try:
        email, _ = customer(medusa, "apikey")
        order_id = await place(medusa, email, "CASE-STD")
        assert (await shop.order(order_id)).customer.email == email
        assert (await shop.find_customer(email)).zip == "62701"
        assert {"en": "Floral dress"} in [p.title async for p in shop.products()]
    finally:
        await shop.close()


@pytest.mark.parametrize("auth, message", [
    (MedusaAuth(email=ADMIN_EMAIL, password="wrong-password"), "refused the admin email and password"),
    (MedusaAuth(api_key="sk_not_a_real_key"), "Medusa will not let Kefu read orders: Medusa answered 401")])
async def test_wrong_credentials_stop_start_up_naming_what_is_wrong(medusa, auth, message):
    shop = MedusaShop(MedusaConfig(medusa.base_url, auth))
    with pytest.raises(ShopError, match=message) as error:
        await shop.start()
    assert "wrong-password" not in error.value.reason and "sk_not_a_real_key" not in error.value.reason


async def test_reconciliation_reads_only_the_orders_updated_since(medusa, tmp_path):
    """What ``ShopSync.reconcile`` asks Medusa for: ``updated_at[$gte]`` an ISO time with its offset."""
    shop = MedusaShop(MedusaConfig(medusa.base_url, MedusaAuth(email=ADMIN_EMAIL, password=ADMIN_PASSWORD)))
    await shop.start()
    try:
        email, _ = customer(medusa, "reconcile")
        before = await place(medusa, email, "CASE-STD")
        await asyncio.sleep(1.1)
        since = datetime.now(UTC).isoformat()
        after = await place(medusa, email, "CASE-STD")
        found = [order.external_id async for order in shop.orders(since)]
        assert after in found and before not in found
        store = Store(tmp_path / "kefu.db")
        report = await ShopSync(store, shop).full()
        assert report.failed == [] and store.orders.get(number(medusa, after))["external_id"] == after
        store.close()
    finally:
        await shop.close()


async def test_kefu_bench_shop_measures_reads_changes_and_the_sync(medusa, capsys):
    email, _ = customer(medusa, "bench")
    order_id = await place(medusa, email, "CASE-STD")
    line1 = medusa.order(order_id)["shipping_address"]["address_1"]
    settings = load_settings(env_file=None, kefu_db_path=":memory:", medusa_url=medusa.base_url,
                             medusa_admin_email=ADMIN_EMAIL, medusa_admin_password=ADMIN_PASSWORD)
    assert await shop_bench._bench(Namespace(orders=1, reads=3, changes=2), settings, None) == 0
    out = capsys.readouterr().out
    assert "order read   (3): p50=" in out and "address change (2): p50=" in out and "orders/s (0 failed)" in out
    assert medusa.order(order_id)["shipping_address"]["address_1"] == line1  # each change put back
