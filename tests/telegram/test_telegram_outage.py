"""Faults as tests: the Telegram Bot API is down (502 / 503 answers, or connections refused) for
longer than a few retries. The reply stays pending in the outbox and is delivered exactly once when
the API is back, also when the outage spans a restart. (429 and a crash with messages pending:
test_telegram_polling.py.)"""
from __future__ import annotations

import asyncio

import pytest

from adapters.telegram import delivery
from core.messages import Identity, Reply
from tests.telegram.conftest import until_done

# Under --db-engine postgresql the stores on file paths here are PostgreSQL databases too (tests/conftest.py).
pytestmark = pytest.mark.file_stores

BOB = 222


@pytest.fixture(autouse=True)
def _quick_back_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """The production back-off (1 s doubling up to a minute) at a test's time scale: 20 ms up to 0.2 s."""
    monkeypatch.setattr(delivery, "RETRY_BASE_S", 0.02)
    monkeypatch.setattr(delivery, "RETRY_MAX_S", 0.2)


async def test_a_reply_outlives_many_502_and_503_answers_and_is_sent_once(fake_api, start_channel):
    channel = await start_channel()
    fake_api.fail_next("sendMessage", status=502, times=4)
    fake_api.fail_next("sendMessage", status=503, times=4)  # eight failed attempts: more than any fixed budget
    update = fake_api.message_update(BOB, "/help")
    await fake_api.push(update)
    await until_done(channel, update["update_id"])
    [reply] = await fake_api.wait_messages(1, BOB, timeout=10)
    await asyncio.sleep(0.5)  # would a retry still scheduled send it twice?
    assert fake_api.messages(BOB) == [reply] and "/orders" in reply.params["text"]
    statuses = [c.status for c in fake_api.calls if c.method == "sendMessage"]
    assert statuses == [502] * 4 + [503] * 4 + [200]
    assert channel.outbox.status_counts() == {"sent": 1}


async def test_while_connections_are_refused_the_reply_waits_in_the_outbox(fake_api, start_channel):
    channel = await start_channel()
    await fake_api.go_down()
    await channel.send(Identity("telegram", str(BOB)), Reply("Your parcel left the warehouse."))
    await asyncio.sleep(1.0)  # several attempts, each refused
    assert channel.outbox.status_counts() == {"pending": 1}
    [attempts] = channel.store.db.execute("select attempts from telegram_outbox").fetchone()
    assert attempts >= 3
    await fake_api.come_back()
    [sent] = await fake_api.wait_messages(1, BOB, timeout=10)
    await asyncio.sleep(0.5)
    assert fake_api.messages(BOB) == [sent] and sent.params["text"] == "Your parcel left the warehouse."
    assert channel.outbox.status_counts() == {"sent": 1}


async def test_an_outage_across_a_restart_loses_and_doubles_nothing(fake_api, start_channel):
    channel = await start_channel()
    await fake_api.go_down()
    for text in ("first", "second"):  # order matters too
        await channel.send(Identity("telegram", str(BOB)), Reply(text))
    await channel.stop()  # pending messages stay in the outbox
    assert channel.outbox.status_counts() == {"pending": 2}
    await fake_api.come_back()
    restarted = await start_channel()
    assert [c.params["text"] for c in fake_api.messages(BOB)] == ["first", "second"]  # flushed on start
    await asyncio.sleep(0.5)
    assert len(fake_api.messages(BOB)) == 2
    assert restarted.outbox.status_counts() == {"sent": 2}
