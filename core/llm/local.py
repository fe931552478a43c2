"""Runs an in-process model on one worker thread: loaded once, shared, requests queued in order."""
from __future__ import annotations

import asyncio
import itertools
import logging
import os
import threading
import time
from collections.abc import AsyncIterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Protocol

from core.llm.base import BackendError, ChatBackend, ChatMessage, Completion, TextSink
from core.llm.speed import SpeedEstimator
from core.observe import metrics

log = logging.getLogger(__name__)
CALIBRATION_TOKENS = 16  # tokens generated per calibration prompt
# An estimate older than this is measured again (one calibration prompt) when the engine is idle: replies
# forecast as too slow never run, so without this a host that got faster would never be noticed.
RECALIBRATE_S = 60.0


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

    def generate(self, messages: list[ChatMessage], max_tokens: int, deadline: float | None = None,
                 on_text: TextSink | None = None) -> Completion:
        """One reply, stopping with :class:`BackendError` at ``deadline`` (``time.monotonic()``); with
        ``on_text``, each new piece of text is passed to it as it is decoded (False: stop decoding)."""


class LocalBackend(ChatBackend):
    """Loads the model in the background at once and serves one generation at a time from a queue.

    The event loop never waits on the model: work runs on a single worker thread, in arrival order.
    A request still queued when its budget runs out is dropped without touching the model, and a
    running one stops itself at its deadline, so late replies don't pile up. After loading, a few
    short ``calibration`` prompts measure the engine (:class:`SpeedEstimator`); every reply then
    updates the estimate, and :meth:`forecast` adds the forecast of the work queued ahead.
    :meth:`stream` hands the text over as the worker decodes it."""

    def __init__(self, model: LocalModel, name: str, calibration: list[list[ChatMessage]] | None = None) -> None:
        self.name = name
        self.model = model
        self.speed = SpeedEstimator()
        self._calibration = calibration or []
        self._ahead: dict[int, tuple[float, float | None]] = {}  # job → (forecast s, started at or None)
        self._ahead_lock = threading.Lock()
        self._jobs = itertools.count()
        self._recalibrating: Future[None] | None = None
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"kefu-{name}")
        self._loading: Future[None] = self._worker.submit(self._load)

    def _load(self) -> None:
        self.model.load()
        self._calibrate(self._calibration)
        if self.speed.tokens_per_s is not None:
            log.info("%s decodes %.1f tokens/s (calibrated at start-up)", self.name, self.speed.tokens_per_s)

    def _calibrate(self, prompts: list[list[ChatMessage]]) -> None:
        for messages in prompts:
            try:
                self._learn(messages, self.model.generate(messages, CALIBRATION_TOKENS))
            except BackendError as exc:
                log.warning("calibrating %s failed: %s", self.name, exc)

    def _learn(self, messages: list[ChatMessage], completion: Completion) -> None:
        self.speed.observe(messages, completion)
        if self.speed.tokens_per_s is not None:
            metrics.LLM_TOKENS_PER_S.labels(self.name).set(self.speed.tokens_per_s)

    @property
    def loaded(self) -> bool:
        """True once loading (and calibrating) is over, failed or not."""
        return self._loading.done()

    def forecast(self, messages: list[ChatMessage], output_tokens: float) -> float | None:
        """The generations queued or running (what is left of them) plus this one, as forecast by
        :attr:`speed`; None while the speed is unknown."""
        own = self.speed.seconds(messages, output_tokens)
        if own is None:
            return None
        now = time.monotonic()
        with self._ahead_lock:
            ahead = sum(s if started is None else max(0.0, s - (now - started)) for s, started in self._ahead.values())
        if not ahead and self.speed.age_s() > RECALIBRATE_S and self._calibration and \
                (self._recalibrating is None or self._recalibrating.done()):
            ahead = self._recalibrate()
        return ahead + own

    def _recalibrate(self) -> float:
        """Measure the engine again on the worker, queued like a reply; returns its forecast seconds."""
        prompt, job_id = self._calibration[:1], next(self._jobs)
        seconds = self.speed.seconds(prompt[0], CALIBRATION_TOKENS) or 0.0
        with self._ahead_lock:
            self._ahead[job_id] = (seconds, time.monotonic())

        def calibrate() -> None:
            try:
                self._calibrate(prompt)
            finally:
                with self._ahead_lock:
                    self._ahead.pop(job_id, None)

        self._recalibrating = self._worker.submit(calibrate)
        return seconds

    def wait_loaded(self, timeout_s: float | None = None) -> None:
        """Block until the model is loaded (for benchmarks and tests); re-raises a failed load."""
        self._loading.result(timeout_s)

    async def complete(self, messages: list[ChatMessage], max_tokens: int, timeout_s: float,
                       output_tokens: float | None = None) -> Completion:
        """Queue one generation and wait for it, at most ``timeout_s`` seconds. While the model is
        still loading (the first start converts it for a minute) this fails at once, so the shopper
        gets the template reply without waiting out the budget."""
        deadline, job_id = self._admit(messages, max_tokens, timeout_s, output_tokens)
        job = asyncio.get_running_loop().run_in_executor(self._worker, self._run, job_id, messages, max_tokens,
                                                         deadline)
        try:
            return await asyncio.wait_for(job, timeout_s + 0.5)
        except TimeoutError:
            raise BackendError(f"no reply within {timeout_s:.1f} s", "late") from None
        finally:
            self._forget(job_id)

    async def stream(self, messages: list[ChatMessage], max_tokens: int, timeout_s: float,
                     output_tokens: float | None = None) -> AsyncIterator[str]:
        """Queue one generation and yield its text as the worker decodes it, within ``timeout_s``
        seconds; closing the iterator early makes the model stop at its next token."""
        deadline, job_id = self._admit(messages, max_tokens, timeout_s, output_tokens)
        loop = asyncio.get_running_loop()
        pieces: asyncio.Queue[str | None] = asyncio.Queue()
        wanted = threading.Event()
        wanted.set()

        def sink(piece: str) -> bool:  # on the worker thread
            if piece:
                loop.call_soon_threadsafe(pieces.put_nowait, piece)
            return wanted.is_set()

        job = loop.run_in_executor(self._worker, self._run, job_id, messages, max_tokens, deadline, sink)
        job.add_done_callback(lambda done: pieces.put_nowait(None))  # after every piece (callbacks run in order)
        try:
            while (piece := await asyncio.wait_for(pieces.get(), max(0.0, deadline - time.monotonic()) + 0.5)) \
                    is not None:
                yield piece
            await job  # its BackendError, if it failed
        except TimeoutError:
            raise BackendError(f"no reply within {timeout_s:.1f} s", "late") from None
        finally:
            wanted.clear()
            job.add_done_callback(lambda done: done.cancelled() or done.exception())  # a late failure: nobody waits
            self._forget(job_id)

    def _admit(self, messages: list[ChatMessage], max_tokens: int, timeout_s: float,
               output_tokens: float | None) -> tuple[float, int]:
        """The deadline and job id of a generation about to be queued (its forecast counted ahead of
        later ones); :class:`BackendError` at once while the model is loading."""
        if not self._loading.done():
            raise BackendError("the model is still loading", "loading")
        job_id = next(self._jobs)
        with self._ahead_lock:
            self._ahead[job_id] = (self.speed.seconds(messages, output_tokens or max_tokens) or 0.0, None)
        return time.monotonic() + timeout_s, job_id

    def _forget(self, job_id: int) -> None:
        with self._ahead_lock:
            self._ahead.pop(job_id, None)

    def _run(self, job_id: int, messages: list[ChatMessage], max_tokens: int, deadline: float,
             sink: TextSink | None = None) -> Completion:
        if self._loading.exception() is not None:
            raise BackendError(f"the model failed to load: {self._loading.exception()}")
        if time.monotonic() >= deadline:
            raise BackendError("the reply's time budget ran out while it waited in the queue", "late")
        with self._ahead_lock:
            if job_id in self._ahead:
                self._ahead[job_id] = (self._ahead[job_id][0], time.monotonic())
        try:
            completion = self.model.generate(messages, max_tokens, deadline) if sink is None else \
                self.model.generate(messages, max_tokens, deadline, on_text=sink)
        finally:
            self._forget(job_id)
        self._learn(messages, completion)
        return completion

    async def close(self) -> None:
        """Let the running generation finish, drop queued ones."""
        self._worker.shutdown(wait=False, cancel_futures=True)
