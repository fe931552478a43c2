"""Replies phrased by a language model, grounded in the action's facts, with the template as fallback."""
from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, replace

from core.actions.base import ActionResult
from core.llm.base import BackendError, ChatBackend, ChatMessage
from core.messages import Language, Reply
from core.observe import metrics
from core.reply.base import ReplyGenerator
from core.reply.grounding import GroundingChecker, Violation
from core.reply.prompt import PROMPT_LABELS, STYLE_GUIDE, build_messages
from core.reply.redact import redact
from core.reply.templates import TemplateReplyGenerator, localise

log = logging.getLogger(__name__)
# Ids, codes, prices, dates and counts of the draft: the model's reply must keep every one.
_KEY_TOKENS = re.compile(r"#?[A-Za-z]*\d(?:[A-Za-z0-9.,:-]*[A-Za-z0-9])?")


@dataclass(frozen=True)
class Outcome:
    """How one reply was made: the template ``draft``, the model's ``candidate`` (if any), why it was
    refused (``violations`` or ``error``), and the ``reply`` actually sent."""

    reply: Reply
    draft: str
    candidate: str | None
    violations: tuple[Violation, ...] = ()
    error: str | None = None

    @property
    def used_model(self) -> bool:
        """True when the shopper got the model's text."""
        return self.candidate is not None and not self.violations and self.error is None


@dataclass(frozen=True)
class GenerationLimits:
    """Per-reply limits: time budget, generated tokens, and whether remote prompts may hold personal data."""

    budget_s: float = 5.0
    max_tokens: int = 160
    send_personal_data: bool = False


class LLMReplyGenerator(ReplyGenerator):
    """Asks the backend to rephrase the template reply; sends the template whenever the model's text
    is late, fails, or states anything the facts do not (see :class:`GroundingChecker`)."""

    def __init__(self, backend: ChatBackend, checker: GroundingChecker, limits: GenerationLimits | None = None,
                 templates: TemplateReplyGenerator | None = None) -> None:
        self.backend = backend
        self.checker = checker
        self._limits = limits or GenerationLimits()
        self._templates = templates or TemplateReplyGenerator()

    async def render(self, result: ActionResult, language: Language) -> Reply:
        """The model's reply when it is grounded, else the template reply."""
        return (await self.render_with_outcome(result, language)).reply

    async def render_with_outcome(self, result: ActionResult, language: Language) -> Outcome:
        """Like :meth:`render`, also telling how the reply was made (for evaluation and logs)."""
        draft = await self._templates.render(result, language)
        if result.verbatim:
            return Outcome(draft, draft.text, None)
        messages = self._messages(draft.text, language)
        name, started = self.backend.name, time.perf_counter()
        try:
            completion = await self.backend.complete(messages, self._limits.max_tokens, self._limits.budget_s)
        except BackendError as exc:
            metrics.LLM_SECONDS.labels(name).observe(time.perf_counter() - started)
            metrics.LLM_REPLIES.labels(name, "error").inc()
            log.info("template reply sent: %s backend: %s", name, exc)
            return Outcome(draft, draft.text, None, error=str(exc))
        metrics.LLM_SECONDS.labels(name).observe(time.perf_counter() - started)
        metrics.LLM_TOKENS.labels(name).inc(completion.tokens)
        candidate = completion.text
        violations = tuple(self.violations(candidate, result, draft.text, language))
        metrics.LLM_REPLIES.labels(name, "ungrounded" if violations else "model").inc()
        if violations:
            log.warning("template reply sent: the model's reply was not grounded: %s",
                        ", ".join(f"{v.kind} {v.value!r}" for v in violations[:5]))
            return Outcome(draft, draft.text, candidate, violations)
        return Outcome(replace(draft, text=candidate), draft.text, candidate)

    def violations(self, candidate: str, result: ActionResult, draft: str, language: Language) -> list[Violation]:
        """Everything wrong with a candidate reply: ungrounded, incomplete, echoing the prompt."""
        allowed = "\n".join([draft, *_fact_texts(result, language)])
        found = self.checker.check(candidate, allowed, language, secret=STYLE_GUIDE[language])
        found += [Violation("omitted", token) for token in _KEY_TOKENS.findall(draft) if token not in candidate]
        found += [Violation("echo", label) for label in PROMPT_LABELS if label in candidate and label not in draft]
        return found

    def _messages(self, draft: str, language: Language) -> list[ChatMessage]:
        if self.backend.remote and not self._limits.send_personal_data:
            draft = redact(draft)
        return build_messages(draft, language)

    async def close(self) -> None:
        """Release the backend."""
        await self.backend.close()


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
