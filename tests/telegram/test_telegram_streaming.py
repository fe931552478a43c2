"""A streamed reply in Telegram: the first sentences sent at once, the message edited as more pass
(editMessageText), the final text (with its buttons) as the outbox's last edit of that message — against
the fake Bot API. User 111 (Alice) is a linked customer."""
from __future__ import annotations

import json

import pytest

from adapters.telegram.shopper import SERVICES
from tests.fakes.streaming_llm import StreamingBackend, streaming_generator
from tests.telegram.conftest import until_done

# Under --db-engine postgresql the stores on file paths here are PostgreSQL databases too (tests/conftest.py).
pytestmark = pytest.mark.file_stores

ALICE = 111
THANKS = "You're so welcome! It was a pleasure to help. Anything else I can help with?"


def _stream_into(channel, text: str) -> StreamingBackend:
    backend = StreamingBackend(text, pause_s=0.02)
    channel.application.bot_data[SERVICES].assistant.components.generator = streaming_generator(backend)
    return backend


async def _turn(fake_api, channel, text: str) -> list:
    before = len(fake_api.calls)
    update = fake_api.message_update(ALICE, text, language_code="en")
    await fake_api.push(update)
    await until_done(channel, update["update_id"])
    return [c for c in fake_api.calls[before:] if c.chat_id == ALICE and c.method != "sendChatAction"]


async def test_a_streamed_reply_is_one_message_edited_as_its_sentences_pass(fake_api, start_channel):
    channel = await start_channel()
    _stream_into(channel, THANKS)
    calls = [c for c in await _turn(fake_api, channel, "thank you so much!") if c.status == 200]
    assert [c.method for c in calls] == ["sendMessage"] + ["editMessageText"] * (len(calls) - 1)
    assert calls[0].params["text"] == "You're so welcome!" and len(calls) >= 2
    [(chat, message_id)] = fake_api.texts  # one message, edited
    assert chat == ALICE and {c.params["message_id"] for c in calls[1:]} == {str(message_id)}
    shown = [c.params["text"] for c in calls]
    assert all(later.startswith(earlier) for earlier, later in zip(shown, shown[1:]))  # nothing taken back
    assert shown[-1] == THANKS and list(fake_api.texts.values()) == [(THANKS, None)]
    # the last edit already showed the final text (no buttons): the outbox has nothing left to send
    assert channel.outbox.status_counts().get("pending", 0) == 0


async def test_a_failing_sentence_is_never_shown_and_the_template_finishes_the_message(fake_api, start_channel):
    channel = await start_channel()
    _stream_into(channel, "You're so welcome! As a VIP you get a free gift. Anything else I can help with?")
    calls = await _turn(fake_api, channel, "thanks!")
    shown = [c.params["text"] for c in calls if c.status == 200]
    assert shown and not any("VIP" in text or "gift" in text for text in shown)
    assert shown[-1] == "You're so welcome! Anything else I can help with?"
    assert [c.method for c in calls if c.status == 200][0] == "sendMessage"


async def test_when_telegram_refuses_an_edit_the_outbox_still_delivers_the_final_text(fake_api, start_channel):
    channel = await start_channel()
    _stream_into(channel, THANKS)
    fake_api.fail_next("editMessageText", status=400, times=1)
    await _turn(fake_api, channel, "thank you so much!")
    [(text, _)] = [v for (chat, _), v in fake_api.texts.items() if chat == ALICE]
    assert text == THANKS
    rows = channel.store.db.execute("select body, status from telegram_outbox order by id").fetchall()
    assert rows and json.loads(rows[-1][0])["edit_message_id"] is not None and rows[-1][1] == "sent"
