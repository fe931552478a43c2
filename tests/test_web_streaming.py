"""A streamed reply in the web chat: ``partial`` frames into one bubble, then the ``reply`` frame with
the same stream id, over the real server and a real websocket on 127.0.0.1 (the shop from conftest)."""
from __future__ import annotations

import aiohttp
import pytest

from tests.fakes.streaming_llm import StreamingBackend, streaming_generator
from tests.test_web_channel import connect, say

THANKS_EN = "You're so welcome! It was a pleasure to help. Anything else I can help with?"


@pytest.fixture
async def http():
    """An HTTP client session."""
    async with aiohttp.ClientSession() as session:
        yield session


async def _frames_until_reply(ws: aiohttp.ClientWebSocketResponse) -> list[dict]:
    frames = []
    while not frames or frames[-1]["type"] != "reply":
        frames.append(await ws.receive_json(timeout=10))
    return frames


async def test_a_streamed_reply_arrives_as_growing_partial_frames_then_the_whole_reply(http, host, assistant):
    assistant.components.generator = streaming_generator(StreamingBackend(THANKS_EN))
    ws, session = await connect(http, host, lang="en")
    await ws.send_json(say("thank you so much!", "c1"))
    frames = await _frames_until_reply(ws)
    assert frames[0] == {"type": "typing"}
    partials, reply = frames[1:-1], frames[-1]
    assert [p["text"] for p in partials] == ["You're so welcome!", "You're so welcome! It was a pleasure to help.",
                                             THANKS_EN]
    assert {p["type"] for p in partials} == {"partial"} and len({p["stream"] for p in partials}) == 1
    assert reply["stream"] == partials[0]["stream"] and reply["text"] == THANKS_EN
    assert reply["in_reply_to"] == "c1" and reply["language"] == "en"
    # the transcript holds the final text, and a resent message gets it again (no second turn)
    await ws.send_json(say("thank you so much!", "c1"))
    frames = await _frames_until_reply(ws)
    assert frames[-1]["text"] == THANKS_EN and "stream" not in frames[-1]
    await ws.close()


async def test_a_sentence_that_fails_is_never_sent_and_the_template_finishes_the_bubble(http, host, assistant):
    invented = "You're so welcome! As a VIP you get a free gift. Anything else I can help with?"
    assistant.components.generator = streaming_generator(StreamingBackend(invented))
    ws, _ = await connect(http, host, lang="en")
    await ws.send_json(say("thanks!", "c2"))
    frames = await _frames_until_reply(ws)
    texts = [f["text"] for f in frames[1:]]
    assert texts == ["You're so welcome!", "You're so welcome! Anything else I can help with?",
                     "You're so welcome! Anything else I can help with?"]
    assert not any("VIP" in text or "gift" in text for text in texts)
    await ws.close()
