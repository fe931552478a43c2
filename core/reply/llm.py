"""Replies phrased by a language model, grounded in the action's facts, with the template as fallback."""
from __future__ import annotations

import asyncio
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
from core.reply.sentences import KEY_TOKENS, QUESTION, cut_sentences, remainder
from core.reply.streamed import Released, release_checked
from core.reply.templates import TemplateReplyGenerator, localise
from core.stream import SentenceStream
from core.turn import ActionResult

log = logging.getLogger(__name__)
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
    shown: str = ""  # streamed: the model's sentences the shopper saw (the template's remainder may follow)
    stream: CheckedStream | None = None  # a reply still being streamed: its final outcome comes from there

    @property
    def used_model(self) -> bool:
        """True when the shopper got the model's text (all of it: streamed without a remainder too)."""
        return self.candidate is not None and not self.violations and self.error is None

    @property
    def source(self) -> str:
        """Who wrote the text the shopper got: ``streamed`` (the model's sentences as they passed),
        ``model`` (the model's text whole) or ``template``."""
        return "streamed" if self.shown else "model" if self.used_model else "template"


class CheckedStream(SentenceStream):
    """A streamed model reply; :meth:`outcome` once it is finished."""

    def __init__(self) -> None:
        super().__init__()
        self.final: Outcome | None = None

    async def outcome(self) -> Outcome:
        """How the reply was made, once finished."""
        await self.text()
        assert self.final is not None
        return self.final


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
        self._streaming: set[asyncio.Task[None]] = set()

    async def render(self, result: ActionResult, language: Language) -> Reply:
        """The model's reply when it is grounded, else the template reply."""
        return (await self.render_with_outcome(result, language)).reply

    async def render_with_outcome(self, result: ActionResult, language: Language) -> Outcome:
        """Like :meth:`render`, also telling how the reply was made (for evaluation and logs)."""
        started = time.monotonic()
        return self._measured(await self._outcome(result, language), started)

    def _measured(self, outcome: Outcome, started: float, first_at: float | None = None) -> Outcome:
        """``outcome`` counted in the metrics: its seconds (since ``started``, to the first text at
        ``first_at`` when it was streamed) and its fallback reason."""
        now = time.monotonic()
        metrics.REPLY_SECONDS.labels(outcome.source).observe(now - started)
        metrics.FIRST_TEXT_SECONDS.labels(outcome.source).observe((first_at or now) - started)
        if outcome.reason:
            metrics.LLM_FALLBACKS.labels(outcome.reason).inc()
        return outcome

    async def render_streamed(self, result: ActionResult, language: Language) -> Reply:
        """A reply the shopper watches being written (see :meth:`render_streamed_with_outcome`)."""
        return (await self.render_streamed_with_outcome(result, language)).reply

    async def render_streamed_with_outcome(self, result: ActionResult, language: Language) -> Outcome:
        """For a channel that shows replies as they are written. When the engine is forecast to show the
        first sentence within ``first_text_s`` and to finish within ``budget_s``, the reply carries a
        :class:`CheckedStream`: its sentences are released as they pass the checks, and the reply is
        finished with the template's remainder after the first that fails (``Outcome.stream`` gives the
        final outcome). Otherwise the template, at once."""
        started = time.monotonic()
        draft = await self._templates.render(result, language)
        if not self.policy.allows(result):
            return self._measured(Outcome(draft, draft.text, None), started)
        messages = self._messages(draft.text, language)
        output_tokens = self._output_tokens(draft.text)
        first_sentence = "".join(cut_sentences(draft.text, final=True)[0][:1])
        first_tokens = min(output_tokens, REPHRASE_LENGTH * text_tokens(first_sentence))
        first_s, whole_s = self._limits.reply_s, self._limits.budget_s
        first, whole = self.backend.forecast(messages, first_tokens), self.backend.forecast(messages, output_tokens)
        if (first is not None and first * FORECAST_MARGIN > first_s) or \
                (whole is not None and whole * FORECAST_MARGIN > whole_s):
            log.debug("template reply sent: %s would show its first sentence in ~%.1f s and finish in ~%.1f s",
                      self.backend.name, first or 0.0, whole or 0.0)
            return self._measured(Outcome(draft, draft.text, None, error="too slow", asked=True, reason="too_slow"),
                                  started)
        stream = CheckedStream()
        task = asyncio.create_task(self._stream(stream, result, draft, language, messages, started))
        self._streaming.add(task)
        task.add_done_callback(self._streaming.discard)
        return Outcome(replace(draft, stream=stream), draft.text, None, asked=True, stream=stream)

    async def _stream(self, stream: CheckedStream, result: ActionResult, draft: Reply, language: Language,
                      messages: list[ChatMessage], started: float) -> None:
        """Generate, release what passes, finish with the template's remainder; the stream is always
        finished, whatever happens (a shopper is never left with half a reply)."""
        name, limits = self.backend.name, self._limits
        released: Released | None = None
        try:
            pieces = self.backend.stream(messages, limits.max_tokens, limits.budget_s, self._output_tokens(draft.text))
            released = await release_checked(
                stream, pieces, lambda shown: self.sentence_violations(shown, result, draft.text, language),
                started + limits.reply_s, started + limits.budget_s)
        except Exception as exc:  # noqa: BLE001 - any failure of the model ends in the template's remainder
            log.exception("streaming %s failed", name)
            released = Released(stream.released, error=str(exc), reason="error")
        finally:
            released = released or Released(stream.released, error="stopped", reason="error")  # cancelled
            stream.final = self._finish(stream, released, result, draft, language)
            stream.finish()
            self._measured(stream.final, started, released.first_at)
            metrics.LLM_REPLIES.labels(name, "error" if released.error and not released.shown else
                                       "ungrounded" if stream.final.violations else "model").inc()

    def _finish(self, stream: CheckedStream, released: Released, result: ActionResult, draft: Reply,
                language: Language) -> Outcome:
        """The end of a streamed reply: the whole-reply checks on what was shown, and the template's
        remainder released when a sentence failed, the generation broke off or those checks fail."""
        violations, reason, error = released.violations, released.reason, released.error
        if not violations and error is None:
            violations = tuple(self.violations(released.shown, result, draft.text, language))
            reason = violations[0].kind if violations else None
        if violations:
            log.warning("streamed reply finished with the template's remainder: %s",
                        ", ".join(f"{v.kind} {v.value!r}" for v in violations[:5]))
        elif error:
            log.info("streamed reply finished with the template's remainder: %s backend: %s", self.backend.name, error)
        if violations or error:
            stream.release(remainder(draft.text, released.shown, language))
        return Outcome(replace(draft, text=stream.released), draft.text, released.shown or None, violations, error,
                       asked=True, reason=reason, shown=released.shown)

    def _output_tokens(self, draft: str) -> float:
        """About how many tokens the model's rephrasing of ``draft`` will be."""
        return min(float(self._limits.max_tokens), REPHRASE_LENGTH * text_tokens(draft))

    async def _outcome(self, result: ActionResult, language: Language) -> Outcome:
        draft = await self._templates.render(result, language)
        if not self.policy.allows(result):
            return Outcome(draft, draft.text, None)
        messages = self._messages(draft.text, language)
        name, budget = self.backend.name, self._limits.reply_s
        output_tokens = self._output_tokens(draft.text)
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
        found = self._grounding(candidate, result, draft, language)
        found += [Violation("omitted", token) for token in KEY_TOKENS.findall(draft) if token not in candidate]
        found += _echo(candidate, draft)
        return found + _dropped_question(candidate, draft) + _shortened(candidate, draft)

    def sentence_violations(self, shown: str, result: ActionResult, draft: str, language: Language) -> list[Violation]:
        """What is wrong with the text a streamed reply would show (the sentences so far): the checks of
        a whole reply except those only its end can pass (the draft's ids and question kept, length)."""
        return self._grounding(shown, result, draft, language) + _echo(shown, draft)

    def _grounding(self, candidate: str, result: ActionResult, draft: str, language: Language) -> list[Violation]:
        allowed = "\n".join([draft, *_fact_texts(result, language)])
        return self.checker.check(candidate, allowed, language, secret=STYLE_GUIDE[language])

    def _messages(self, draft: str, language: Language) -> list[ChatMessage]:
        if self.backend.remote and not self._limits.send_personal_data:
            draft = redact(draft)
        return build_messages(draft, language)

    async def close(self) -> None:
        """Release the backend; replies still streaming finish with the template's remainder."""
        for task in list(self._streaming):
            task.cancel()
        await asyncio.gather(*self._streaming, return_exceptions=True)
        await self.backend.close()


def _echo(candidate: str, draft: str) -> list[Violation]:
    """The prompt's labels repeated: the model echoes its prompt instead of answering."""
    return [Violation("echo", label) for label in PROMPT_LABELS if label in candidate and label not in draft]


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
    ends_asking = bool(QUESTION.fullmatch(draft.rstrip()[-1:]))
    if not QUESTION.search(candidate) or (ends_asking and not QUESTION.fullmatch(candidate.rstrip()[-1:])):
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
