"""Runs an in-process model on one worker thread: loaded once, shared, requests queued in order."""
from __future__ import annotations

import asyncio
import os
import time
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Protocol

from core.llm.base import BackendError, ChatBackend, ChatMessage, Completion


def model_threads(requested: int) -> int:
    """CPU threads for a local model: ``requested``, or (0) one less than the cores this process may
    use, at least one. The rest of the bot needs a core too, and each step of the model waits for its
    slowest thread: with more threads than free cores every step stalls (on a busy 2-core machine,
    2 threads decoded ~1 token/s, 1 thread ~8)."""
    return requested or max(1, len(os.sched_getaffinity(0)) - 1)


class LocalModel(Protocol):
    """What :class:`LocalBackend` needs of a model (e.g. :class:`core.llm.transformers_model.TransformersModel`)."""

    threads: int  # CPU threads it computes with

    def load(self) -> None:
        """Load the weights (slow; idempotent)."""

    def generate(self, messages: list[ChatMessage], max_tokens: int, deadline: float | None = None) -> Completion:
        """One reply, stopping with :class:`BackendError` at ``deadline`` (``time.monotonic()``)."""


class LocalBackend(ChatBackend):
    """Loads the model in the background at once and serves one generation at a time from a queue.

    The event loop never waits on the model: work runs on a single worker thread, in arrival order.
    A request still queued when its budget runs out is dropped without touching the model, and a
    running one stops itself at its deadline, so late replies don't pile up."""

    def __init__(self, model: LocalModel, name: str) -> None:
        self.name = name
        self.model = model
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"kefu-{name}")
        self._loading: Future[None] = self._worker.submit(model.load)

    def wait_loaded(self, timeout_s: float | None = None) -> None:
        """Block until the model is loaded (for benchmarks and tests); re-raises a failed load."""
        self._loading.result(timeout_s)

    async def complete(self, messages: list[ChatMessage], max_tokens: int, timeout_s: float) -> Completion:
        """Queue one generation and wait for it, at most ``timeout_s`` seconds. While the model is
        still loading (the first start converts it for a minute) this fails at once, so the shopper
        gets the template reply without waiting out the budget."""
        if not self._loading.done():
            raise BackendError("the model is still loading")
        deadline = time.monotonic() + timeout_s
        job = asyncio.get_running_loop().run_in_executor(self._worker, self._run, messages, max_tokens, deadline)
        try:
            return await asyncio.wait_for(job, timeout_s + 0.5)
        except TimeoutError:
            raise BackendError(f"no reply within {timeout_s:.1f} s") from None

    def _run(self, messages: list[ChatMessage], max_tokens: int, deadline: float) -> Completion:
        if self._loading.exception() is not None:
            raise BackendError(f"the model failed to load: {self._loading.exception()}")
        if time.monotonic() >= deadline:
            raise BackendError("the reply's time budget ran out while it waited in the queue")
        return self.model.generate(messages, max_tokens, deadline)

    async def close(self) -> None:
        """Let the running generation finish, drop queued ones."""
        self._worker.shutdown(wait=False, cancel_futures=True)
