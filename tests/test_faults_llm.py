"""Faults as tests: the reply model's API is slow, failing or talking nonsense. Kefu's real ``openai``
backend (core/llm/openai_api.py, chosen by bot/llm.py from settings) talks to a fake
OpenAI-compatible server on 127.0.0.1; whatever that server does, the shopper gets the template
reply within ``KEFU_LLM_BUDGET_S`` (plus a little slack for the rest of the turn), the turn is
recorded once, and nothing the model made up reaches the shopper or the transcript.

tests/test_llm_replies.py covers the grounding checker and the backend on its own; these tests go
through the whole assistant, with the faults a remote API really has."""
from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.app import build_assistant
from bot.settings import Settings, load_settings
from core.assistant import Assistant
from core.messages import Identity, InboundMessage
from core.store import Store
from tests.conftest import seed_small_shop
from tests.fakes.openai_api import FakeOpenAIAPI

# Under --db-engine postgresql the stores on file paths here are PostgreSQL databases too (tests/conftest.py).
pytestmark = pytest.mark.file_stores

BUDGET_S = 1.0
SLACK_S = 0.5
"""The rest of a turn (NLU, actions, the store commit) on a busy test machine."""
ALICE = Identity("telegram", "111")
QUESTION = "where is my order #W1000001"
GROUNDED = ("Good news! Order #W1000001 (placed 2026-10-20, ¥199.00) has shipped. Carrier: SF Express, "
            "tracking number SF123456789, expected by 2026-10-25.")


def llm_settings(db: Path, base_url: str, **overrides: object) -> Settings:
    """The openai backend against ``base_url`` with a one-second budget; retries on, as in production."""
    values: dict[str, object] = {
        "kefu_load_demo_shop": False, "kefu_db_path": str(db), "kefu_rate_limit_messages": 0,
        "kefu_llm_backend": "openai", "kefu_llm_api_base_url": base_url, "kefu_llm_api_model": "qwen-test",
        "kefu_llm_budget_s": BUDGET_S, "kefu_llm_api_timeout_s": 20.0, "kefu_llm_api_retries": 2,
        "kefu_llm_phrase": "all", "kefu_llm_first_text_s": 60.0}
    return load_settings(env_file=None, **(values | overrides))


@pytest.fixture
async def api() -> AsyncIterator[FakeOpenAIAPI]:
    fake = FakeOpenAIAPI()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def template_reply(tmp_path: Path, settings: Settings) -> str:
    """What the template generator answers Alice's question on the same shop (no model at all)."""
    store = Store(tmp_path / "templates.db")
    seed_small_shop(store)
    try:
        [reply] = (await build_assistant(store, settings).handle(InboundMessage(ALICE, QUESTION, message_id="t"))).replies
    finally:
        store.close()
    assert "SF123456789" in reply.text
    return reply.text


@pytest.fixture
async def shop(tmp_path: Path, api: FakeOpenAIAPI) -> AsyncIterator[tuple[Store, Assistant]]:
    """The small shop in a file and the assistant built from settings with the openai backend."""
    store = Store(tmp_path / "kefu.db")
    seed_small_shop(store)
    assistant = build_assistant(store, llm_settings(tmp_path / "kefu.db", api.base_url))
    yield store, assistant
    await assistant.components.generator.close()
    store.close()


async def ask(assistant: Assistant, message_id: str) -> tuple[list[str], float]:
    """Alice's question; the reply texts and how long the shopper waited."""
    started = time.perf_counter()
    replies = (await assistant.handle(InboundMessage(ALICE, QUESTION, message_id=message_id))).replies
    return [r.text for r in replies], time.perf_counter() - started


def transcript(store: Store) -> list[tuple[str, str, str | None, int]]:
    """Alice's conversation: (direction, text, channel message id, processed) in order."""
    return [(r["direction"], r["text"], r["channel_message_id"], r["processed"]) for r in store.db.query(
        "select direction, text, channel_message_id, processed from messages where conversation_id = ? order by id",
        [ALICE.conversation_id])]


def _slow(api: FakeOpenAIAPI) -> None:
    api.delay_s = 5 * BUDGET_S  # every attempt sleeps far past the budget


FAULTS: dict[str, Callable[[FakeOpenAIAPI], None]] = {
    "slow": _slow,
    "http 500 on every attempt": lambda api: api.fail_next(500, 500, 500),
    "502 then 503 then 504": lambda api: api.fail_next(502, 503, 504),
    "connection closed without an answer": lambda api: api.disconnect_next(3),
    "not JSON": lambda api: api.send_raw_next("<html><body>Bad gateway</body></html>"),
    "truncated JSON": lambda api: api.send_raw_next('{"choices": [{"message": {"content": "Order #W10'),
    "JSON without choices": lambda api: api.send_raw_next('{"id": "x", "object": "chat.completion"}'),
    "empty choices": lambda api: api.send_raw_next('{"choices": []}'),
    "JSON array": lambda api: api.send_raw_next("[1, 2, 3]"),
    "null content": lambda api: api.send_raw_next('{"choices": [{"message": {"content": null}}]}'),
    "number as content": lambda api: api.send_raw_next('{"choices": [{"message": {"content": 42}}]}'),
    "list as content": lambda api: api.send_raw_next(
        '{"choices": [{"message": {"content": [{"type": "text", "text": "hi"}]}}]}'),
    "empty answer": lambda api: api.reply_with(""),
    "blank answer": lambda api: api.reply_with("   \n  "),
}


@pytest.mark.parametrize("fault", list(FAULTS))
async def test_a_misbehaving_api_gets_the_template_within_the_budget_and_one_recorded_turn(
        fault, api, shop, template_reply):
    store, assistant = shop
    FAULTS[fault](api)
    texts, waited = await ask(assistant, "q1")
    assert texts == [template_reply]  # the template, not the apology for a failed turn
    assert waited <= BUDGET_S + SLACK_S, waited
    assert api.requests  # the model really was asked
    assert transcript(store) == [("in", QUESTION, "q1", 1), ("out", template_reply, None, 1)]
    assert (await assistant.handle(InboundMessage(ALICE, QUESTION, message_id="q1"))).replies == []  # redelivery: once
    assert len(transcript(store)) == 2


@pytest.mark.parametrize("usage", ['"lots"', '{"completion_tokens": "many"}', '[1]', 'null'])
async def test_a_malformed_token_count_does_not_cost_a_good_reply(usage, api, shop):
    """``usage`` is bookkeeping: when it is garbage the grounded text is still sent (tokens count 0)."""
    store, assistant = shop
    api.send_raw_next('{"choices": [{"message": {"content": "' + GROUNDED + '"}}], "usage": ' + usage + "}")
    texts, _ = await ask(assistant, "q1")
    assert texts == [GROUNDED]
    assert transcript(store) == [("in", QUESTION, "q1", 1), ("out", GROUNDED, None, 1)]


FABRICATIONS = {
    "a wrong price": GROUNDED.replace("¥199.00", "¥19.90"),
    "another order id": GROUNDED.replace("#W1000001", "#W1000002"),
    "a made-up tracking number": GROUNDED.replace("SF123456789", "SF987654321"),
    "a coupon nobody granted": GROUNDED + " Use coupon SORRY50 for 50% off your next order!",
    "a refund nobody promised": GROUNDED + " We will refund the shipping fee.",
    "the wrong language": "好消息！订单 #W1000001（2026-10-20 下单，¥199.00）已发货，SF Express 运单号 SF123456789，"
                          "预计 2026-10-25 送达。",
}


@pytest.mark.parametrize("kind", list(FABRICATIONS))
async def test_a_fabricating_model_never_reaches_the_shopper(kind, api, shop, template_reply):
    store, assistant = shop
    fabricated = FABRICATIONS[kind]
    api.reply_with(fabricated)
    texts, waited = await ask(assistant, "q1")
    assert texts == [template_reply]
    assert waited <= BUDGET_S + SLACK_S
    assert all(fabricated not in text for _, text, _, _ in transcript(store))
    assert transcript(store) == [("in", QUESTION, "q1", 1), ("out", template_reply, None, 1)]


async def test_after_a_fault_the_next_reply_uses_the_model_again(api, shop, template_reply):
    """The fallback is per reply: a dropped connection does not leave the backend broken."""
    store, assistant = shop
    api.disconnect_next(3)
    assert (await ask(assistant, "q1"))[0] == [template_reply]
    api.reply_with(GROUNDED)
    texts, _ = await ask(assistant, "q2")
    assert texts == [GROUNDED]
    assert [row[:3] for row in transcript(store)] == [("in", QUESTION, "q1"), ("out", template_reply, None),
                                                      ("in", QUESTION, "q2"), ("out", GROUNDED, None)]


async def _ask_once(tmp_path: Path, base_url: str, **overrides: object) -> tuple[list[str], float]:
    store = Store(tmp_path / "kefu.db")
    seed_small_shop(store)
    assistant = build_assistant(store, llm_settings(tmp_path / "kefu.db", base_url, **overrides))
    try:
        return await ask(assistant, "q1")
    finally:
        await assistant.components.generator.close()
        store.close()


async def test_an_api_that_refuses_connections_costs_no_more_than_the_budget(tmp_path, template_reply):
    texts, waited = await _ask_once(tmp_path, "http://127.0.0.1:9/v1")
    assert texts == [template_reply] and waited <= BUDGET_S + SLACK_S


async def test_once_every_attempt_failed_the_template_goes_out_without_waiting_out_the_budget(
        tmp_path, api, template_reply):
    """Three 503s take the back-off between attempts (0.25 s + 0.5 s), not the whole 5 s budget."""
    api.fail_next(503, 503, 503)
    texts, waited = await _ask_once(tmp_path, api.base_url, kefu_llm_budget_s=5.0)
    assert texts == [template_reply] and len(api.requests) == 3
    assert waited < 0.75 + SLACK_S, waited
