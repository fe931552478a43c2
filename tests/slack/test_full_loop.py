"""The whole loop: a shopper on the (fake) Telegram asks for a person -> the card reaches the (fake) Slack
staff channel -> a colleague claims it and replies in the thread -> the shopper receives it on Telegram
while the assistant stays silent -> resolve -> the assistant answers again."""
from __future__ import annotations

from pathlib import Path

import aiohttp
import pytest

from adapters.http import HttpHost
from adapters.slack import SlackChannel
from adapters.slack.blocks import CLAIM, RESOLVE
from adapters.slack.config import EVENTS_PATH
from adapters.telegram import TelegramChannel, TelegramConfig
from adapters.web import WebChannel
from bot.app import build_assistant
from core.store import Store
from tests.conftest import seed_small_shop
from tests.fakes.slack_api import STAFF_CHANNEL, FakeSlackAPI
from tests.fakes.telegram_api import TOKEN, FakeTelegramAPI
from tests.slack.conftest import SlackPoster, slack_config
from tests.telegram.conftest import exchange

# Under --db-engine postgresql the stores on file paths here are PostgreSQL databases too (tests/conftest.py).
pytestmark = pytest.mark.file_stores

ALICE = 111


@pytest.fixture
async def fake_api():
    fake = await FakeTelegramAPI().start()
    yield fake
    await fake.stop()


async def test_telegram_shopper_to_slack_staff_and_back(tmp_path: Path, settings, fake_api: FakeTelegramAPI,
                                                        fake_slack: FakeSlackAPI):
    store = Store(tmp_path / "kefu.db")
    seed_small_shop(store)
    assistant = build_assistant(store, settings)
    hub = assistant.components.staff
    telegram = TelegramChannel(assistant, TelegramConfig(token=TOKEN, api_base_url=fake_api.base_url, poll_timeout=1))
    slack = SlackChannel(slack_config(fake_slack), hub)
    web, host = WebChannel(assistant), HttpHost("127.0.0.1", 0)
    host.register([web, telegram, slack])
    hub.channels["telegram"] = telegram
    await host.start()
    for channel in (web, telegram, slack):
        await channel.start()
    try:
        async with aiohttp.ClientSession() as session:
            staff = SlackPoster(host.url.rstrip("/") + EVENTS_PATH, session)
            said = await exchange(fake_api, telegram, fake_api.message_update(ALICE, "I want to talk to a human",
                                                                              language_code="en"))
            assert said and "colleague" in said[-1].params["text"]
            await hub.drain()
            handoff = hub.open_handoff(f"telegram:{ALICE}")
            card = fake_slack.messages[handoff["thread_ts"]]
            assert card["channel"] == STAFF_CHANNEL and "Alice" in str(card["blocks"])

            assert (await staff.button(CLAIM, handoff["id"]))[0] == 200
            await fake_slack.wait_for(lambda: any("Mei" in c.params.get("text", "") for c in fake_api.messages(ALICE)))
            assert await exchange(fake_api, telegram, fake_api.message_update(ALICE, "where is my parcel?",
                                                                              language_code="en")) == []
            await hub.drain()
            assert any("where is my parcel?" in m["text"] for m in fake_slack.thread(handoff["thread_ts"]))

            await staff.thread_reply(handoff["thread_ts"], "It left the warehouse this morning.", event_id="Ev500")
            await fake_slack.wait_for(lambda: any(c.params.get("text") == "It left the warehouse this morning."
                                                for c in fake_api.messages(ALICE)))
            assert (await staff.button(RESOLVE, handoff["id"], action_ts="7.7"))[0] == 200
            await fake_slack.wait_for(lambda: store.conversations.get(f"telegram:{ALICE}")["status"] == "bot")
            # resolved by a colleague in Slack: the shopper is asked "How did we do?" with the inline keyboard
            await fake_slack.wait_for(lambda: any(c.params.get("text", "").startswith("How did we do?")
                                                  and c.callback_data[-1] == "/csat 5" for c in fake_api.messages(ALICE)))

            answer = await exchange(fake_api, telegram, fake_api.message_update(ALICE, "hi", language_code="en"))
            assert answer and answer[0].params["text"].startswith("Hi")
            texts = [m["text"] for m in store.conversations.transcript(f"telegram:{ALICE}")]
            assert "It left the warehouse this morning." in texts and "where is my parcel?" in texts
    finally:
        for channel in (slack, telegram, web):
            await channel.stop()
        await host.stop()
        await hub.stop()
        store.close()
