"""Data rights asked for in words on Telegram (not the /privacy command): the core's privacy action
answers, as in every channel (core/actions/data_rights.py); its erasure also clears the chat's outbox."""
from __future__ import annotations

import re

import pytest

from tests.telegram.conftest import exchange

# Under --db-engine postgresql the stores on file paths here are PostgreSQL databases too (tests/conftest.py).
pytestmark = pytest.mark.file_stores

ALICE = 111


async def test_words_get_an_export_link_and_a_confirmed_deletion(fake_api, start_channel):
    channel = await start_channel()
    store = channel.store
    [link] = await exchange(fake_api, channel, fake_api.message_update(ALICE, "download my data", "en"))
    assert re.search(r"/privacy/export/[A-Za-z0-9_-]{43}", link.params["text"])
    [question] = await exchange(fake_api, channel, fake_api.message_update(ALICE, "delete my data", "en"))
    assert question.params["text"].startswith("Delete your personal data for good?")
    erase, keep = question.callback_data
    assert "Cancelled" in (await exchange(fake_api, channel, fake_api.callback_update(ALICE, keep, "en")))[0].params["text"]
    assert store.customers.for_identity("telegram", str(ALICE))["email"] == "alice@example.com"

    await exchange(fake_api, channel, fake_api.message_update(ALICE, "delete my data", "en"))
    [done] = await exchange(fake_api, channel, fake_api.callback_update(ALICE, erase, "en"))
    assert "has been deleted" in done.params["text"]
    assert store.customers.for_identity("telegram", str(ALICE)) is None
    assert store.conversations.get(f"telegram:{ALICE}") is None
    outbox = store.db.execute("select count(*) from telegram_outbox where chat_id = ?", [ALICE]).fetchone()[0]
    assert outbox == 1  # only the confirmation that the data is gone
