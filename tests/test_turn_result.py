"""What a turn came to (core/turn.py ``TurnResult``), the core's language choice (core/actions/language.py)
and the one language fallback (core/language.py ``pick_language``), over the small shop."""
from __future__ import annotations

from bot.app import build_assistant
from bot.settings import load_settings
from core.language import pick_language
from core.messages import Identity, InboundMessage
from core.staff.hub import HandoffHub
from tests.staff.conftest import RecordingSender

WEB = Identity("web", "turn-result")
BOB = Identity("telegram", "222")  # a customer whose own language is zh


async def test_a_redelivery_is_a_duplicate_carrying_the_replies_it_got_the_first_time(assistant):
    first = await assistant.handle(InboundMessage(WEB, "hi", message_id="m1"))
    assert first.replies and not first.duplicate and first.earlier_replies == ()
    again = await assistant.handle(InboundMessage(WEB, "hi", message_id="m1"))
    assert again.duplicate and again.replies == [] and again.language == first.language == "en"
    assert [r.to_dict() for r in again.earlier_replies] == [r.to_dict() for r in first.replies]


async def test_a_turn_that_erases_the_shoppers_data_says_so(assistant, store):
    for number, text in enumerate(["hi", "delete my data"]):
        result = await assistant.handle(InboundMessage(WEB, text, message_id=str(number)))
        assert not result.erased
    result = await assistant.handle(InboundMessage(WEB, "Yes, delete", payload="/privacy erase", message_id="2"))
    assert result.erased and "deleted" in result.replies[0].text
    assert store.conversations.get(WEB.conversation_id) is None


async def test_the_result_names_the_language_the_conversation_went_on_in(assistant):
    assert (await assistant.handle(InboundMessage(WEB, "你好"))).language == "zh"
    assert (await assistant.handle(InboundMessage(WEB, "hello there"))).language == "en"


async def test_lang_offers_both_languages_and_switches_conversation_and_customer(assistant, store):
    [menu] = (await assistant.handle(InboundMessage(BOB, "/lang", payload="/lang"))).replies
    assert [(b.label, b.payload) for b in menu.buttons] == [("中文", "/lang zh"), ("English", "/lang en")]
    result = await assistant.handle(InboundMessage(BOB, "English", payload="/lang en"))
    [done] = result.replies
    assert result.language == done.language == "en" and done.text == "Got it, I'll talk to you in English."
    assert [b.payload for b in done.buttons] == ["/orders", "/more", "/human"]
    assert store.conversations.state(BOB.conversation_id)["language"] == "en"
    assert store.customers.for_identity("telegram", "222")["language"] == "en"
    [unknown] = (await assistant.handle(InboundMessage(BOB, "/lang fr", payload="/lang fr"))).replies
    assert [b.payload for b in unknown.buttons] == ["/lang zh", "/lang en"]  # asks again


async def test_lang_is_no_answer_to_an_open_question(assistant, store):
    await assistant.handle(InboundMessage(BOB, "I want to cancel my order"))
    assert store.conversations.state(BOB.conversation_id)["active_task"] == "cancel_order"  # asks why
    result = await assistant.handle(InboundMessage(BOB, "/lang", payload="/lang"))
    assert [b.payload for b in result.replies[0].buttons] == ["/lang zh", "/lang en"]


async def test_a_new_conversation_starts_in_the_customers_own_language_before_the_hint(assistant):
    assert assistant.language_of(BOB, hint="en") == "zh"  # 王波 chose Chinese
    assert assistant.language_of(Identity("web", "nobody"), hint="zh") == "zh"
    assert assistant.language_of(Identity("web", "nobody")) == "en"  # the shop's default


def test_pick_language_takes_the_first_spoken_candidate_else_the_default():
    assert pick_language(None, "fr", "zh", "en", default="en") == "zh"
    assert pick_language(None, "", default="zh") == "zh"


async def test_the_shops_default_language_reaches_the_assistant_and_the_hub(store):
    settings = load_settings(env_file=None, kefu_load_demo_shop=False, kefu_db_path=":memory:",
                             kefu_llm_backend="templates", kefu_rate_limit_messages=0, kefu_default_language="zh")
    assistant = build_assistant(store, settings)
    assert assistant.language_of(Identity("web", "nobody")) == "zh"
    hub = assistant.components.staff
    assert isinstance(hub, HandoffHub)
    hub.senders["web"] = sender = RecordingSender()
    store.conversations.ensure(Identity("web", "quiet"), None)  # no language yet
    await hub.deliver("web:quiet", "staff:ann", "您好")
    [(_, reply)] = sender.sent
    assert reply.language == "zh"
