"""Prometheus metrics of the running bot, served at ``GET /metrics`` (docs/OPERATIONS.md lists them).

Metrics live in prometheus-client's default registry, so every part of one process adds to the same
counters; tests read them back with :func:`sample`."""
from __future__ import annotations

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Gauge, Histogram, generate_latest

CONTENT_TYPE = CONTENT_TYPE_LATEST
"""The Content-Type of :func:`exposition`'s text."""

TURNS = Counter("kefu_turns_total", "Inbound messages handled, by channel and outcome: ok (answered), silent "
                "(a duplicate delivery, or relayed to a colleague), error, rate_limited", ["channel", "outcome"])
TURN_SECONDS = Histogram("kefu_turn_seconds", "Time to handle one inbound message, NLU to committed replies",
                         ["channel"], buckets=(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10))
INTENTS = Counter("kefu_intents_total", "Recognised intents of inbound messages", ["intent"])
ACTIONS = Counter("kefu_actions_total", "Actions the policy chose, fallback and handoff included", ["action"])
FALLBACKS = Counter("kefu_fallbacks_total", "Replies that did not understand the shopper (the fallback answer)")
HANDOFFS = Counter("kefu_handoffs_total", "Handoff actions: the conversation was handed to a colleague")
LLM_SECONDS = Histogram("kefu_llm_seconds", "Time the language model took for one reply (errors included)",
                        ["backend"], buckets=(.05, .1, .25, .5, 1, 2, 3, 5, 8, 13, 20))
LLM_TOKENS = Counter("kefu_llm_tokens_total", "Tokens the language model generated", ["backend"])
LLM_REPLIES = Counter("kefu_llm_replies_total", "Replies offered to the language model, by who phrased the one "
                      "sent: model, error (template sent) or ungrounded (template sent)", ["backend", "outcome"])
LLM_TOKENS_PER_S = Gauge("kefu_llm_tokens_per_second", "The local model's decoding speed: measured at start-up, "
                         "then a moving average over its replies", ["backend"])
REPLY_SECONDS = Histogram("kefu_reply_seconds", "Time to make one reply, to its last sentence, by source: model, "
                          "template or streamed", ["source"], buckets=(.01, .05, .1, .25, .5, 1, 2, 3, 5, 8))
FIRST_TEXT_SECONDS = Histogram("kefu_reply_first_text_seconds", "Time until the first text of a reply could be "
                               "shown, by source: model, template or streamed", ["source"],
                               buckets=(.01, .05, .1, .25, .5, 1, 2, 3, 5, 8))
LLM_FALLBACKS = Counter("kefu_llm_fallbacks_total", "Replies the model was meant to phrase that went out as the "
                        "template, by reason (too_slow, loading, late, error, or the grounding violation's kind)",
                        ["reason"])
LLM_SUMMARIES = Counter("kefu_llm_summaries_total", "Handoff summaries asked of the language model, by what staff "
                        "were shown: model, error (extractive shown) or ungrounded (extractive shown)",
                        ["backend", "outcome"])
KB_QUESTIONS = Counter("kefu_kb_questions_total", "Knowledge-base questions whose vector the encoder computed "
                       "(encoded) or an earlier identical question supplied (cached)", ["source"])
CAMPAIGN_DELIVERIES = Counter("kefu_campaign_deliveries_total", "Promotion deliveries pushed, by channel and "
                              "outcome (sent, retried, failed)", ["channel", "outcome"])


def record_action(action: str, understood: bool) -> None:
    """Count one action the policy ran; a reply that did not understand the shopper counts as a fallback
    (whichever action gave it: the fallback itself, or a knowledge search that found nothing)."""
    ACTIONS.labels(action).inc()
    if not understood:
        FALLBACKS.inc()
    if action == "handoff":
        HANDOFFS.inc()


def exposition() -> bytes:
    """Every metric in Prometheus' text format."""
    return generate_latest(REGISTRY)


def sample(name: str, **labels: str) -> float:
    """The current value of one sample (0.0 when not yet recorded), e.g. ``sample("kefu_turns_total", …)``."""
    value = REGISTRY.get_sample_value(name, labels)
    return value or 0.0
