"""Streamed replies (issue #21): sentences cut as they are written (zh and en), each checked before the
shopper sees it, the first failing one stopping the generation, the template's remainder after it so
that every fact and question of the template reaches the shopper; the transcript keeps the final text."""
from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from core.turn import ActionResult
from core.llm.base import BackendError, ChatBackend, ChatMessage
from core.i18n import t
from core.messages import Identity, InboundMessage, Language, Reply
from core.reply.templates import localise
from core.reply.sentences import cut_sentences, remainder, says
from core.reply.tone_shaping import apply_tone
from core.sentiment.tone import Tone
from core.stream import SentenceStream
from tests.fakes.streaming_llm import StreamingBackend, streaming_generator

ORDER = ActionResult("order_status", {
    "order_id": "#W1234567", "date": "2026-12-01", "total": "¥199.00", "status": {"zh": "已发货", "en": "shipped"},
    "shipping": {"zh": "承运商：SF Express，运单号：SF123456789，预计 2026-12-09 送达。",
                 "en": "Carrier: SF Express, tracking number SF123456789, expected by 2026-12-09."}, "as_of": ""})
# Its template (en): "Order #W1234567 (placed 2026-12-01, ¥199.00): shipped. Carrier: SF Express, tracking
# number SF123456789, expected by 2026-12-09."
SHIPPED = "Your order #W1234567 (placed 2026-12-01, ¥199.00) has shipped!"
CARRIER = " It travels with SF Express, tracking number SF123456789, expected by 2026-12-09."
THANKS = ActionResult("thanks")


class BrokenBackend(StreamingBackend):
    """Writes one good sentence, then fails."""

    async def stream(self, messages: list[ChatMessage], max_tokens: int, timeout_s: float,
                     output_tokens: float | None = None) -> AsyncIterator[str]:
        yield self.text
        raise BackendError("the engine crashed")


async def _watch(reply: Reply) -> list[str]:
    """What a streaming channel shows: the text after each released piece."""
    assert reply.stream is not None
    return [shown async for shown in reply.stream.progress()]


def _draft(result: ActionResult, language: Language) -> str:
    """The template reply (the draft the model rephrases)."""
    facts = {k: localise(v, language) for k, v in result.facts.items()}
    return t(result.template, language, **facts)


# ---- sentences -----------------------------------------------------------------------------------------

def test_sentences_are_cut_at_chinese_and_english_ends_but_not_inside_numbers():
    assert cut_sentences("您好！我是客服。请问有什么可以帮您？") == (["您好！", "我是客服。"], "请问有什么可以帮您？")
    assert cut_sentences("It costs 99.00 yuan. See kefu.example for more. And") == \
        (["It costs 99.00 yuan.", " See kefu.example for more."], " And")
    assert cut_sentences("“好的。”然后", final=False) == (["“好的。”"], "然后")
    assert cut_sentences("Done?") == ([], "Done?")  # a closing quote may still follow
    assert cut_sentences("Done?", final=True) == (["Done?"], "")
    text = "Line one\nLine two! Three"
    assert "".join(cut_sentences(text, final=True)[0]) == text


def test_a_text_says_a_template_sentence_only_with_its_ids_numbers_question_and_most_words():
    assert says("Your order #W1234567 has shipped.", "Order #W1234567 has shipped.")
    assert not says("Your order has shipped.", "Order #W1234567 has shipped.")
    assert not says("Anything else I can help with.", "Anything else I can help with?")
    assert not says("Hello there!", "We ship to every province within 48 hours.")
    assert says("您的订单已经发货啦", "您的订单已发货")


def test_the_remainder_is_every_template_sentence_not_yet_said_in_order():
    draft = "Order #W1 has shipped. It should arrive on 2026-12-09. Anything else I can help with?"
    assert remainder(draft, "", "en") == draft
    assert remainder(draft, "Good news: your order #W1 has shipped!", "en") == \
        " It should arrive on 2026-12-09. Anything else I can help with?"
    assert remainder(draft, "Your order #W1 has shipped and should arrive on 2026-12-09. "
                            "Anything else I can help with?", "en") == ""
    # the model asked the question but went on: the reply must still end with the shopper's turn
    assert remainder("欢迎光临。还有什么可以帮您？", "欢迎光临！还有什么可以帮您？祝您愉快。", "zh") == "还有什么可以帮您？"


# ---- the stream itself ---------------------------------------------------------------------------------

async def test_every_reader_gets_every_piece_and_the_text_is_the_pieces_joined():
    stream = SentenceStream()
    early = asyncio.create_task(_collect(stream))
    stream.release("One.")
    await asyncio.sleep(0)
    stream.release(" Two.")
    finals: list[str] = []
    stream.on_final(finals.append)
    stream.finish()
    assert await early == ["One.", " Two."] == await _collect(stream)  # a late reader starts from the first
    assert await stream.text() == "One. Two." == finals[0]
    with pytest.raises(RuntimeError):
        stream.release("Three.")


async def _collect(stream: SentenceStream) -> list[str]:
    return [piece async for piece in stream.pieces()]


# ---- the generator -------------------------------------------------------------------------------------

async def test_a_faithful_stream_is_shown_sentence_by_sentence_and_is_the_final_text():
    text = SHIPPED + CARRIER
    backend = StreamingBackend(text)
    outcome = await streaming_generator(backend).render_streamed_with_outcome(ORDER, "en")
    assert outcome.reply.text == _draft(ORDER, "en")  # until finished, the transcript holds the template
    shown = await _watch(outcome.reply)
    assert shown == [SHIPPED, text]
    final = await outcome.stream.outcome()
    assert final.reply.text == text and final.used_model and final.source == "streamed" and not final.violations


async def test_the_first_failing_sentence_stops_the_generation_and_the_template_finishes_the_reply():
    draft = _draft(ORDER, "en")
    invented = SHIPPED + " We refunded you 50 yuan as a gift." + CARRIER * 3
    backend = StreamingBackend(invented)
    reply = await streaming_generator(backend).render_streamed(ORDER, "en")
    shown = await _watch(reply)
    final = await reply.stream.text()
    assert all(final.startswith(s) for s in shown)  # nothing shown is ever taken back
    assert "refunded" not in final and "50" not in final and "gift" not in final
    assert final == SHIPPED + " Carrier: SF Express, tracking number SF123456789, expected by 2026-12-09."
    for sentence in cut_sentences(draft, final=True)[0]:  # every fact and question of the template, once
        assert says(final, sentence), sentence
    assert final.count("#W1234567") == 1 and final.count("SF123456789") == 1
    assert backend.closed_early and len(backend.written) < len(invented)  # the model was stopped
    outcome = await reply.stream.outcome()
    assert outcome.reason in {"money", "number", "claim", "commitment"} and outcome.source == "streamed"


async def test_a_first_sentence_that_fails_leaves_exactly_the_template():
    backend = StreamingBackend("I'm the manager and I approved a refund." + CARRIER)
    reply = await streaming_generator(backend).render_streamed(ORDER, "en")
    assert await _watch(reply) == [_draft(ORDER, "en")]
    outcome = await reply.stream.outcome()
    assert outcome.source == "template" and outcome.shown == "" and outcome.violations


async def test_a_dropped_question_is_asked_by_the_remainder_at_the_end():
    backend = StreamingBackend("You're very welcome! It was a pleasure.")
    reply = await streaming_generator(backend).render_streamed(THANKS, "en")
    final = await reply.stream.text()
    assert final == "You're very welcome! It was a pleasure. Anything else I can help with?"
    assert (await reply.stream.outcome()).reason == "question"


async def test_a_first_sentence_later_than_the_first_text_limit_is_the_template_at_that_limit():
    backend = StreamingBackend("不客气！还有其他可以帮您的吗？", first_pause_s=1.0)
    loop = asyncio.get_running_loop()
    started = loop.time()
    reply = await streaming_generator(backend, first_text_s=0.2).render_streamed(THANKS, "zh")
    assert await reply.stream.text() == _draft(THANKS, "zh")
    assert loop.time() - started < 0.8
    assert (await reply.stream.outcome()).reason == "late"


async def test_an_engine_failing_midway_keeps_what_was_shown_and_finishes_with_the_template():
    backend = BrokenBackend(SHIPPED + " ")
    reply = await streaming_generator(backend).render_streamed(ORDER, "en")
    final = await reply.stream.text()
    assert final.startswith(SHIPPED) and final.count("#W1234567") == 1
    assert final.count("SF123456789") == 1 and (await reply.stream.outcome()).reason == "error"


async def test_a_streamed_reply_keeps_the_tone_around_it():
    backend = StreamingBackend("You're very welcome! Anything else I can help with?")
    reply = await streaming_generator(backend).render_streamed(THANKS, "en")
    toned = apply_tone(reply, Tone(apologise=True), "en")
    shown = await _watch(toned)
    assert shown[0] == toned.text.split("\n")[0] + "\n"  # the apology first, at once
    assert await toned.stream.text() == shown[-1] == shown[0] + "You're very welcome! Anything else I can help with?"


async def test_the_transcript_records_the_final_text_of_a_streamed_reply():
    from bot.app import build_assistant
    from bot.evals.dialogues import story_settings
    from core.store import Store

    store = Store(":memory:")
    try:
        assistant = build_assistant(store, story_settings())
        text = "You're so welcome! Anything else I can help with?"
        assistant.components.generator = streaming_generator(StreamingBackend(text))
        identity = Identity("web", "stream-transcript-0001")
        replies = (await assistant.handle(InboundMessage(identity, "thank you!", message_id="m1", streams=True))).replies
        assert len(replies) == 1 and replies[0].stream is not None
        assert await replies[0].stream.text() == text
        assert [r["text"] for r in store.conversations.replies_to(identity.conversation_id, "m1")] == [text]
        whole = (await assistant.handle(InboundMessage(identity, "thank you!", message_id="m2"))).replies
        assert whole[0].stream is None  # a channel that cannot stream gets the whole reply, as before
    finally:
        store.close()


async def test_the_openai_backend_streams_server_sent_events():
    from core.llm.openai_api import OpenAIChatBackend
    from tests.fakes.openai_api import FakeOpenAIAPI

    api = await FakeOpenAIAPI().start()
    backend = OpenAIChatBackend(api.base_url, "fake")
    try:
        api.reply_with("你好！很高兴为您服务。")
        pieces = [p async for p in backend.stream([{"role": "user", "content": "hi"}], 32, 5)]
        assert len(pieces) > 1 and "".join(pieces) == "你好！很高兴为您服务。"
        assert api.requests[-1]["stream"] is True
        api.fail_next(500)
        with pytest.raises(BackendError):
            [p async for p in backend.stream([{"role": "user", "content": "hi"}], 32, 5)]
    finally:
        await backend.close()
        await api.stop()
