"""The dialogue policy: flows first, then the foundation's rules.

While a flow is under way (a question asked, or a change waiting for yes/no) it decides whether the
message answers it, abandons it ("算了", "never mind"), or is a digression (a question answered
before returning to the flow with a reminder). Intents that start a flow go to the task engine;
everything else goes to :class:`~core.policy.rules.RulePolicy`."""
from __future__ import annotations

import re

from core.dialogue.answers import abandons, answer, corrects
from core.dialogue.flows.slots import names_awaited_value
from core.dialogue.identity import credentials
from core.dialogue.recognisers import (
    FREE_TEXT_SLOTS,
    SECOND_READING_CONFIDENCE,
    flow_for,
    is_unsubscribe,
    language_step,
    privacy_step,
    switches_task,
)
from core.policy.base import Policy
from core.policy.rules import RulePolicy
from core.turn import Turn

DIGRESSION_CONFIDENCE = 0.8
# Flows whose intent is as often a general question ("how long do refunds take?"): a shopper not yet
# known, naming no order and not speaking of their own, gets the FAQ answer instead of an identity check;
# a question of how things usually go gets it from anyone.
QUESTION_FLOWS = {"refund_status", "coupons", "invoice"}
QUESTION_CONFIDENCE = 0.55
_QUESTION = re.compile(r"[?？]|吗|呢|什么|怎么|多久|几天|哪些|^(?:what|how|when|where|why|which|can|do|does|is|are)\b",
                       re.IGNORECASE)
# "how long do refunds usually take?", "退款一般多久能到账？": about the shop's rules, not one of the shopper's orders
_GENERAL = re.compile(r"一般|通常|平时|正常(?:情况)?|\b(?:usually|normally|generally|typically|in general)\b", re.IGNORECASE)
# "我有个订单取消了，退款退了吗", "did my refund come through?": about the shopper's own order, not the rules
_PERSONAL = re.compile(r"\b(?:my|mine|i|i've|i'd)\b.*\b(?:orders?|refunds?|cancell?ed|returned|money|coupons?|invoice)\b"
                       r"|我.{0,8}(?:订单|退款|取消|退货|退了|钱|优惠券|发票)", re.IGNORECASE)
# while a yes/no waits, a question is answered first (the yes/no is asked again after it)
PENDING_QUESTION_CONFIDENCE = 0.4
_NOT_DIGRESSIONS = {"affirm", "deny", "chitchat", "out_of_scope"}
_NAMING_SLOTS = (*FREE_TEXT_SLOTS, "item", "variant")  # answers that name something, not questions
_SLOT_ENTITIES = {"item": ("product_id", "color", "size"), "variant": ("color", "size"), "address": ("address",),
                  "identity": ("email", "phone"), "order_id": ("order_id",)}


def _general(turn: Turn) -> bool:
    """A question about how things usually go, naming no order ("退款一般多久能到账？")."""
    return bool(_GENERAL.search(turn.message.text)) and bool(_QUESTION.search(turn.message.text))


def _personal(turn: Turn) -> bool:
    """A request about the shopper's own order ("我有个订单取消了，退款退了吗"): verify and look, not the FAQ."""
    return bool(_PERSONAL.search(turn.message.text))


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
        if turn.message.payload is None and is_unsubscribe(turn.message.text):
            # "STOP" unsubscribes whatever the NLU reads in it ("stop my order"); an open flow stops too
            return ["unsubscribe", "task_abandon"] if state.active_task else ["unsubscribe"]
        if state.active_task:
            return self._in_task(turn)
        flow = flow_for(turn)
        if flow is None and turn.customer is None and credentials(turn.message.text, turn.nlu.entities).complete:
            return ["verify"]  # "let me verify first: my email is … and my zip is …"
        named_order = "order_id" in turn.nlu.entities  # an order id makes an order flow the likely reading
        sure = turn.nlu.confidence >= (SECOND_READING_CONFIDENCE if named_order else self._start_above) \
            or named_order and flow == state.refused_task and state.refused_at == state.turn - 1  # "sorry, I meant W…"
        if flow and sure and (flow not in QUESTION_FLOWS or named_order
                              or (turn.customer is not None or _personal(turn)) and not _general(turn)):
            return ["task"]
        return self._rules.decide(turn)

    def _in_task(self, turn: Turn) -> list[str]:
        state = turn.state
        if abandons(turn, free_text_expected=state.awaiting in FREE_TEXT_SLOTS and not state.pending):
            return ["task_abandon"]
        if turn.nlu.intent == "contact_human_agent" and turn.nlu.confidence >= DIGRESSION_CONFIDENCE:
            return ["handoff"]
        if answer(turn) and state.pending or corrects(turn) or switches_task(turn) or self._answers_slot(turn):
            return ["task"]
        if self._digression(turn, only_questions=state.awaiting in _NAMING_SLOTS, pending=bool(state.pending)):
            decided = [name for name in self._rules.decide(turn) if name != "clarify"]
            return (decided or ["fallback"]) + (["task_remind"] if "handoff" not in decided else [])
        return ["task"]

    @staticmethod
    def _answers_slot(turn: Turn) -> bool:
        """A button, the flow's own intent, or the details the open question asks for."""
        state = turn.state
        if turn.message.text.startswith("/") or flow_for(turn) == state.active_task or names_awaited_value(turn):
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
        question = bool(_QUESTION.search(turn.message.text))
        if only_questions:
            return question and nlu.confidence >= QUESTION_CONFIDENCE
        if pending and question and answer(turn) is None:
            return nlu.confidence >= PENDING_QUESTION_CONFIDENCE
        return nlu.confidence >= DIGRESSION_CONFIDENCE or question and nlu.confidence >= QUESTION_CONFIDENCE
