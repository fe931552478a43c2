"""Releasing a model's streamed text sentence by sentence, each only once it passes the checks.

The text is cut into sentences (:func:`core.reply.sentences.cut_sentences`); each completed sentence
is checked together with what was already shown (so a claim, number, language or length is judged as
the shopper will read it) and released only when that passes. The first sentence that fails stops
the generation: nothing after it is shown, and the caller finishes the reply with the template's
remainder. A shopper therefore never sees text that is later taken back."""
from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from contextlib import aclosing
from dataclasses import dataclass

from core.llm.base import BackendError
from core.reply.grounding import Violation
from core.reply.sentences import cut_sentences
from core.stream import SentenceStream


@dataclass(frozen=True)
class Released:
    """What a streamed generation showed: the model's ``shown`` text, the first failing sentence's
    ``violations`` (empty when none failed), or the ``error`` that ended it (with its ``reason``)."""

    shown: str
    violations: tuple[Violation, ...] = ()
    error: str | None = None
    reason: str | None = None
    first_at: float | None = None  # time.monotonic() when the first sentence was released


async def release_checked(stream: SentenceStream, pieces: AsyncIterator[str],
                          check: Callable[[str], list[Violation]], first_by: float, done_by: float) -> Released:
    """Release the sentences of ``pieces`` into ``stream`` while ``check(shown + sentence)`` finds
    nothing, until the generation ends, a sentence fails, no sentence is complete by ``first_by`` or the
    generation runs past ``done_by`` (``time.monotonic()``); the iterator is closed when this returns."""
    shown, pending, first_at = "", "", None
    async with aclosing(pieces):
        while True:
            wait = (done_by if first_at is not None else first_by) - time.monotonic()
            try:
                piece = await asyncio.wait_for(anext(pieces), max(0.0, wait))
            except StopAsyncIteration:
                sentences, pending = cut_sentences(pending, final=True)
                ended = True
            except (TimeoutError, BackendError) as exc:
                reason = exc.reason if isinstance(exc, BackendError) else "late"
                return Released(shown, error=str(exc) or "ran past its time", reason=reason, first_at=first_at)
            else:
                sentences, pending = cut_sentences(pending + piece)
                ended = False
            for sentence in sentences:
                sentence = sentence if shown else sentence.lstrip()
                if not sentence.strip():
                    stream.release(sentence)
                    shown += sentence
                    continue
                violations = check(shown + sentence)
                if violations:
                    return Released(shown, tuple(violations), reason=violations[0].kind, first_at=first_at)
                stream.release(sentence)
                shown += sentence
                first_at = first_at or time.monotonic()
            if ended:
                return Released(shown, first_at=first_at)
