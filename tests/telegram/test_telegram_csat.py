"""CSAT on Telegram, through the real python-telegram-bot against the fake Bot API: the question's inline
keyboard, a press answered (no spinner left) and stored."""
from __future__ import annotations

import pytest

from tests.telegram.conftest import exchange

# Under --db-engine postgresql the stores on file paths here are PostgreSQL databases too (tests/conftest.py).
pytestmark = pytest.mark.file_stores

ALICE = 111  # the small shop's Alice, whose order #W1000001 is shipped


async def test_the_question_comes_as_an_inline_keyboard_and_a_press_is_answered_and_stored(fake_api, start_channel):
    channel = await start_channel()
    store = channel.store
    await exchange(fake_api, channel, fake_api.message_update(ALICE, "where is my order W1000001", language_code="en"))
    sent = await exchange(fake_api, channel, fake_api.message_update(ALICE, "thank you!", language_code="en"))
    question = sent[-1]
    assert question.params["text"].startswith("How did we do?")
    assert question.callback_data == [f"/csat {n}" for n in range(1, 6)]
    press = fake_api.callback_update(ALICE, "/csat 3", language_code="en")
    [rated] = await exchange(fake_api, channel, press)
    assert "3/5" in rated.params["text"] and rated.callback_data == ["/csat skip"]
    answered = [c.params["callback_query_id"] for c in fake_api.sent("answerCallbackQuery")]
    assert press["callback_query"]["id"] in answered
    [done] = await exchange(fake_api, channel, fake_api.callback_update(ALICE, "/csat skip", language_code="en"))
    assert done.params["text"] == "Got it, thanks for your feedback!"
    [row] = store.csat.of_conversations([f"telegram:{ALICE}"])
    assert (row["channel"], row["score"], row["comment"]) == ("telegram", 3, None)
