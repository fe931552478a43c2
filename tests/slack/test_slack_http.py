"""Slack in HTTP mode: the real slack-bolt AsyncApp behind Kefu's aiohttp server, signed requests, a
fake Slack Web API on 127.0.0.1."""
from __future__ import annotations

import logging
import time

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.blocks import BACK, CLAIM, RESOLVE
from core.messages import Identity, InboundMessage
from tests.fakes.slack_api import BOT_TOKEN, STAFF_CHANNEL
from tests.staff.conftest import RecordingSender

SHOPPER = Identity("telegram", "111")  # Alice; her channel is a recording sender here
CONVERSATION = SHOPPER.conversation_id



async def hand_off(assistant, fake_slack):
    """Alice asks for a human; returns the handoff row once its card is in the staff channel."""
    hub = assistant.components.staff
    hub.senders["telegram"] = inbox = RecordingSender()
    await assistant.handle(InboundMessage(SHOPPER, "my order W1000001 never came", language_hint="en"))
    await assistant.handle(InboundMessage(SHOPPER, "I want to talk to a human", language_hint="en"))
    await hub.drain()
    return hub.open_handoff(CONVERSATION), inbox


async def test_handoff_card_goes_to_the_staff_channel_with_facts_and_buttons(assistant, fake_slack, slack_web):
    handoff, _ = await hand_off(assistant, fake_slack)
    [card] = [c for c in fake_slack.sent("chat.postMessage") if not c.params.get("thread_ts")]
    assert card.params["channel"] == STAFF_CHANNEL and handoff["thread_ts"]
    blocks = str(card.params["blocks"])
    for fact in ("Alice", "telegram", "#W1000001", "never came", "Claim", "Resolve", "Back to bot"):
        assert fact in blocks
    thread = [m["text"] for m in fake_slack.thread(handoff["thread_ts"])]
    assert any("I want to talk to a human" in text for text in thread)  # the conversation is relayed
    staff_view = await AsyncWebClient(token=BOT_TOKEN, base_url=fake_slack.base_url).conversations_replies(
        channel=STAFF_CHANNEL, ts=handoff["thread_ts"])
    assert fake_slack.sent("conversations.replies")[0].http_method == "GET"
    assert [m["text"] for m in staff_view["messages"][1:]] == thread


async def test_claim_thread_reply_and_resolve_reach_the_shopper(assistant, fake_slack, poster):
    handoff, inbox = await hand_off(assistant, fake_slack)
    hub = assistant.components.staff
    assert (await poster.button(CLAIM, handoff["id"]))[0] == 200
    await fake_slack.wait_for(lambda: fake_slack.sent("chat.update"))
    assert hub.store.conversations.get(CONVERSATION)["status"] == "human"
    assert "Mei" in inbox.texts()[-1]
    assert await assistant.handle(InboundMessage(SHOPPER, "still there?", language_hint="en")) == []
    await hub.drain()
    assert any("still there?" in m["text"] for m in fake_slack.thread(handoff["thread_ts"]))

    assert (await poster.thread_reply(handoff["thread_ts"], "Found it, it ships today.", event_id="Ev100"))[0] == 200
    await fake_slack.wait_for(lambda: "Found it, it ships today." in inbox.texts())
    # Slack retries the same event: handled once
    assert (await poster.thread_reply(handoff["thread_ts"], "Found it, it ships today.", event_id="Ev100",
                                      retry=1))[0] == 200
    assert (await poster.button(RESOLVE, handoff["id"], action_ts="2.2"))[0] == 200
    await fake_slack.wait_for(lambda: hub.store.conversations.get(CONVERSATION)["status"] == "bot")
    assert inbox.texts().count("Found it, it ships today.") == 1
    assert [e["actor"] for e in hub.store.audit.entries(CONVERSATION)] == ["Mei", "Mei", "Mei"]
    [reply] = await assistant.handle(InboundMessage(SHOPPER, "hi", language_hint="en"))
    assert reply.text.startswith("Hi")
    await hub.drain()
    updated = fake_slack.messages[handoff["thread_ts"]]
    assert "resolved by Mei" in str(updated["blocks"]) and "Claim" not in str(updated["blocks"])


async def test_bad_signatures_and_stale_timestamps_get_401(assistant, fake_slack, poster):
    handoff, _ = await hand_off(assistant, fake_slack)
    assert (await poster.button(CLAIM, handoff["id"], secret="not-the-secret"))[0] == 401
    assert (await poster.button(CLAIM, handoff["id"], timestamp=int(time.time()) - 3600))[0] == 401
    assert assistant.store.conversations.get(CONVERSATION)["status"] == "waiting"


async def test_only_staff_in_the_staff_channel_can_act(assistant, fake_slack, poster):
    handoff, inbox = await hand_off(assistant, fake_slack)
    assert (await poster.button(BACK, handoff["id"], user="UOUT"))[0] == 200
    assert (await poster.button(CLAIM, handoff["id"], channel="CELSEWHERE", action_ts="3.3"))[0] == 200
    await fake_slack.wait_for(lambda: len(fake_slack.sent("chat.postEphemeral")) == 2)
    assert (await poster.thread_reply(handoff["thread_ts"], "hello from outside", user="UOUT", event_id="Ev7"))[0] == 200
    status, body = await poster.command("orders alice@example.com", user="UOUT")
    assert status == 200 and "Only Kefu staff" in body
    assert assistant.store.conversations.get(CONVERSATION)["status"] == "waiting"
    assert "hello from outside" not in inbox.texts()


async def test_kefu_slash_commands_are_answered_and_audited(assistant, fake_slack, poster):
    await hand_off(assistant, fake_slack)
    status, body = await poster.command("orders alice@example.com")
    assert status == 200 and "#W1000001" in body and "shipped" in body
    status, body = await poster.command("coupon alice@example.com 10% 7", trigger="t2")
    assert "KF-" in body and "10% off" in body
    assert assistant.store.db["coupons"].count == 1
    status, body = await poster.command("coupon alice@example.com 90%", trigger="t3")
    assert "1-50%" in body and assistant.store.db["coupons"].count == 1
    status, body = await poster.command("resolve alice@example.com", trigger="t4")
    assert "Resolved" in body and assistant.store.conversations.get(CONVERSATION)["status"] == "bot"
    assert "Usage" in (await poster.command("dance", trigger="t5"))[1]
    actions = [e["action"] for e in assistant.store.audit.entries() if e["actor"] == "slack:Mei"]
    assert actions == ["staff.orders", "staff.coupon", "staff.coupon", "handoff.resolve", "staff.resolve"]


async def test_a_failing_listener_is_logged_and_the_app_keeps_working(assistant, fake_slack, poster, caplog,
                                                                     monkeypatch):
    handoff, _ = await hand_off(assistant, fake_slack)
    assert (await poster.button(CLAIM, "not-a-number", action_ts="7.7"))[0] == 200  # a malformed value: ignored
    assert "malformed value ignored" in caplog.text
    hub = assistant.components.staff

    async def broken(*_args, **_kwargs):
        raise RuntimeError("the store is unavailable")

    with monkeypatch.context() as patch, caplog.at_level(logging.ERROR):
        patch.setattr(hub, "claim", broken)
        assert (await poster.button(CLAIM, handoff["id"], action_ts="8.8"))[0] < 500  # acknowledged first
        await fake_slack.wait_for(lambda: "slack listener failed" in caplog.text)
    assert (await poster.button(CLAIM, handoff["id"], action_ts="8.8", retry=1))[0] == 200  # the retry: once
    assert assistant.store.conversations.get(CONVERSATION)["status"] == "waiting"
    assert (await poster.button(CLAIM, handoff["id"], action_ts="9.9"))[0] == 200
    await fake_slack.wait_for(lambda: assistant.store.conversations.get(CONVERSATION)["status"] == "human")
