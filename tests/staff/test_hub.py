"""The handoff hub: ownership, silence while a colleague owns the chat, relay, resolve, summaries."""
from __future__ import annotations

from core.llm.base import BackendError, ChatBackend, Completion
from core.messages import Identity, InboundMessage
from core.staff import ExtractiveSummarizer, HandoffError, HandoffHub, LLMSummarizer
from core.staff.commands import StaffCommands

ALICE = Identity("telegram", "111")
CONVERSATION = ALICE.conversation_id


async def say(assistant, text, message_id=None):
    return (await assistant.handle(InboundMessage(ALICE, text, message_id=message_id, language_hint="en"))).replies


def status(hub: HandoffHub) -> str:
    return hub.store.conversations.get(CONVERSATION)["status"]


async def test_asking_for_a_human_opens_a_handoff_and_notifies_staff_with_a_card(assistant, hub, sender, sink):
    await say(assistant, "where is my order W1000001, it's late")
    replies = await say(assistant, "I want to talk to a human")
    await hub.drain()
    assert replies and status(hub) == "waiting"
    kind, card = sink.events[0]
    assert kind == "opened" and card.channel == "telegram" and card.conversation_id == CONVERSATION
    assert card.order_id == "#W1000001" and "W1000001" in card.summary and card.status == "open"
    assert ("relayed", ("shopper", "I want to talk to a human")) in sink.events


async def test_while_staff_own_the_chat_the_assistant_is_silent_and_messages_reach_staff(assistant, hub, sender, sink):
    await say(assistant, "I want to talk to a human")
    handoff = hub.open_handoff(CONVERSATION)
    await hub.claim(handoff["id"], "mei")
    assert status(hub) == "human" and "mei" in sender.texts()[-1]
    assert await say(assistant, "hello? anyone there", message_id="m-9") == []
    assert await say(assistant, "hello? anyone there", message_id="m-9") == []  # a redelivery: handled once
    await hub.drain()
    assert sink.events.count(("relayed", ("shopper", "hello? anyone there"))) == 1
    inbound = [m for m in hub.store.conversations.transcript(CONVERSATION) if m["text"] == "hello? anyone there"]
    assert len(inbound) == 1 and inbound[0]["processed"] == 1


async def test_staff_reply_reaches_the_shopper_and_the_transcript_and_resolve_gives_the_bot_back(
        assistant, hub, sender, sink):
    await say(assistant, "I want to talk to a human")
    handoff_id = hub.open_handoff_id(CONVERSATION)
    await hub.reply(handoff_id, "mei", "Hi, I'm checking your parcel now.")  # claims the open handoff
    assert sender.sent[-1][0] == ALICE and sender.texts()[-1] == "Hi, I'm checking your parcel now."
    staff_lines = [m for m in hub.store.conversations.transcript(CONVERSATION)
                   if (m["payload"] or {}).get("type") == "staff"]
    assert [m["payload"]["staff"] for m in staff_lines] == ["system", "mei"]
    await hub.resolve(handoff_id, "mei")
    assert status(hub) == "bot" and hub.open_handoff(CONVERSATION) is None
    assert hub.store.conversations.state(CONVERSATION)["handoff"] is False
    assert [e["action"] for e in hub.store.audit.entries(CONVERSATION)] == [
        "handoff.claim", "handoff.reply", "handoff.resolve"]
    [reply] = await say(assistant, "hi")
    assert reply.text.startswith("Hi")  # the assistant answers again
    await hub.drain()
    assert ("changed", "resolved by mei") in sink.events


async def test_staff_actions_without_an_open_handoff_are_refused(assistant, hub, sender):
    await say(assistant, "hi")
    try:
        hub.open_handoff_id(CONVERSATION)
    except HandoffError as exc:
        assert "no open handoff" in str(exc)
    else:
        raise AssertionError("a conversation without a handoff has an open one")
    for call in (hub.reply(99, "mei", "hello"), hub.resolve(99, "mei"), hub.claim(99, "mei")):
        try:
            await call
        except HandoffError as exc:
            assert "no handoff #99" in str(exc)
        else:
            raise AssertionError("a staff action on an unknown handoff went through")
    await say(assistant, "I want to talk to a human")
    handoff = hub.open_handoff(CONVERSATION)
    await hub.claim(handoff["id"], "mei")
    try:
        await hub.claim(handoff["id"], "li")
    except HandoffError as exc:
        assert "already claimed by mei" in str(exc)
    else:
        raise AssertionError("a second colleague claimed a claimed handoff")


async def test_staff_actions_on_a_resolved_handoff_are_refused_and_leave_the_open_one_alone(
        assistant, hub, sender, sink):
    await say(assistant, "I want to talk to a human")
    first = hub.open_handoff_id(CONVERSATION)
    await hub.resolve(first, "mei")
    await say(assistant, "I want to talk to a human")
    second = hub.open_handoff_id(CONVERSATION)
    assert second != first
    told = len(sender.sent)
    for call in (hub.resolve(first, "li"), hub.resolve(first, "li", back_to_bot=True), hub.claim(first, "li"),
                 hub.reply(first, "li", "hello from an old thread")):
        try:
            await call
        except HandoffError as exc:
            assert f"handoff #{first} is already resolved" in str(exc)
        else:
            raise AssertionError("a staff action on a resolved handoff went through")
    assert hub.open_handoff(CONVERSATION)["id"] == second and status(hub) == "waiting"
    assert len(sender.sent) == told  # the shopper was told nothing
    assert [e["actor"] for e in hub.store.audit.entries(CONVERSATION)] == ["mei"]


async def test_an_unreachable_channel_keeps_the_staff_reply_in_the_transcript(assistant, hub):
    await say(assistant, "I want to talk to a human")
    await hub.reply(hub.open_handoff_id(CONVERSATION), "mei", "Checking now")  # no telegram sender registered
    assert any(m["text"] == "Checking now" for m in hub.store.conversations.transcript(CONVERSATION))


class _Backend(ChatBackend):
    name = "fake"

    def __init__(self, text: str | None) -> None:
        self.text = text
        self.prompts: list = []

    async def complete(self, messages, max_tokens, timeout_s):
        self.prompts.append(messages)
        if self.text is None:
            raise BackendError("down")
        return Completion(self.text)


async def test_llm_summary_with_extractive_fallback(assistant, hub):
    await say(assistant, "my order W1000001 arrived broken")
    extractive = await ExtractiveSummarizer(hub.store).summarize(CONVERSATION)
    assert extractive.text == "> my order W1000001 arrived broken" and extractive.order_id == "#W1000001"
    backend = _Backend("Shopper's order W1000001 arrived damaged; wants a fix.")
    summary = await LLMSummarizer(hub.store, backend).summarize(CONVERSATION)
    assert summary.text.startswith("Shopper's order W1000001") and summary.order_id == "#W1000001"
    assert "W1000001 arrived broken" in backend.prompts[0][1]["content"]
    assert (await LLMSummarizer(hub.store, _Backend(None)).summarize(CONVERSATION)) == extractive


async def test_the_resolve_command_names_a_web_chat_by_handle(assistant, hub):
    visitor = Identity("web", "Zq8-secret-session-id-0123456789")
    await assistant.handle(InboundMessage(visitor, "I want to talk to a human", language_hint="en"))
    answer = await StaffCommands(hub).run(f"resolve {visitor.conversation_id}", "mei")
    assert answer == f"Resolved the handoff of {visitor.handle}." and hub.open_handoff(visitor.conversation_id) is None
