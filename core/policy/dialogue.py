"""The dialogue policy: flows first, then the foundation's rules.

While a flow is under way (a question asked, or a change waiting for yes/no) it decides whether the
message answers it, abandons it ("算了", "never mind"), or is a digression (a question answered
before returning to the flow with a reminder). Intents that start a flow go to the task engine;
everything else goes to :class:`~core.policy.rules.RulePolicy`."""
from __future__ import annotations

import re

from core.csat import csat_step
from core.dialogue.answers import abandons, answer, corrects
from core.dialogue.engine import FLOWS
from core.dialogue.flows.slots import chooses_refund_method, names_awaited_value
from core.dialogue.identity import credentials
from core.dialogue.recognisers import (
    FREE_TEXT_SLOTS,
    OPTION_FLOWS,
    QUESTION,
    SECOND_READING_CONFIDENCE,
    about_own_orders,
    asks_other_option,
    asks_where_own_order,
    flow_for,
    general_question,
    is_unsubscribe,
    language_step,
    privacy_step,
    retried_after_refusal,
    switches_task,
)
from core.policy.base import Policy
from core.policy.complaints import asks_to_complain
from core.policy.readings import acted_reading
from core.policy.rules import RulePolicy
from core.turn import Turn

DIGRESSION_CONFIDENCE = 0.8
# Flows whose intent is as often a general question ("how long do refunds take?"): a shopper not yet
# known, naming no order and not speaking of their own, gets the FAQ answer instead of an identity check;
# a question of how things usually go gets it from anyone.
QUESTION_FLOWS = {"refund_status", "coupons", "invoice"}
QUESTION_CONFIDENCE = 0.55
# "can i still change an order once it's processed?", "订单已经处理了还能改地址吗", "换货可以换几次": what the
# shop allows in a case, not a request about one's own order (none named, no "my" / "我的")
_RULE_CASE = re.compile(
    r"\bhow\s+many\s+times\b|\b(?:once|after|when|if)\s+(?:(?:it'?s|its)(?:\s+been)?|it\s+(?:is|was|has\s+been)|(?:an?|the)\s+order"
    r"(?:\s+(?:is|was|has|has\s+been))?)\s+(?:already\s+)?(?:processed|shipped|dispatched|sent\s+out|delivered)\b"
    r"|(?:可以|能|允许)[\u4e00-\u9fff]{0,4}?(?:几次|多少次)|(?:已经|已)(?:被)?(?:处理|发货|发出|寄出|签收|送达)(?:了|后|之后|以后)?.{0,8}?(?:还|也)?(?:能|可以|可不可以|能不能)",
    re.IGNORECASE)
_OWN = re.compile(r"\b(?:my|mine)\b|我的|我这个|我那个|我刚", re.IGNORECASE)
# what a message that only proves who the shopper is holds besides the details ("邮箱 … 邮编 …", "my email is … zip …")
_CREDENTIAL_WORDS = re.compile(
    r"e-?mail(?:\s+address)?|mail|zip(?:\s*code)?|postal\s*code|post\s*code|phone(?:\s+number)?|number|verify(?:ing)?|"
    r"\b(?:my|me|is|are|and|it'?s|here|this|please|hi|hello|hey|to|let|first)\b|"
    r"邮箱(?:地址)?|电子邮件|邮件|邮编|邮政编码|手机号?码?|电话(?:号码)?|验证|身份|账户|账号|我的|我|是|和|的|先|一下|请|你好|您好",
    re.IGNORECASE)
# while a yes/no waits, a question is answered first (the yes/no is asked again after it)
PENDING_QUESTION_CONFIDENCE = 0.4
_NOT_DIGRESSIONS = {"affirm", "deny", "chitchat", "out_of_scope"}
_NAMING_SLOTS = (*FREE_TEXT_SLOTS, "item", "variant")  # answers that name something, not questions
_SLOT_ENTITIES = {"item": ("product_id", "color", "size"), "variant": ("color", "size"), "address": ("address",),
                  "identity": ("email", "phone"), "order_id": ("order_id",)}


def _rule_question(turn: Turn) -> bool:
    """A question of what the shop allows in a case ("换货可以换几次"), naming no order of the shopper's."""
    text = turn.message.text
    return "order_id" not in turn.nlu.entities and bool(_RULE_CASE.search(text)) and not _OWN.search(text)


def _only_credentials(turn: Turn) -> bool:
    """A message that holds nothing but an email and its zip code or phone number (and their labels):
    proving who one is, not a request (the NLU may read "邮编" as a new address)."""
    given = credentials(turn.message.text, turn.nlu.entities)
    if not given.complete:
        return False
    rest = turn.message.text
    for value in (turn.nlu.entities.get("email"), turn.nlu.entities.get("phone"), given.zip):
        rest = rest.replace(value, " ") if value else rest
    return not re.sub(r"[\W_]+", "", _CREDENTIAL_WORDS.sub(" ", rest))


def _completes_identity(turn: Turn) -> bool:
    """Identity details in this message that, with the parts given earlier, make a complete check."""
    typed = credentials(turn.message.text, turn.nlu.entities)
    return not typed.empty and typed.over(turn.state.identity_given).complete


class DialoguePolicy(Policy):
    """Routes a turn to the task engine or to the rule policy it wraps."""

    def __init__(self, rules: RulePolicy, start_above: float = 0.45) -> None:
        self._rules = rules
        self._start_above = start_above

    def decide(self, turn: Turn) -> list[str]:
        """The actions for this turn, in order."""
        state = turn.state
        if privacy_step(turn) is not None:
            return ["privacy"]  # data rights before any flow ("确认删除" is not cancelling an order)
        if language_step(turn) is not None:
            return ["language"]  # "/lang zh" is no answer to a flow's question
        if csat_step(turn) is not None:
            return ["csat"]  # the answer to "How did we do?" (asked only outside flows)
        if turn.message.payload is None and is_unsubscribe(turn.message.text):
            # "STOP" unsubscribes whatever the NLU reads in it ("stop my order"); an open flow stops too
            return ["unsubscribe", "task_abandon"] if state.active_task else ["unsubscribe"]
        if state.active_task:
            return self._in_task(turn)
        if turn.message.payload is None and asks_to_complain(turn.message.text):
            return self._rules.decide(turn)  # a complaint in so many words goes to a colleague, not to a flow
        if turn.message.payload is None:
            turn.nlu = acted_reading(turn.nlu)  # "I'd like to check my order" read as placing one, …
        flow = flow_for(turn)
        if turn.customer is None and _only_credentials(turn):
            return ["verify"]  # "let me verify first: my email is … and my zip is …"
        named_order = "order_id" in turn.nlu.entities  # an order id makes an order flow the likely reading
        sure = turn.nlu.confidence >= (SECOND_READING_CONFIDENCE if named_order else self._start_above) \
            or flow in OPTION_FLOWS and asks_other_option(turn) \
            or flow == "track_order" and asks_where_own_order(turn.message.text) \
            or flow is not None and retried_after_refusal(turn, flow) == flow  # "sorry, I meant W…", "and mine?"
        if flow and sure and not _rule_question(turn) and (
                flow not in QUESTION_FLOWS or named_order
                or (turn.customer is not None or about_own_orders(turn.message.text))
                and not general_question(turn.message.text)):
            return ["task"]
        if turn.customer is None and _completes_identity(turn):
            return ["verify"]  # "let me verify first: my email is … and my zip is …", "邮箱写错了，应该是 …"
        return self._rules.decide(turn)

    def _in_task(self, turn: Turn) -> list[str]:
        state = turn.state
        slots = FLOWS[state.active_task or ""].slots
        if abandons(turn, free_text_expected=state.awaiting in FREE_TEXT_SLOTS and not state.pending, slots=slots) \
                and not names_awaited_value(turn):  # "no wait, the zip is 60201" corrects the address
            return ["task_abandon"]
        if turn.nlu.intent == "contact_human_agent" and turn.nlu.confidence >= DIGRESSION_CONFIDENCE:
            return ["handoff"]
        if answer(turn) and state.pending or corrects(turn, slots) or switches_task(turn) or self._answers_slot(turn):
            return ["task"]
        if self._digression(turn, only_questions=state.awaiting in _NAMING_SLOTS, pending=bool(state.pending)):
            decided = [name for name in self._rules.decide(turn) if name != "clarify"]
            return (decided or ["fallback"]) + (["task_remind"] if "handoff" not in decided else [])
        return ["task"]

    @staticmethod
    def _answers_slot(turn: Turn) -> bool:
        """A button, the flow's own intent, or the details the open question asks for."""
        state = turn.state
        if turn.message.text.startswith("/") or flow_for(turn) == state.active_task or names_awaited_value(turn) \
                or chooses_refund_method(turn, FLOWS[state.active_task or ""].slots):
            return True
        wanted = _SLOT_ENTITIES.get(state.awaiting or "", ())
        return any(key in turn.nlu.entities for key in wanted)

    @staticmethod
    def _digression(turn: Turn, only_questions: bool, pending: bool = False) -> bool:
        """A question of another kind, e.g. the returns policy in the middle of a return: a confident
        one, or a likely one phrased as a question. While a free-text answer (a reason) or the name
        of one of the order's items is expected, only questions count ("太小了" is the reason, not a
        complaint; "the tea" names the item to return, it is not a product question). While a yes/no
        waits, a question that is no yes or no counts at a lower confidence ("hmm wait, what's the
        status of that order right now?")."""
        nlu = turn.nlu
        if nlu.intent in _NOT_DIGRESSIONS:
            return False
        question = bool(QUESTION.search(turn.message.text))
        if only_questions:
            return question and nlu.confidence >= QUESTION_CONFIDENCE
        if pending and question and answer(turn) is None:
            return nlu.confidence >= PENDING_QUESTION_CONFIDENCE
        return nlu.confidence >= DIGRESSION_CONFIDENCE or question and nlu.confidence >= QUESTION_CONFIDENCE
