"""The message pipeline: ``handle(message) -> TurnResult`` (the replies, and what the turn came to).

Stages, each a replaceable component: NLU -> dialogue state -> sentiment -> policy and actions
(which consult the recommender) -> reply generation. The turn is committed to the store before
any reply is returned, so nothing is sent that the transcript and state do not already hold."""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial

from core.actions.base import Action
from core.csat import Csat
from core.dialogue.references import resolve as resolve_references
from core.dialogue.splitting import split_requests
from core.dialogue_state import DialogueState
from core.i18n import t
from core.language import pick_language
from core.messages import Identity, InboundMessage, Language, Reply
from core.nlu.base import NLU
from core.observe import metrics
from core.observe.context import conversation_scope
from core.ordering import ConversationLocks, TurnLocks
from core.policy.base import Policy
from core.ratelimit import RateLimiter
from core.reply.base import ReplyGenerator
from core.reply.tone_shaping import apply_tone, shape_result
from core.sentiment.base import SentimentAnalyzer
from core.policy.sentiment_strategy import SentimentStrategy
from core.shop.port import ShopBackend
from core.staff.hub import HandoffHub
from core.store import Store
from core.turn import Turn, TurnResult

log = logging.getLogger(__name__)


@dataclass
class Components:
    """The pipeline's replaceable parts."""

    nlu: NLU
    sentiment: SentimentAnalyzer
    policy: Policy
    actions: dict[str, Action]
    generator: ReplyGenerator
    strategy: SentimentStrategy | None = None  # mood and tone from sentiment; None: replies as they are
    staff: HandoffHub | None = None  # human handoff: silent while a colleague owns the conversation
    shop: ShopBackend | None = None  # the shop's own system (None: the store is the shop)
    csat: Csat | None = None  # "How did we do?" when a conversation ends; None: never asked


class Assistant:
    """Handles inbound messages from any channel, one turn at a time per conversation."""

    def __init__(self, store: Store, components: Components, default_language: Language = "en",
                 max_message_chars: int = 4000, rate_limiter: RateLimiter | None = None,
                 locks: TurnLocks | None = None) -> None:
        """``locks``: how turns of one conversation wait for each other (this process's FIFO locks by
        default; several workers on one database share PostgreSQL's, :mod:`core.cluster.turn_locks`)."""
        self.store = store
        self._limiter = rate_limiter
        self.components = components
        self._default_language = default_language
        self._max_chars = max_message_chars
        self._locks = locks if locks is not None else ConversationLocks()

    async def handle(self, message: InboundMessage) -> TurnResult:
        """Process one message: the replies to send and what the turn came to (a duplicate delivery,
        an erasure, the conversation's language), so that no channel reads the store around a turn.

        Everything logged meanwhile carries the conversation id; a shopper over the rate limit gets
        a polite "slow down" instead (the message is not processed)."""
        if len(message.text) > self._max_chars:
            message = replace(message, text=message.text[: self._max_chars])
        conversation_id, channel = message.identity.conversation_id, message.identity.channel
        with conversation_scope(conversation_id):
            if self._limiter is not None and not self._limiter.allow(conversation_id, channel):
                log.warning("rate limit: message refused")
                metrics.TURNS.labels(channel, "rate_limited").inc()
                return self._notice("rate_limited", message)
            with metrics.TURN_SECONDS.labels(channel).time():
                try:
                    async with self._locks.hold(conversation_id):  # across workers, the wait can fail too
                        result = await self._turn(message)
                except Exception:
                    log.exception("turn failed for %s", message.identity.handle)
                    metrics.TURNS.labels(channel, "error").inc()
                    return self._notice("error", message)
            metrics.TURNS.labels(channel, "ok" if result.replies else "silent").inc()
            return result

    def language_of(self, identity: Identity, hint: Language | None = None) -> Language:
        """The language to talk to this shopper in: the conversation's, else the customer's own choice,
        else ``hint`` (the channel's guess, e.g. the app's language), else the shop's default."""
        state = self.store.conversations.state(identity.conversation_id)
        customer = self.store.customers.for_identity(identity.channel, identity.user_id)
        return pick_language(state.get("language"), customer and customer.get("language"), hint,
                             default=self._default_language)

    def _notice(self, key: str, message: InboundMessage) -> TurnResult:
        """A fixed message (``error``, ``rate_limited``) in the conversation's language."""
        language = self.language_of(message.identity, message.language_hint)
        return TurnResult([Reply(t(key, language), language=language)], language)

    async def _turn(self, message: InboundMessage) -> TurnResult:
        store, parts = self.store, self.components
        identity = message.identity
        customer = store.customers.for_identity(identity.channel, identity.user_id)
        conversation = store.conversations.ensure(identity, customer["id"] if customer else None)
        record = store.conversations.record_inbound(message)
        if record.already_processed:
            assert message.message_id is not None  # only a channel message id can be delivered twice
            earlier = store.conversations.replies_to(conversation["id"], message.message_id)
            return TurnResult([], self.language_of(identity, message.language_hint), duplicate=True,
                              earlier_replies=tuple(Reply.from_dict(reply) for reply in earlier))
        if parts.staff is not None and parts.staff.take_inbound(message, conversation["id"], record.message_id):
            # a colleague owns the conversation: relayed to them, never two voices
            return TurnResult([], self.language_of(identity, message.language_hint))
        saved = store.conversations.state(conversation["id"])
        state = DialogueState.from_dict(saved) if saved else \
            DialogueState(language=self.language_of(identity, message.language_hint))
        if customer is None and state.customer_id:  # verified in this chat (core/dialogue/identity.py)
            customer = store.customers.get(state.customer_id)
        nlu = await parts.nlu.parse(message.content, state.language)
        metrics.INTENTS.labels(nlu.intent).inc()
        if message.payload is None:
            state.language = nlu.language
        sentiment = await parts.sentiment.analyze(message.text, state.language)
        state.sentiment = (state.sentiment + [sentiment.score])[-10:]
        requests = [nlu] if message.payload is not None else \
            await split_requests(message.content, nlu, parts.nlu.parse, state.language)
        replies: list[Reply] = []
        templates: list[str] = []
        ran: list[str] = []
        flows: list[tuple[str, str]] = []
        after_commit: list[Callable[[], None]] = []
        tone = None
        understood = True
        retrieved = None  # the turn's first knowledge-base search, for the reports
        for request in requests:  # two requests in one message are handled in order
            request = resolve_references(request, state, store, in_task=state.active_task is not None)
            turn = Turn(message, conversation["id"], customer, request, sentiment, state)
            if tone is None and parts.strategy:
                tone = parts.strategy.decide(turn)
            turn.tone = tone or turn.tone
            for name in parts.policy.decide(turn):
                ran.append(name)
                result = shape_result(await parts.actions[name].run(turn), turn.tone)
                state.failures = 0 if result.understood else state.failures + 1
                understood = understood and result.understood
                retrieved = retrieved or result.retrieved
                templates.append(result.template)
                metrics.record_action(name, result.understood)
                render = parts.generator.render_streamed if message.streams else parts.generator.render
                reply = replace(await render(result, state.language), private=result.private)
                toned = not replies and not result.verbatim  # links and legal questions go out exactly as written
                replies.append(apply_tone(reply, turn.tone, state.language) if toned else reply)
            customer = turn.customer  # the shopper may have verified who they are this turn
            after_commit += turn.after_commit
            flows += turn.flows
        if parts.csat is not None and (ask := parts.csat.after_turn(conversation, state, ran, flows)):
            replies.append(ask)
            after_commit.append(partial(parts.csat.record_ask, conversation,
                                        (customer or {}).get("id") or state.customer_id, state.language, "bot"))
        state.turn += 1
        store.conversations.complete_turn(conversation["id"], record.message_id, nlu.intent,
                                          state.language, state.to_dict(), replies, mood=state.mood,
                                          understood=understood, flows=flows,
                                          kb_score=retrieved and retrieved.score,
                                          kb_article=retrieved and retrieved.article)
        for index, reply in enumerate(replies):  # a streamed reply's final text replaces its template's
            if reply.stream is not None:
                reply.stream.on_final(partial(store.conversations.revise_reply, conversation["id"],
                                              record.message_id, index, reply))
        for work in after_commit:  # e.g. an erasure, which removes this very conversation
            work()
        erased = bool(after_commit) and store.conversations.get(conversation["id"]) is None
        if parts.staff is not None:
            parts.staff.observe(conversation["id"], message, replies)
        return TurnResult(replies, state.language, erased=erased, templates=tuple(templates))
