"""The reply the assistant would give to the shopper's last message, suggested to the colleague who
owns the conversation: the same path as a turn (NLU, policy, action, the reply generator with its
grounding check when a model phrases it), on a copy of the dialogue state, never sent and never saved.
Only read-only actions are run (tracking, product facts, the knowledge base, small talk; a flow the
policy would open for such a question is answered by that question's action): anything
that would change an order, a shopper's data or the conversation gives no suggestion. The shopper's
text is only ever the message being answered, as in a turn; it instructs nothing."""
from __future__ import annotations

from core.assistant import Assistant
from core.dialogue_state import DialogueState
from core.messages import Identity, InboundMessage
from core.turn import Turn

READ_ONLY = frozenset({"track_order", "product_search", "product_info", "recommend", "knowledge",
                       "greet", "goodbye", "thank_you", "clarify"})


async def suggest_reply(assistant: Assistant, conversation_id: str) -> str | None:
    """The assistant's answer to the conversation's last shopper message; None when there is none
    or answering would run an action that changes something."""
    store, parts = assistant.store, assistant.components
    conversation = store.conversations.get(conversation_id)
    last = next((m["text"] for m in reversed(store.conversations.transcript(conversation_id))
                 if m["direction"] == "in" and m["text"]), None) if conversation else None
    if conversation is None or last is None:
        return None
    identity = Identity(conversation["channel"], conversation["user_id"])
    saved = store.conversations.state(conversation_id)
    state = DialogueState.from_dict(saved) if saved else DialogueState(language=assistant.language_of(identity))
    customer = store.customers.get(conversation["customer_id"]) if conversation.get("customer_id") else None
    nlu = await parts.nlu.parse(last, state.language)
    sentiment = await parts.sentiment.analyze(last, state.language)
    turn = Turn(InboundMessage(identity, last), conversation_id, customer, nlu, sentiment, state)
    names = parts.policy.decide(turn)
    if names == ["task"] and nlu.intent in READ_ONLY and nlu.intent in parts.actions:
        names = [nlu.intent]  # a flow opened for a question (tracking): its read-only action answers it
    if not names or not READ_ONLY.issuperset(names):
        return None
    replies = [await parts.generator.render(await parts.actions[name].run(turn), state.language) for name in names]
    return "\n\n".join(reply.text for reply in replies if reply.text) or None
