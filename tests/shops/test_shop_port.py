"""What the core does with any shop backend (tests/fakes/memory_shop.py behind the port): a confirmed
change is made in the shop first and recorded only when the shop says it is done; a refusal or an
outage tells the shopper, hands off and records nothing as done; an answer that never came, or a crash
right after the shop made the change, is resolved by reading the order back, never by sending twice; a
change the backend cannot make goes to a colleague; the order asked about is read live, with the cached
copy (and when it was last confirmed) when the shop does not answer."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.app import build_assistant
from bot.settings import Settings
from core.assistant import Assistant
from core.messages import Identity, InboundMessage
from core.shop.model import ShopFulfilment
from core.shop.port import ShopRefused, ShopUnavailable
from core.shop.requests import CancelOrder, Capability
from core.shop.sync import ShopSync
from core.store import Store
from tests.conftest import seed_small_shop
from tests.fakes.memory_shop import Crash, MemoryShop, sample_order

# Under --db-engine postgresql the stores on file paths here are PostgreSQL databases too (tests/conftest.py).
pytestmark = pytest.mark.file_stores

VERIFY = "ana@example.com 94107"
CANCEL = ["I want to cancel order #1001", VERIFY, "I ordered the wrong size", "yes"]


@pytest.fixture
def shop() -> MemoryShop:
    """The shop's system with Ana's pending order #1001 and her delivered order #1002."""
    memory = MemoryShop()
    memory.add(sample_order("#1001", "pending"))
    memory.add(replace(sample_order("#1002", "delivered", tracking="1Z999AA10123456784"),
                       expected_delivery="2026-11-22"))
    return memory


@pytest.fixture
async def synced(tmp_path: Path, shop: MemoryShop) -> Path:
    """A database file with the small shop's catalogue and the shop system's orders synced in."""
    store = Store(tmp_path / "kefu.db")
    seed_small_shop(store)
    report = await ShopSync(store, shop).full()
    assert (report.orders, report.failed) == (2, [])
    store.close()
    return tmp_path / "kefu.db"


def open_assistant(db: Path, settings: Settings, shop: MemoryShop) -> tuple[Store, Assistant]:
    store = Store(db)
    return store, build_assistant(store, settings, shop=shop)


async def say(assistant: Assistant, text: str, user: str = "s1", message_id: str | None = None) -> str:
    replies = (await assistant.handle(InboundMessage(Identity("web", user), text=text, message_id=message_id))).replies
    return "\n".join(r.text for r in replies)


def audit(store: Store) -> list[str]:
    return [e["action"] for e in store.audit.entries() if e["actor"].startswith("customer:")]


async def test_a_confirmed_cancellation_is_made_in_the_shop_first_then_recorded(synced, settings, shop):
    store, assistant = open_assistant(synced, settings, shop)
    for text in CANCEL[:-1]:
        assert shop.made == []
        await say(assistant, text)
    told = await say(assistant, "yes")
    assert "cancelled" in told and "$59.90" in told
    [(request, key)] = shop.made
    assert request == CancelOrder("ord_1001", "I ordered the wrong size", 5990)
    assert shop.orders_by_id["ord_1001"].status == "cancelled"
    cached = store.orders.get("#1001")
    assert cached["status"] == "cancelled"
    assert [p["kind"] for p in cached["payments"]] == ["payment", "refund"]  # the shop's refund, not a guess
    assert audit(store) == ["cancel_order"]
    assert store.db.execute("select status, reference from shop_changes").fetchall() == [("done", "ref-1")]
    assert len(key) == 40 and "web" not in key


@pytest.mark.parametrize("error, failure", [(ShopRefused("order is already fulfilled"), "refused"),
                                            (ShopUnavailable("502 from the shop"), "unavailable")])
async def test_a_change_the_shop_does_not_make_is_not_recorded_and_goes_to_a_colleague(
        synced, settings, shop, error, failure):
    store, assistant = open_assistant(synced, settings, shop)
    for text in CANCEL[:-1]:
        await say(assistant, text)
    shop.fail_next = error
    told = await say(assistant, "yes")
    assert "didn't go through" in told and "nothing about order #1001 has changed" in told
    assert "is cancelled" not in told
    assert shop.orders_by_id["ord_1001"].status == "pending"
    assert store.orders.get("#1001")["status"] == "pending"
    assert "cancel_order" not in audit(store) and audit(store) == ["cancel_order.not_done"]
    assert store.db.execute("select count(*) from confirmed_changes").fetchone()[0] == 0
    [(reason, status)] = store.db.execute("select reason, status from handoffs").fetchall()
    assert (reason, status) == (f"shop_{failure}:cancel_order #1001", "open")
    assert store.db.execute("select status from shop_changes").fetchone()[0] == "failed"


async def test_a_chinese_shopper_is_told_in_chinese(synced, settings, shop):
    store, assistant = open_assistant(synced, settings, shop)
    for text in ["我要取消订单 #1001", VERIFY, "买错尺码了"]:
        await say(assistant, text, user="zh")
    shop.fail_next = ShopUnavailable("timeout")
    told = await say(assistant, "是的", user="zh")
    assert "没有成功" in told and "没有任何变动" in told


async def test_an_answer_that_never_came_is_read_back_and_the_change_not_sent_twice(synced, settings, shop):
    store, assistant = open_assistant(synced, settings, shop)
    for text in CANCEL[:-1]:
        await say(assistant, text)
    shop.then_lose_answer = True
    told = await say(assistant, "yes")
    assert "is cancelled" in told
    assert len(shop.made) == 1
    assert audit(store) == ["cancel_order"]


async def test_after_a_crash_right_after_the_shop_made_the_change_the_resent_yes_gets_the_real_outcome(
        synced, settings, shop):
    store, assistant = open_assistant(synced, settings, shop)
    for text in CANCEL[:-1]:
        await say(assistant, text)
    shop.then_crash = True
    with pytest.raises(Crash):
        await say(assistant, "yes", message_id="m-yes")
    store.close()
    assert store.db is not None and len(shop.made) == 1  # the shop cancelled; Kefu recorded nothing
    store, assistant = open_assistant(synced, settings, shop)
    assert audit(store) == [] and store.db.execute("select status from shop_changes").fetchone()[0] == "sent"
    told = await say(assistant, "yes", message_id="m-yes")
    assert "is cancelled" in told
    assert len(shop.made) == 1  # read back, not sent again
    assert audit(store) == ["cancel_order"]
    assert store.orders.get("#1001")["status"] == "cancelled"


async def test_a_change_the_backend_cannot_make_goes_to_a_colleague_before_any_question(synced, settings, shop):
    shop.capabilities = frozenset(Capability) - {Capability.RETURN}
    store, assistant = open_assistant(synced, settings, shop)
    await say(assistant, "I want to return order #1002")
    told = await say(assistant, VERIFY)
    assert "A colleague needs to do this" in told and "#1002" in told
    assert store.db.execute("select reason from handoffs").fetchone()[0] == "shop_cannot:return_items #1002"
    assert shop.made == [] and audit(store) == []


async def test_the_order_asked_about_is_read_live_and_from_the_cache_when_the_shop_is_down(synced, settings, shop):
    store, assistant = open_assistant(synced, settings, shop)
    shipped = replace(shop.orders_by_id["ord_1001"], status="shipped",
                      fulfilments=(ShopFulfilment("FedEx", "7489-NEW", None, "2026-11-21T08:00:00+00:00"),))
    shop.add(shipped)  # shipped in the shop's admin after the sync; no event reached Kefu
    await say(assistant, "where is my order #1001?")
    told = await say(assistant, VERIFY)
    assert "7489-NEW" in told and "shop's system is not answering" not in told
    assert store.orders.get("#1001")["tracking_number"] == "7489-NEW"
    shop.down = True
    told = await say(assistant, "where is my order #1001?")
    assert "7489-NEW" in told and "The shop's system is not answering right now" in told


async def test_the_local_backend_still_changes_the_store_in_one_transaction(store, settings):
    assistant = build_assistant(store, settings)
    for text in ["cancel order #W2000002", "bob@example.com", "bob@example.com 000"]:
        await say(assistant, text, user="b")
    assert store.db.execute("select count(*) from shop_changes").fetchone()[0] == 0


def test_the_memory_shop_is_a_complete_backend():
    assert not MemoryShop.__abstractmethods__
