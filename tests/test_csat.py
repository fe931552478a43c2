"""CSAT's rules in the core: when "How did we do?" is asked (once a day, never after an opt-out, never
mid-flow or during a handoff), how answers are read (1–5 in zh/en, full-width digits) and stored."""
from __future__ import annotations

from datetime import timedelta

import pytest

from core.csat import Csat, asks_to_stop, parse_score
from core.messages import Identity, InboundMessage
from core.privacy import erase_customer_data, export_customer_data
from core.staff import HandoffHub, WaitingWatch
from tests.fakes.channel import RecordingChannel

ALICE = Identity("telegram", "111")  # customer Alice, order #W1000001 shipped
BOB = Identity("telegram", "222")  # customer 王波, order #W2000002 pending


@pytest.mark.parametrize(("text", "score"), [
    ("1", 1), ("5", 5), (" 3 ", 3), ("４", 4), ("５分", 5), ("四", 4), ("五星", 5), ("两分", 2), ("4分", 4),
    ("4 stars", 4), ("1 star", 1), ("4/5", 4), ("3 out of 5", 3), ("5!", 5), ("/csat 2", 2), ("３。", 3)])
def test_scores_are_read_in_both_languages_and_full_width(text, score):
    assert parse_score(text) == score


@pytest.mark.parametrize("text", ["0", "6", "45", "-1", "3.5", "4 items", "great", "", "五六", "/csat 9", "W1000001"])
def test_anything_else_is_no_score(text):
    assert parse_score(text) is None


@pytest.mark.parametrize("text", ["stop asking me", "Please don't ask me again", "no more surveys", "别再问了",
                                  "不要再问我了", "别再让我评分", "STOP ASKING"])
def test_complaints_about_being_asked_are_recognised(text):
    assert asks_to_stop(text)


@pytest.mark.parametrize("text", ["stop", "where is my order", "退订", "I have a question", "不要了"])
def test_other_messages_are_no_opt_out(text):
    assert not asks_to_stop(text)


async def say(assistant, identity, text="", payload=None):
    result = await assistant.handle(InboundMessage(identity, text, payload=payload))
    return result.replies


def csat_of(assistant):
    csat = assistant.components.csat
    assert isinstance(csat, Csat)
    return csat


def asked(replies) -> bool:
    """Whether the replies end with the CSAT question and its five buttons."""
    return bool(replies) and [b.payload for b in replies[-1].buttons] == [f"/csat {n}" for n in range(1, 6)]


async def finish_a_flow_and_thank(assistant, identity=ALICE, thanks="thanks!"):
    await say(assistant, identity, "where is my order W1000001" if identity == ALICE else "我的订单 W2000002 到哪了")
    return await say(assistant, identity, thanks)


async def test_thanks_after_a_finished_flow_asks_once_and_stores_score_and_comment(assistant, store):
    replies = await finish_a_flow_and_thank(assistant)
    assert asked(replies) and replies[-1].text.startswith("How did we do?")
    [ask] = store.csat.of_conversations([ALICE.conversation_id])
    assert (ask["score"], ask["trigger"], ask["customer_id"], ask["language"]) == (None, "bot", 1, "en")
    [thanks] = await say(assistant, ALICE, payload="/csat 4")
    assert "4/5" in thanks.text and [b.payload for b in thanks.buttons] == ["/csat skip"]
    [noted] = await say(assistant, ALICE, "quick and friendly, thank you")
    assert noted.text == "Noted, thank you for telling us!"
    [row] = store.csat.of_conversations([ALICE.conversation_id])
    assert (row["score"], row["comment"]) == (4, "quick and friendly, thank you") and row["answered_at"]
    assert not asked(await say(assistant, ALICE, "thanks"))  # not again
    assert store.csat.score_of(ALICE.conversation_id) == 4


async def test_thanks_without_a_finished_flow_asks_nothing(assistant, store):
    await say(assistant, ALICE, "hi")
    assert not asked(await say(assistant, ALICE, "thanks!"))
    assert store.csat.of_conversations([ALICE.conversation_id]) == []


async def test_a_typed_chinese_score_and_no_comment(assistant, store):
    replies = await finish_a_flow_and_thank(assistant, BOB, "谢谢")
    assert asked(replies) and replies[-1].text.startswith("我们的服务您满意吗？")
    [thanks] = await say(assistant, BOB, "５分")
    assert "5 分" in thanks.text
    [done] = await say(assistant, BOB, payload="/csat skip")
    assert done.text == "好的，感谢您的反馈！"
    [row] = store.csat.of_conversations([BOB.conversation_id])
    assert (row["score"], row["comment"], row["language"]) == (5, None, "zh")


async def test_bad_input_is_no_score_and_the_question_lapses(assistant, store):
    assert asked(await finish_a_flow_and_thank(assistant))
    replies = await say(assistant, ALICE, "7")
    assert "7" not in [r.text for r in replies] and not any("/5" in r.text for r in replies)
    assert await say(assistant, ALICE, "3")  # the question is no longer open: "3" is an ordinary message
    [row] = store.csat.of_conversations([ALICE.conversation_id])
    assert row["score"] is None and row["answered_at"] is None


async def test_never_twice_in_a_day_per_shopper(assistant, store):
    csat = csat_of(assistant)
    clock = [csat.now()]
    csat.now = lambda: clock[0]
    assert asked(await finish_a_flow_and_thank(assistant))
    await say(assistant, ALICE, payload="/csat 5")
    clock[0] += timedelta(hours=23)
    assert not asked(await finish_a_flow_and_thank(assistant))
    clock[0] += timedelta(hours=2)
    assert asked(await finish_a_flow_and_thank(assistant))
    assert len(store.csat.of_conversations([ALICE.conversation_id])) == 2


async def test_the_same_customer_on_another_channel_is_not_asked_again_that_day(assistant, store):
    assert asked(await finish_a_flow_and_thank(assistant))
    web = Identity("web", "alice-web-session")
    store.customers.link_identity("web", web.user_id, 1)
    assert not asked(await finish_a_flow_and_thank(assistant, web))


@pytest.mark.parametrize("complaint", ["stop asking me", "别再问了"])
async def test_a_shopper_who_complains_is_never_asked_again(assistant, store, complaint):
    csat = csat_of(assistant)
    clock = [csat.now()]
    csat.now = lambda: clock[0]
    assert asked(await finish_a_flow_and_thank(assistant))
    [reply] = await say(assistant, ALICE, complaint)
    assert reply.text in ("Understood, we won't ask you to rate us again.", "好的，以后不会再请您评价了。")
    assert store.csat.opted_out("telegram", "111", 1)
    clock[0] += timedelta(days=3)
    assert not asked(await finish_a_flow_and_thank(assistant))


async def test_not_asked_in_the_middle_of_a_flow(assistant, store):
    await say(assistant, BOB, "我的订单 W2000002 到哪了")  # a finished flow: the question now waits for the end
    question = await say(assistant, BOB, "取消订单 W2000002")
    assert store.conversations.state(BOB.conversation_id)["active_task"] == "cancel_order", question
    assert not asked(await say(assistant, BOB, "谢谢"))
    assert store.csat.of_conversations([BOB.conversation_id]) == []


async def test_not_asked_during_a_handoff(assistant, store):
    await say(assistant, ALICE, "where is my order W1000001")
    await say(assistant, ALICE, "I want to talk to a human")
    assert store.conversations.get(ALICE.conversation_id)["status"] == "waiting"
    assert not asked(await say(assistant, ALICE, "thanks!"))
    assert store.csat.of_conversations([ALICE.conversation_id]) == []


async def test_a_colleague_resolving_the_handoff_asks_with_buttons(assistant, store):
    hub = assistant.components.staff
    assert isinstance(hub, HandoffHub)
    hub.channels["telegram"] = sender = RecordingChannel()
    await say(assistant, ALICE, "I want to talk to a human")
    handoff_id = hub.open_handoff_id(ALICE.conversation_id)
    await hub.reply(handoff_id, "mei", "Your parcel arrives tomorrow.")
    await hub.resolve(handoff_id, "mei")
    last = sender.sent[-1][1]
    assert last.text.startswith("How did we do?") and [b.payload for b in last.buttons][-1] == "/csat 5"
    [row] = store.csat.of_conversations([ALICE.conversation_id])
    assert row["trigger"] == "staff"
    await say(assistant, ALICE, payload="/csat 2")
    assert store.csat.score_of(ALICE.conversation_id) == 2


async def test_handing_back_to_the_bot_is_no_resolution(assistant, store):
    hub = assistant.components.staff
    hub.channels["telegram"] = sender = RecordingChannel()
    await say(assistant, ALICE, "I want to talk to a human")
    await hub.resolve(hub.open_handoff_id(ALICE.conversation_id), "mei", back_to_bot=True)
    assert not any(reply.buttons for _, reply in sender.sent)
    assert store.csat.of_conversations([ALICE.conversation_id]) == []


async def test_a_quiet_conversation_after_a_finished_flow_is_asked_by_the_watch(assistant, store):
    hub, csat = assistant.components.staff, csat_of(assistant)
    hub.channels["telegram"] = sender = RecordingChannel()
    watch = WaitingWatch(hub, wait_minutes=5, csat_idle_minutes=30)
    await say(assistant, ALICE, "where is my order W1000001")
    assert await watch.ask_idle() == 0  # not quiet long enough yet
    start = csat.now()
    csat.now = lambda: start + timedelta(minutes=31)
    assert await watch.ask_idle() == 1 and sender.sent[-1][1].text.startswith("How did we do?")
    assert await watch.ask_idle() == 0  # asked once
    [row] = store.csat.of_conversations([ALICE.conversation_id])
    assert row["trigger"] == "idle"


async def test_the_shoppers_ratings_are_exported_and_erased_with_their_data(assistant, store):
    assert asked(await finish_a_flow_and_thank(assistant))
    await say(assistant, ALICE, payload="/csat 3")
    await say(assistant, ALICE, "stop asking me")
    assert [r["score"] for r in export_customer_data(store, 1, "test")["csat"]] == [3]
    erase_customer_data(store, 1, "test")
    assert store.csat.of_conversations([ALICE.conversation_id]) == []
    assert not store.csat.opted_out("telegram", "111", 1)


async def test_csat_off_never_asks(assistant, store):
    csat_of(assistant).enabled = False
    assert not asked(await finish_a_flow_and_thank(assistant))


@pytest.mark.parametrize(("changes", "asks"), [
    ({}, True), ({"active_task": "cancel_order"}, False), ({"pending": "cancel_order"}, False),
    ({"handoff": True}, False), ({"csat_due": False}, False)])
async def test_the_rule_itself_never_mid_flow_nor_during_a_handoff(assistant, store, changes, asks):
    from core.dialogue_state import DialogueState
    await say(assistant, ALICE, "hi")
    conversation = store.conversations.get(ALICE.conversation_id)
    state = DialogueState(**{"csat_due": True, **changes})
    question = csat_of(assistant).after_turn(conversation, state, ["thank_you"], [])
    assert (question is not None) == asks
    assert state.csat_open == asks


async def test_in_a_later_flow_stop_asking_is_about_the_flow_not_an_opt_out(assistant, store):
    assert asked(await finish_a_flow_and_thank(assistant, BOB, "谢谢"))
    await say(assistant, BOB, payload="/csat 5")
    await say(assistant, BOB, "取消订单 W2000002")
    assert store.conversations.state(BOB.conversation_id)["active_task"] == "cancel_order"
    await say(assistant, BOB, "别再问了")
    assert not store.csat.opted_out("telegram", "222", 2)
