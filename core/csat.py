"""CSAT, "How did we do?": when to ask, how to read the answer, and storing it (docs/CONSOLE.md "CSAT").

The question is asked once when a conversation ends: the bot finished a flow and the shopper then says
thanks or goodbye (:meth:`Csat.after_turn`), a colleague resolved the shopper's handoff, or the
conversation went idle after a finished flow (:meth:`Csat.ask_outside_turn`). Never in the middle of a
flow or during a handoff, never twice in a day to the same shopper, never to one who asked us to stop.
The question carries 1–5 buttons (payload ``/csat N``); a typed ``4``, ``４``, ``四``, ``4分`` or
``4 stars`` counts too. After the score, the shopper's next plain message is their optional comment.
Channels only render the buttons and pass the press back, like any other reply."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Literal

from core.clock import utc_now
from core.dialogue.recognisers import flow_for
from core.dialogue_state import DialogueState
from core.i18n import t
from core.messages import Button, Language, Reply
from core.store import Store
from core.turn import ActionResult, Turn

ASK_AT_MOST_EVERY = timedelta(days=1)
PAYLOAD = "/csat"
SKIP = f"{PAYLOAD} skip"
CLOSING_ACTIONS = frozenset({"thank_you", "goodbye"})
"""Actions that answer a shopper ending the conversation: after a finished flow, they bring the question."""
_NOT_COMMENTS = frozenset({"contact_human_agent", "contact_customer_service", "product_search", "product_info",
                           "recommend", "place_order"})

Step = Literal["score", "skip", "comment", "opt_out"]

_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_SCORE = re.compile(r"(?:/csat\s*)?([1-5一二两三四五])\s*(?:分|星|颗星|stars?|points?|/\s*5|out of 5)?[\s.!。！~]*",
                    re.IGNORECASE)
_STOP = re.compile(
    r"别再?问(?:我)?了|不要再?问(?:我)?了|不要再(?:让我)?评(?:分|价)|别再(?:让我)?评(?:分|价)|不想(?:再)?评(?:分|价)|"
    r"别(?:再)?发(?:这个)?(?:评价|评分|调查)|"
    r"\b(?:stop|quit|don'?t|do not|never)\s+(?:keep\s+)?(?:asking|ask)\b|\bno more (?:surveys?|ratings?|questions)\b|"
    r"\bstop (?:the|these|this) (?:surveys?|ratings?)\b", re.IGNORECASE)


def parse_score(text: str) -> int | None:
    """A 1–5 score written alone: ``4``, full-width ``４``, ``四``, ``4分``, ``五星``, ``4 stars``, ``4/5``,
    ``/csat 4``; None for anything else (``0``, ``6``, ``45``, ``4 items``, words)."""
    folded = unicodedata.normalize("NFKC", text).strip()
    match = _SCORE.fullmatch(folded)
    if match is None:
        return None
    digit = match.group(1)
    return _DIGITS.get(digit) or int(digit)


def asks_to_stop(text: str) -> bool:
    """The shopper complains about being asked: "stop asking me", "别再问了", "no more surveys"."""
    return bool(_STOP.search(unicodedata.normalize("NFKC", text)))


def csat_step(turn: Turn) -> Step | None:
    """What this message does to the CSAT question, if anything: a ``score`` while it is open (typed or a
    button, which may also re-score an earlier answer), ``skip`` (the "No thanks" button), the ``comment``
    after a score, or ``opt_out`` once the shopper was asked in this conversation (outside a flow, or
    right after the question)."""
    state, message = turn.state, turn.message
    if not state.csat_asked:
        return None
    if message.payload is not None and message.payload.startswith(PAYLOAD):
        return "skip" if message.payload == SKIP else "score" if parse_score(message.payload) else None
    if asks_to_stop(message.text) and (state.csat_open or state.csat_comment or not state.active_task):
        return "opt_out"  # in a flow, "别再问了" is about the flow's questions (unless ours was just asked)
    if state.csat_open and parse_score(message.text) is not None:
        return "score"
    if state.csat_comment and _is_comment(turn):
        return "comment"
    return None


def _is_comment(turn: Turn) -> bool:
    """Plain words after the score that are no new request: not a command, question, flow or product ask."""
    text = turn.message.text.strip()
    return bool(text) and turn.message.payload is None and not text.startswith("/") \
        and not re.search(r"[?？]", text) and flow_for(turn) is None and turn.nlu.intent not in _NOT_COMMENTS


def question(language: Language) -> Reply:
    """"How did we do?" with the 1–5 buttons."""
    return Reply(t("csat_ask", language), language=language,
                 buttons=tuple(Button(f"{score} ★", f"{PAYLOAD} {score}") for score in range(1, 6)))


class Csat:
    """Decides when to ask, records the question, reads and stores the answer."""

    def __init__(self, store: Store, enabled: bool = True, now: Callable[[], datetime] = utc_now) -> None:
        """``now``: the clock (tests move it; :attr:`now`)."""
        self._store = store
        self.enabled = enabled
        self.now = now

    def after_turn(self, conversation: dict[str, Any], state: DialogueState, actions: list[str],
                   flows: list[tuple[str, str]]) -> Reply | None:
        """Called by the assistant before it commits a turn (``actions`` it ran, the task engine's ``flows``
        events, :attr:`core.turn.Turn.flows`): updates the state's CSAT flags and returns the question to
        send after the turn's replies when this turn ends a conversation the bot resolved (a flow completed
        earlier, and now thanks or goodbye). The caller records it (:meth:`record_ask`) once committed."""
        if "csat" not in actions:
            state.csat_open = state.csat_comment = False  # the shopper moved on: the question lapsed
        if any(event == "completed" for event, _ in flows):
            state.csat_due = True
        if not CLOSING_ACTIONS.intersection(actions) or not state.csat_due \
                or not self.may_ask(conversation["id"], conversation["channel"], conversation["user_id"],
                                    conversation.get("customer_id") or state.customer_id, state):
            return None
        state.csat_due, state.csat_open, state.csat_asked = False, True, True
        return question(state.language)

    def may_ask(self, conversation_id: str, channel: str, user_id: str, customer_id: int | None,
                state: DialogueState) -> bool:
        """Not during a flow or a handoff, not to an opted-out shopper, not twice within a day."""
        if not self.enabled or state.active_task or state.pending or state.handoff or state.csat_open:
            return False
        row = self._store.conversations.get(conversation_id)
        if row is None or row["status"] != "bot":
            return False
        ratings = self._store.csat
        since = (self.now() - ASK_AT_MOST_EVERY).isoformat(timespec="seconds")
        return not ratings.opted_out(channel, user_id, customer_id) and \
            not ratings.asked_since(channel, user_id, customer_id, since)

    def record_ask(self, conversation: dict[str, Any], customer_id: int | None, language: str, trigger: str) -> int:
        """Store that the question was asked (``trigger``: ``bot``, ``staff`` or ``idle``)."""
        return self._store.csat.record_ask(conversation["id"], conversation["channel"], conversation["user_id"],
                                           customer_id, language, trigger,
                                           at=self.now().isoformat(timespec="seconds"))

    def ask_outside_turn(self, conversation_id: str, trigger: str) -> Reply | None:
        """The question for a conversation that ended outside a turn (a colleague resolved it, or it went
        idle after a finished flow), recorded and marked in the saved state; None when it may not be asked."""
        conversation = self._store.conversations.get(conversation_id)
        saved = self._store.conversations.state(conversation_id)
        if conversation is None or not saved:
            return None
        state = DialogueState.from_dict(saved)
        customer_id = conversation.get("customer_id") or state.customer_id
        if not self.may_ask(conversation_id, conversation["channel"], conversation["user_id"], customer_id, state):
            return None
        self.record_ask(conversation, customer_id, state.language, trigger)
        self._store.conversations.patch_state(conversation_id, csat_due=False, csat_open=True, csat_asked=True,
                                              csat_comment=False)
        return question(state.language)

    def idle_due(self, idle_for: timedelta) -> list[str]:
        """Conversations waiting for the question after a finished flow and quiet for ``idle_for``."""
        before = (self.now() - idle_for).isoformat(timespec="seconds")
        return self._store.conversations.quiet_with_state("csat_due", before)

    def answer(self, turn: Turn) -> ActionResult:
        """Store what the shopper said to the question (:func:`csat_step`) and say thanks."""
        state, store = turn.state, self._store
        step = csat_step(turn)
        state.csat_open = state.csat_comment = False
        identity = turn.message.identity
        if step == "opt_out":
            store.csat.opt_out(identity.channel, identity.user_id, (turn.customer or {}).get("id") or state.customer_id)
            return ActionResult("csat_opted_out")
        asked = store.csat.open_ask(turn.conversation_id)
        if asked is None or step == "skip":
            return ActionResult("csat_done")
        if step == "score":
            score = parse_score(turn.message.payload or turn.message.text)
            assert score is not None  # csat_step read one
            store.csat.answer(asked["id"], score, at=self.now().isoformat(timespec="seconds"))
            state.csat_comment = True
            return ActionResult("csat_thanks", {"score": score}, buttons=[("csat_no_comment", SKIP)])
        store.csat.comment(asked["id"], turn.message.text.strip())
        return ActionResult("csat_comment_thanks")
