"""Faults as tests: the Slack Web API is down (503 answers, or connections refused) when a handoff
card is to be posted. The client retries (slack-sdk's retry handlers) and the card arrives once;
an outage longer than the retries costs no card either: it is posted with the handoff's next
notification."""
from __future__ import annotations

import asyncio

import pytest

from adapters.slack import listeners
from core.messages import InboundMessage
from tests.fakes.slack_api import STAFF_CHANNEL, FakeSlackAPI
from tests.slack.test_slack_http import CONVERSATION, SHOPPER, hand_off


@pytest.fixture(autouse=True)
def _quick_back_off(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries at a test's time scale (slack-sdk still adds up to 1 s of jitter to each)."""
    monkeypatch.setattr(listeners, "API_BACKOFF_S", 0.01)


def cards(fake: FakeSlackAPI) -> list[dict]:
    """Handoff cards in the staff channel (messages that are not thread replies)."""
    return [m for m in fake.messages.values() if m["channel"] == STAFF_CHANNEL and not m["thread_ts"]]


async def test_503_answers_are_retried_and_the_card_posted_once(assistant, fake_slack, slack_web):
    fake_slack.fail_next("chat.postMessage", status=503, times=2)
    handoff, _ = await hand_off(assistant, fake_slack)
    [card] = cards(fake_slack)
    assert handoff["thread_ts"] == card["ts"]
    assert [c.method for c in fake_slack.calls].count("chat.postMessage") >= 3  # two refused, then the card
    assert any("I want to talk to a human" in m["text"] for m in fake_slack.thread(card["ts"]))


async def test_refused_connections_are_retried_until_slack_is_back(assistant, fake_slack, slack_web):
    await fake_slack.go_down()

    async def outage() -> None:
        await asyncio.sleep(1.0)
        await fake_slack.come_back()

    back = asyncio.create_task(outage())
    handoff, _ = await hand_off(assistant, fake_slack)  # waits for the staff notifications to go out
    await back
    [card] = cards(fake_slack)
    assert handoff["thread_ts"] == card["ts"]


@pytest.fixture
def few_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(listeners, "API_RETRIES", 1)


async def test_a_card_lost_to_a_long_outage_is_posted_with_the_next_line(few_retries, assistant, fake_slack,
                                                                          slack_web):
    await fake_slack.go_down()
    handoff, _ = await hand_off(assistant, fake_slack)  # the card and its lines fail for good
    assert handoff["thread_ts"] is None
    await fake_slack.come_back()
    await assistant.handle(InboundMessage(SHOPPER, "hello? anyone there?", language_hint="en"))
    await assistant.components.staff.drain()
    [card] = cards(fake_slack)
    assert assistant.components.staff.open_handoff(CONVERSATION)["thread_ts"] == card["ts"]
    assert any("hello? anyone there?" in m["text"] for m in fake_slack.thread(card["ts"]))
