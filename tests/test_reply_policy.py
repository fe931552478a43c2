"""Which replies the model phrases (core/reply/policy.py), and what a phrased reply must keep and must
not claim (core/reply/llm.py, core/reply/grounding.py): the flow's question, nothing the turn did not
do. The stories pass with a model that tries all of that (issue #21)."""
from __future__ import annotations

import pytest

from bot.app import build_assistant
from bot.evals.dialogues import demo_template, story_settings
from bot.evals.stories import load_stories, run_story
from core.i18n import t
from core.llm.base import ChatBackend, ChatMessage, Completion
from core.messages import Language, Reply
from core.reply.grounding import GroundingChecker
from core.reply.llm import LLMReplyGenerator, Outcome
from core.reply.policy import FREE_TEXT_KINDS, PhrasePolicy
from core.reply.prompt import INSTRUCTION
from core.store import Store
from core.turn import ActionResult

ASK_REASON = ActionResult("ask_cancel_reason", {"order_id": "#W6697500"})
HANDOFF = ActionResult("handoff")
HANDOFF_KINDS = ("handoff", "handoff_not_understood")  # the replies of a turn that hands over
HANDOFF_CLAIM = {"zh": "好的，我会转接人工客服。", "en": " I'll transfer you to a human agent."}
FAQ_MISSING = ActionResult("faq_missing", buttons=[("btn_human", "/human")])


class MischievousBackend(ChatBackend):
    """Keeps every fact of the draft but, in turn, drops its questions, gives the shopper's reason for
    them, claims a handoff, or says the draft as it is (only that one is fine)."""

    name = "mischievous"

    def __init__(self) -> None:
        self.turn = 0

    async def complete(self, messages: list[ChatMessage], max_tokens: int, timeout_s: float,
                       output_tokens: float | None = None) -> Completion:
        language = "zh" if INSTRUCTION["zh"] in messages[-1]["content"] else "en"
        draft = messages[-1]["content"].removeprefix(INSTRUCTION[language])
        self.turn += 1
        zh = language == "zh"
        text = [draft.replace("？", "。").replace("?", "."),
                draft + ("原因可能是由于商品质量问题。" if zh else " That's because of a quality problem."),
                draft + HANDOFF_CLAIM[language],
                draft][self.turn % 4]
        return Completion(text)


class FixedBackend(ChatBackend):
    """Answers every prompt with ``text``."""

    name = "fixed"

    def __init__(self, text: str) -> None:
        self.text = text

    async def complete(self, messages: list[ChatMessage], max_tokens: int, timeout_s: float,
                       output_tokens: float | None = None) -> Completion:
        return Completion(self.text)


def _generator(backend: ChatBackend, policy: PhrasePolicy = PhrasePolicy(None)) -> LLMReplyGenerator:
    return LLMReplyGenerator(backend, GroundingChecker(), policy=policy)


def test_the_setting_names_the_policy():
    assert PhrasePolicy.parse("auto").kinds == FREE_TEXT_KINDS
    assert PhrasePolicy.parse("all").kinds is None and PhrasePolicy.parse("none").kinds == frozenset()
    assert PhrasePolicy.parse(" faq_answer, thanks ").kinds == {"faq_answer", "thanks"}
    with pytest.raises(ValueError):
        PhrasePolicy.parse(" , ")


def test_by_default_only_free_text_is_phrased():
    policy = PhrasePolicy()
    assert policy.allows(ActionResult("faq_answer")) and policy.allows(ActionResult("thanks"))
    for kind in ("order_status", "search_results", "product_info", "ask_cancel_reason", "confirm_cancel_order",
                 "handoff", "clarify", "fallback", "need_identity_chat"):
        assert not policy.allows(ActionResult(kind)), kind
    assert not PhrasePolicy(None).allows(ActionResult("faq_answer", verbatim=True))


async def test_a_kind_the_policy_keeps_for_templates_never_reaches_the_model():
    backend = MischievousBackend()
    outcome = await _generator(backend, PhrasePolicy()).render_with_outcome(ASK_REASON, "en")
    assert backend.turn == 0 and not outcome.asked and outcome.reason is None and outcome.source == "template"


@pytest.mark.parametrize("language, candidate", [
    ("en", "Thank you for verifying your order #W6697500."),
    ("en", "Why cancel order #W6697500? We're sorry to see it go."),  # asks, but no longer ends asking
    ("zh", "好的，您要取消订单 #W6697500。"),
])
async def test_a_reply_that_drops_the_flows_question_is_refused(language, candidate):
    outcome = await _generator(FixedBackend(candidate)).render_with_outcome(ASK_REASON, language)
    assert [v.kind for v in outcome.violations] == ["question"] and outcome.reason == "question"
    assert not outcome.used_model


async def test_a_knowledge_answer_cut_down_to_its_title_is_refused():
    # measured with the embedded model (kefu eval replies, KEFU_LLM_PHRASE=all): the body was dropped
    article = ActionResult("faq_answer", {"title": "支持的付款方式", "body": "您可以使用支付宝、微信支付、银联或"
                                          "Visa/Mastercard信用卡付款，海外顾客也可以用PayPal。礼品卡可以和其他方式一起使用。"})
    outcome = await _generator(FixedBackend("支持的付款方式")).render_with_outcome(article, "zh")
    assert [v.kind for v in outcome.violations] == ["shortened"] and not outcome.used_model
    kept = await _generator(FixedBackend("支持的付款方式：支付宝、微信支付、银联、Visa/Mastercard 信用卡，海外可用 "
                                         "PayPal，礼品卡可与其他方式同用。")).render_with_outcome(article, "zh")
    assert kept.used_model


@pytest.mark.parametrize("result, language, candidate", [
    (ASK_REASON, "zh", "取消订单 #W6697500 的原因可能是由于商品质量问题或服务延误，请问是什么原因呢？"),
    (ASK_REASON, "en", "You want to cancel order #W6697500 because it arrived late, right? Why?"),
    (FAQ_MISSING, "zh", "好的，我会转接人工客服。需要吗？"),
    (FAQ_MISSING, "en", "I'll transfer you to a colleague now. Would you like that?"),
    (ASK_REASON, "en", "Order #W6697500 has been cancelled. Why did you want to cancel it?"),
])
async def test_a_reply_claiming_what_the_turn_did_not_do_is_refused(result, language, candidate):
    outcome = await _generator(FixedBackend(candidate)).render_with_outcome(result, language)
    assert "claim" in {v.kind for v in outcome.violations} and not outcome.used_model


@pytest.mark.parametrize("language, candidate", [
    ("zh", "好的，已经为您转接人工客服啦，同事会尽快在这里回复您。"),
    ("en", "Of course! I've asked a colleague to join, and they'll reply here as soon as they can."),
])
async def test_a_handoff_may_be_phrased_as_one(language, candidate):
    assert (await _generator(FixedBackend(candidate)).render_with_outcome(HANDOFF, language)).used_model


def test_a_staff_summary_may_report_the_shoppers_reason_and_request():
    checker = GroundingChecker()
    summary = "The shopper wants to cancel because the parcel is late and asked to be transferred to a human."
    transcript = "shopper: cancel it, because the parcel is late. transfer me to a human"
    assert not checker.check(summary, transcript, "en", trusted="", turn_claims=False)
    assert {v.kind for v in checker.check(summary, transcript, "en", trusted="")} == {"claim"}


@pytest.fixture(scope="module")
def template():
    store = demo_template()
    yield store
    store.close()


STORIES = load_stories()


class RecordingGenerator(LLMReplyGenerator):
    """Keeps the outcome of every reply it made."""

    outcomes: list[Outcome]

    async def render(self, result: ActionResult, language: Language) -> Reply:
        outcome = await self.render_with_outcome(result, language)
        self.outcomes.append(outcome)
        return outcome.reply


@pytest.mark.parametrize("story", STORIES, ids=[f"{s['language']}-{s['story']}" for s in STORIES])
async def test_every_story_passes_with_a_mischievous_model_phrasing_every_reply(story, template):
    generator = RecordingGenerator(MischievousBackend(), GroundingChecker(), policy=PhrasePolicy(None))
    generator.outcomes = []

    def build(store: Store):
        assistant = build_assistant(store, story_settings())
        assistant.components.generator = generator
        return assistant

    result = await run_story(story, template, build)
    assert result.success, "\n".join(result.problems)
    asked = [o for o in generator.outcomes if o.asked]
    # only its faithful turns got out, and a handoff claim where the turn did hand over
    assert asked and all(o.candidate == o.draft or o.candidate in (o.draft + HANDOFF_CLAIM[o.reply.language],)
                         and o.draft in {t(k, o.reply.language) for k in HANDOFF_KINDS} for o in asked if o.used_model)
