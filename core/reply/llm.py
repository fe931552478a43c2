"""Replies phrased by a language model, grounded in the action's facts, with the template as fallback."""
from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, replace

from core.llm.base import BackendError, ChatBackend, ChatMessage
from core.llm.speed import text_tokens
from core.messages import Language, Reply
from core.observe import metrics
from core.reply.base import ReplyGenerator
from core.reply.grounding import GroundingChecker, Violation
from core.reply.policy import PhrasePolicy
from core.reply.prompt import PROMPT_LABELS, STYLE_GUIDE, build_messages
from core.reply.redact import redact
from core.reply.templates import TemplateReplyGenerator, localise
from core.turn import ActionResult

log = logging.getLogger(__name__)
# Ids, codes, prices, dates and counts of the draft: the model's reply must keep every one.
_KEY_TOKENS = re.compile(r"#?[A-Za-z]*\d(?:[A-Za-z0-9.,:-]*[A-Za-z0-9])?")
_QUESTION = re.compile(r"[?？]")
# A forecast must fit the budget with this much to spare: the speed estimate is an average.
FORECAST_MARGIN = 1.2
# A rephrased draft is about as long as the draft, a little longer when the model adds warmth.
REPHRASE_LENGTH = 1.2
SHORTENED_MIN_DRAFT = 40  # characters: from this long, a reply under half the draft's length is refused


@dataclass(frozen=True)
class Outcome:
    """How one reply was made: the template ``draft``, the model's ``candidate`` (if any), why it was
    refused (``violations`` or ``error``), and the ``reply`` actually sent."""

    reply: Reply
    draft: str
    candidate: str | None
    violations: tuple[Violation, ...] = ()
    error: str | None = None
    asked: bool = False  # the policy let the model phrase this reply (it may still have gone out as the template)
    reason: str | None = None  # why the template went out although the model was meant to phrase it

    @property
    def used_model(self) -> bool:
        """True when the shopper got the model's text."""
        return self.candidate is not None and not self.violations and self.error is None

    @property
    def source(self) -> str:
        """Who wrote the text the shopper got: ``model`` or ``template``."""
        return "model" if self.used_model else "template"


@dataclass(frozen=True)
class GenerationLimits:
    """Per-reply limits: time budget, generated tokens, and whether remote prompts may hold personal data."""

    budget_s: float = 5.0
    max_tokens: int = 160
    send_personal_data: bool = False
    first_text_s: float | None = None  # until the shopper sees text (None: budget_s); KEFU_LLM_FIRST_TEXT_S

    @property
    def reply_s(self) -> float:
        """The budget of a reply sent whole, not streamed: its first text is all of it."""
        return min(self.budget_s, self.first_text_s or self.budget_s)


class LLMReplyGenerator(ReplyGenerator):
    """Asks the backend to rephrase the template reply of the kinds ``policy`` allows; sends the
    template whenever the model's text cannot be ready in time (the backend's forecast), is late,
    fails, or states anything the facts do not (see :class:`GroundingChecker`)."""

    def __init__(self, backend: ChatBackend, checker: GroundingChecker, limits: GenerationLimits | None = None,
                 templates: TemplateReplyGenerator | None = None, policy: PhrasePolicy | None = None) -> None:
        self.backend = backend
        self.checker = checker
        self.policy = policy or PhrasePolicy()
        self._limits = limits or GenerationLimits()
        self._templates = templates or TemplateReplyGenerator()

    async def render(self, result: ActionResult, language: Language) -> Reply:
        """The model's reply when it is grounded, else the template reply."""
        return (await self.render_with_outcome(result, language)).reply

    async def render_with_outcome(self, result: ActionResult, language: Language) -> Outcome:
        """Like :meth:`render`, also telling how the reply was made (for evaluation and logs)."""
        started = time.perf_counter()
        outcome = await self._outcome(result, language)
        seconds = time.perf_counter() - started
        metrics.REPLY_SECONDS.labels(outcome.source).observe(seconds)
        metrics.FIRST_TEXT_SECONDS.labels(outcome.source).observe(seconds)
        if outcome.reason:
            metrics.LLM_FALLBACKS.labels(outcome.reason).inc()
        return outcome

    async def _outcome(self, result: ActionResult, language: Language) -> Outcome:
        draft = await self._templates.render(result, language)
        if not self.policy.allows(result):
            return Outcome(draft, draft.text, None)
        messages = self._messages(draft.text, language)
        name, budget = self.backend.name, self._limits.reply_s
        output_tokens = min(float(self._limits.max_tokens), REPHRASE_LENGTH * text_tokens(draft.text))
        forecast = self.backend.forecast(messages, output_tokens)
        if forecast is not None and forecast * FORECAST_MARGIN > budget:
            log.debug("template reply sent: %s would need ~%.1f s, the budget is %.1f s", name, forecast, budget)
            return Outcome(draft, draft.text, None, error="too slow", asked=True, reason="too_slow")
        started = time.perf_counter()
        try:
            completion = await self.backend.complete(messages, self._limits.max_tokens, budget, output_tokens)
        except BackendError as exc:
            metrics.LLM_SECONDS.labels(name).observe(time.perf_counter() - started)
            metrics.LLM_REPLIES.labels(name, "error").inc()
            log.info("template reply sent: %s backend: %s", name, exc)
            return Outcome(draft, draft.text, None, error=str(exc), asked=True, reason=exc.reason)
        metrics.LLM_SECONDS.labels(name).observe(time.perf_counter() - started)
        metrics.LLM_TOKENS.labels(name).inc(completion.tokens)
        candidate = completion.text
        violations = tuple(self.violations(candidate, result, draft.text, language))
        metrics.LLM_REPLIES.labels(name, "ungrounded" if violations else "model").inc()
        if violations:
            log.warning("template reply sent: the model's reply was not grounded: %s",
                        ", ".join(f"{v.kind} {v.value!r}" for v in violations[:5]))
            return Outcome(draft, draft.text, candidate, violations, asked=True, reason=violations[0].kind)
        return Outcome(replace(draft, text=candidate), draft.text, candidate, asked=True)

    def violations(self, candidate: str, result: ActionResult, draft: str, language: Language) -> list[Violation]:
        """Everything wrong with a candidate reply: ungrounded, incomplete, echoing the prompt."""
        allowed = "\n".join([draft, *_fact_texts(result, language)])
        found = self.checker.check(candidate, allowed, language, secret=STYLE_GUIDE[language])
        found += [Violation("omitted", token) for token in _KEY_TOKENS.findall(draft) if token not in candidate]
        found += [Violation("echo", label) for label in PROMPT_LABELS if label in candidate and label not in draft]
        return found + _dropped_question(candidate, draft) + _shortened(candidate, draft)

    def _messages(self, draft: str, language: Language) -> list[ChatMessage]:
        if self.backend.remote and not self._limits.send_personal_data:
            draft = redact(draft)
        return build_messages(draft, language)

    async def close(self) -> None:
        """Release the backend."""
        await self.backend.close()


def _shortened(candidate: str, draft: str) -> list[Violation]:
    """A candidate less than half as long as a draft of a few sentences has dropped most of it (e.g.
    a knowledge-base answer cut down to its title, which no fact check notices)."""
    if len(draft) >= SHORTENED_MIN_DRAFT and len(candidate) < len(draft) / 2:
        return [Violation("shortened", f"{len(candidate)} of {len(draft)} characters")]
    return []


def _dropped_question(candidate: str, draft: str) -> list[Violation]:
    """The draft's question when the candidate no longer asks it: a draft that asks something must
    still ask, and one that ends in a question must still end in one (the shopper's turn to answer)."""
    questions = [q.strip() for q in re.findall(r"[^.。!！?？\n]*[?？]", draft)]
    if not questions:
        return []
    ends_asking = bool(_QUESTION.fullmatch(draft.rstrip()[-1:]))
    if not _QUESTION.search(candidate) or (ends_asking and not _QUESTION.fullmatch(candidate.rstrip()[-1:])):
        return [Violation("question", questions[-1])]
    return []


def _fact_texts(result: ActionResult, language: Language) -> list[str]:
    """The action's facts and product cards as text, in the shopper's language."""
    texts = [str(v) for v in _flatten(localise(result.facts, language))]
    for hit in result.products + [r.hit for r in result.recommendations]:
        texts += [str(hit.product.get(f"title_{language}", "")), str(hit.product.get("title_en", ""))]
    return texts


def _flatten(value: object) -> list[object]:
    if isinstance(value, dict):
        return [x for v in value.values() for x in _flatten(v)]
    if isinstance(value, list | tuple):
        return [x for v in value for x in _flatten(v)]
    return [value]
