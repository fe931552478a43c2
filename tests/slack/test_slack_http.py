"""Slack in HTTP mode: the real slack-bolt AsyncApp behind Kefu's aiohttp server, signed requests, a
fake Slack Web API on 127.0.0.1."""
from __future__ import annotations

import logging
import time
from functools import partial

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import SlackChannel
from adapters.slack.blocks import BACK, CLAIM, RESOLVE
from core.suggestion import suggest_reply
from tests.slack.conftest import slack_config
from core.messages import Identity, InboundMessage
from tests.fakes.channel import RecordingChannel
from tests.fakes.slack_api import BOT_TOKEN, STAFF_CHANNEL

SHOPPER = Identity("telegram", "111")  # Alice; her channel is a recording sender here
CONVERSATION = SHOPPER.conversation_id



async def hand_off(assistant, fake_slack):
    """Alice asks for a human; returns the handoff row once its card is in the staff channel."""
    hub = assistant.components.staff
    hub.channels["telegram"] = inbox = RecordingChannel()
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
    assert "#W1000001 · shipped · tracking SF Express SF123456789" in blocks  # the copilot: her own orders
    assert "alice@example.com" in blocks and "#W2000002" not in blocks  # never Bob's
    thread = [m["text"] for m in fake_slack.thread(handoff["thread_ts"])]
    assert any("I want to talk to a human" in text for text in thread)  # the conversation is relayed
    staff_view = await AsyncWebClient(token=BOT_TOKEN, base_url=fake_slack.base_url).conversations_replies(
        channel=STAFF_CHANNEL, ts=handoff["thread_ts"])
    assert fake_slack.sent("conversations.replies")[0].http_method == "GET"
    assert [m["text"] for m in staff_view["messages"][1:]] == thread


async def test_the_suggested_reply_follows_a_shopper_line_in_the_thread(assistant, fake_slack):
    hub = assistant.components.staff
    slack = SlackChannel(slack_config(fake_slack), hub, partial(suggest_reply, assistant))
    try:
        handoff, _ = await hand_off(assistant, fake_slack)
        await hub.claim(handoff["id"], "Mei")
        await assistant.handle(InboundMessage(SHOPPER, "where is my order W1000001?", language_hint="en"))
        await hub.drain()
        thread = [m["text"] for m in fake_slack.thread(hub.open_handoff(CONVERSATION)["thread_ts"])]
        [suggestion] = [text for text in thread if "Suggested reply" in text]
        assert "SF123456789" in suggestion and thread.index(suggestion) > max(
            i for i, text in enumerate(thread) if "where is my order" in text)
    finally:
        await slack.stop()
        await hub.stop()


async def test_claim_thread_reply_and_resolve_reach_the_shopper(assistant, fake_slack, poster):
    handoff, inbox = await hand_off(assistant, fake_slack)
    hub = assistant.components.staff
    assert (await poster.button(CLAIM, handoff["id"]))[0] == 200
    await fake_slack.wait_for(lambda: fake_slack.sent("chat.update"))
    assert hub.store.conversations.get(CONVERSATION)["status"] == "human"
    assert "Mei" in inbox.texts()[-1]
    assert (await assistant.handle(InboundMessage(SHOPPER, "still there?", language_hint="en"))).replies == []
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
    [reply] = (await assistant.handle(InboundMessage(SHOPPER, "hi", language_hint="en"))).replies
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
    card = handoff["thread_ts"]
    assert (await poster.button(BACK, handoff["id"], user="UOUT", card=card))[0] == 200
    assert (await poster.button(CLAIM, handoff["id"], channel="CELSEWHERE", action_ts="3.3", card=card))[0] == 200
    await fake_slack.wait_for(lambda: len(fake_slack.ephemerals) == 2)
    assert (await poster.thread_reply(card, "hello from outside", user="UOUT", event_id="Ev7"))[0] == 200
    refusals = await fake_slack.wait_for(lambda: len(fake_slack.ephemerals) == 3 and fake_slack.ephemerals)
    assert [(e["user"], e["channel"], e["thread_ts"]) for e in refusals] == [
        ("UOUT", STAFF_CHANNEL, card), ("UMEI", "CELSEWHERE", card), ("UOUT", STAFF_CHANNEL, card)]
    assert all(e["text"] == "Only Kefu staff can do that." for e in refusals)
    status, body = await poster.command("orders alice@example.com", user="UOUT")
    assert status == 200 and "Only Kefu staff" in body
    assert assistant.store.conversations.get(CONVERSATION)["status"] == "waiting"
    assert "hello from outside" not in inbox.texts()


async def test_a_button_on_an_old_card_acts_on_its_own_handoff_only(assistant, fake_slack, poster):
    first, inbox = await hand_off(assistant, fake_slack)
    hub = assistant.components.staff
    assert (await poster.button(RESOLVE, first["id"], card=first["thread_ts"]))[0] == 200
    await fake_slack.wait_for(lambda: hub.store.conversations.get(CONVERSATION)["status"] == "bot")
    await assistant.handle(InboundMessage(SHOPPER, "I want to talk to a human", language_hint="en"))
    await hub.drain()
    second = hub.open_handoff(CONVERSATION)
    assert second["id"] != first["id"] and second["thread_ts"] not in (None, first["thread_ts"])
    told, updates = len(inbox.texts()), len(fake_slack.sent("chat.update"))
    # the old card still shows its buttons (its chat.update was lost in an outage) and a colleague presses them
    for n, action in enumerate((RESOLVE, BACK, CLAIM)):
        assert (await poster.button(action, first["id"], card=first["thread_ts"], action_ts=f"3.{n}"))[0] == 200
    assert (await poster.thread_reply(first["thread_ts"], "are you still there?", event_id="Ev300"))[0] == 200
    refusals = await fake_slack.wait_for(lambda: len(fake_slack.ephemerals) == 3 and fake_slack.ephemerals)
    assert all(e["user"] == "UMEI" and e["thread_ts"] == first["thread_ts"] for e in refusals)
    assert all(e["text"] == f"Cannot do that: handoff #{first['id']} is already resolved." for e in refusals)
    await fake_slack.wait_for(lambda: any(m["text"].startswith("Not sent to the shopper: handoff #")
                                          for m in fake_slack.thread(first["thread_ts"])))
    await hub.drain()
    assert hub.open_handoff(CONVERSATION)["id"] == second["id"]
    assert hub.store.conversations.get(CONVERSATION)["status"] == "waiting"
    assert len(inbox.texts()) == told and len(fake_slack.sent("chat.update")) == updates
    assert not any(" by Mei" in m["text"] for m in fake_slack.thread(second["thread_ts"]))


async def test_a_thread_reply_also_sent_to_the_channel_reaches_the_shopper(assistant, fake_slack, poster):
    handoff, inbox = await hand_off(assistant, fake_slack)
    broadcast = {"subtype": "thread_broadcast", "root": {"ts": handoff["thread_ts"], "text": "Handoff"}}
    assert (await poster.thread_reply(handoff["thread_ts"], "It ships today, everyone.", event_id="Ev200",
                                      fields=broadcast))[0] == 200
    await fake_slack.wait_for(lambda: "It ships today, everyone." in inbox.texts())
    assert assistant.store.conversations.get(CONVERSATION)["status"] == "human"  # the reply claimed it


async def test_edits_deletions_joins_and_bot_messages_in_a_thread_are_ignored(assistant, fake_slack, poster):
    handoff, inbox = await hand_off(assistant, fake_slack)
    thread = handoff["thread_ts"]
    not_words = [{"subtype": "message_changed", "message": {"text": "edited", "user": "UMEI", "thread_ts": thread}},
                 {"subtype": "message_deleted", "deleted_ts": "1800000099.000001"},
                 {"subtype": "channel_join"}, {"subtype": "bot_message", "bot_id": "BOTHER"},
                 {"subtype": "thread_broadcast", "bot_id": "BOTHER"}]
    for n, fields in enumerate(not_words):
        assert (await poster.thread_reply(thread, f"not for the shopper {n}", event_id=f"Ev4{n:02d}",
                                          fields=fields))[0] == 200
    assert (await poster.thread_reply(thread, "for the shopper", event_id="Ev499"))[0] == 200
    await fake_slack.wait_for(lambda: "for the shopper" in inbox.texts())
    await assistant.components.staff.drain()
    assert not [text for text in inbox.texts() if text.startswith("not for the shopper")]
    assert not fake_slack.ephemerals and not any("Not sent" in m["text"] for m in fake_slack.thread(thread))


async def test_a_signed_body_that_is_not_a_slack_payload_gets_400(assistant, fake_slack, poster):
    json_type, form_type = "application/json", "application/x-www-form-urlencoded"
    for body, content_type in (('{"hello": "world"}', json_type), ("hello=world", form_type),
                               ('{"type": "block_actions"}', json_type), ('{"type": "event_callback", "event": 5}',
                                                                          json_type)):
        assert await poster.post(body, content_type) == (400, '{"error": "not a Slack request body"}'), body
    status, body = await poster.post('{"type": "url_verification", "challenge": "c-123", "token": "legacy"}', json_type)
    assert status == 200 and "c-123" in body
    assert (await poster.post("ssl_check=1&token=legacy", form_type))[0] == 200


async def test_kefu_slash_commands_are_answered_and_audited(assistant, fake_slack, poster):
    handoff, _ = await hand_off(assistant, fake_slack)
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
    entries = [e for e in assistant.store.audit.entries() if e["actor"] == "Mei"]  # as for her button presses
    assert [e["action"] for e in entries] == ["staff.orders", "staff.coupon", "staff.coupon", "handoff.resolve",
                                              "staff.resolve"]
    assert all(e["details"]["origin"] == "slack" for e in entries if e["action"].startswith("staff."))
    await assistant.components.staff.drain()
    assert fake_slack.thread(handoff["thread_ts"])[-1]["text"] == "resolved by Mei"  # the button's wording
    assert "resolved by Mei" in str(fake_slack.messages[handoff["thread_ts"]]["blocks"])


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
