"""One turn of a conversation: as the stages after NLU see it (:class:`Turn`), what an action made of it
(:class:`ActionResult`), and what it came to for the channel that delivered the message (:class:`TurnResult`)."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.dialogue_state import DialogueState
from core.messages import InboundMessage, Language, Reply
from core.nlu.base import NLUResult
from core.recommend.base import Recommendation
from core.sentiment.base import Sentiment
from core.sentiment.tone import Tone
from core.store import ProductHit


@dataclass(frozen=True)
class Retrieved:
    """What a knowledge-base search made of the shopper's question, recorded with the message for the
    reports: the best ``score`` and the ``article`` id quoted (None when no article reached the
    retriever's threshold and the bot said it was not sure)."""

    article: str | None
    score: float


@dataclass
class ActionResult:
    """The facts an action established, for the reply generator to phrase.

    ``template`` names the reply in :mod:`core.i18n`; ``facts`` are the only values the reply
    may state; ``products`` become cards; ``buttons`` are (label key, payload) pairs; ``verbatim``
    replies (links, legal questions) are sent exactly as the template says: never rephrased, no tone added;
    ``private`` replies go to the shopper's identity only (:attr:`core.messages.Reply.private`);
    ``retrieved`` is the knowledge-base search behind the reply, when one ran."""

    template: str
    facts: dict[str, Any] = field(default_factory=dict)
    products: list[ProductHit] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)
    understood: bool = True
    verbatim: bool = False
    private: bool = False
    retrieved: Retrieved | None = None


@dataclass
class Turn:
    """The message, who sent it, what it means and what the conversation remembers."""

    message: InboundMessage
    conversation_id: str
    customer: dict[str, Any] | None
    nlu: NLUResult
    sentiment: Sentiment
    state: DialogueState
    tone: Tone = field(default_factory=Tone)
    after_commit: list[Callable[[], None]] = field(default_factory=list)
    """Work an action leaves until the turn is committed (e.g. erasing the conversation it belongs to)."""
    flows: list[tuple[str, str]] = field(default_factory=list)
    """What the task engine did to flows this turn, in order: (``started`` | ``completed``, flow name);
    committed with the turn (reports) and read by CSAT (a completed flow)."""

    @property
    def language(self) -> Language:
        """The language to answer in."""
        return self.state.language


@dataclass(frozen=True)
class TurnResult:
    """What handling one inbound message came to: all a channel needs to know, without reading the store.

    ``replies`` are to be delivered now (none for a redelivery, or while a colleague owns the
    conversation); ``language`` is the conversation's after the turn (for anything the channel says
    itself). ``duplicate``: the message was a redelivery of a turn already completed, and nothing was
    done again; ``earlier_replies`` then holds that turn's saved replies, for a channel that has no
    retry ledger of its own and sends them again (the web chat). ``erased``: the turn erased the
    shopper's data, this conversation included (the channel may forget its session). ``templates``
    names the reply template of each action the turn ran, in order; :attr:`outcome` is their kind."""

    replies: list[Reply]
    language: Language
    duplicate: bool = False
    erased: bool = False
    earlier_replies: tuple[Reply, ...] = ()
    templates: tuple[str, ...] = ()

    @property
    def outcome(self) -> str:
        """The kind of outcome, the same whatever the language: a handoff anywhere in the turn wins,
        else the first action's kind (``none`` for a turn that ran no action)."""
        if any(outcome_of(template) == "handed_off" for template in self.templates):
            return "handed_off"
        return outcome_of(self.templates[0]) if self.templates else "none"


# Kinds of outcome by reply-template prefix, first match wins (see TurnResult.outcome).
OUTCOMES = (
    ("handed_off", ("handoff", "fallback_offer_human")),
    ("verify", ("need_identity", "need_second_factor", "auth_", "verified_")),
    ("order_status", ("order_", "no_orders", "ask_order")),
    ("clarify", ("clarify",)),
    ("not_understood", ("fallback",)),
    ("faq_answer", ("faq_",)),
    ("product_cards", ("search_", "recommend", "product_", "ask_variant", "variant_unavailable")),
    ("order_change", ("ask_", "confirm_", "done_", "refuse_", "refund_", "task_", "window_", "no_eligible",
                      "shop_cannot")),
    ("privacy", ("privacy_",)),
)


def outcome_of(template: str) -> str:
    """The kind of outcome a reply template stands for; ``chat`` for the rest (small talk, language…)."""
    for kind, prefixes in OUTCOMES:
        if template.startswith(prefixes):
            return kind
    return "chat"
