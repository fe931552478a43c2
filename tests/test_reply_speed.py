"""Knowing the engine's speed (core/llm/speed.py, core/llm/local.py) and using it (core/reply/llm.py): a
generation that cannot finish within the budget is never started, nor queued behind another one, and
the template goes out at once. The models here are fakes with a scripted speed, no real model."""
from __future__ import annotations

import asyncio
import io
import time

import pytest

from bot.llm import ModelUnavailable, wait_for_model
from core.llm.base import ChatMessage, Completion
from core.llm.local import LocalBackend
from core.llm.speed import SpeedEstimator, prompt_tokens, text_tokens
from core.reply.grounding import GroundingChecker
from core.reply.llm import GenerationLimits, LLMReplyGenerator
from core.reply.prompt import build_messages
from core.reply.templates import TemplateReplyGenerator
from core.turn import ActionResult

# Opens no store: the same on every engine (skipped under --db-engine postgresql, tests/conftest.py).
pytestmark = pytest.mark.no_store

CALIBRATION = [build_messages("You're welcome! Anything else I can help with?", "en")]
THANKS = ActionResult("thanks", {"shop": {"zh": "店", "en": "Shop"}})


class ScriptedSpeedModel:
    """A local model that takes ``first_token_s`` and then ``1 / tokens_per_s`` a token (really sleeping,
    so the queue is real) and answers with the draft it was given: grounded by construction."""

    threads = 1

    def __init__(self, tokens_per_s: float, first_token_s: float = 0.01) -> None:
        self.tokens_per_s, self.first_token_s = tokens_per_s, first_token_s
        self.calls = 0

    def load(self) -> None:
        return None

    def generate(self, messages: list[ChatMessage], max_tokens: int, deadline: float | None = None) -> Completion:
        self.calls += 1
        draft = messages[-1]["content"].split("Reply: ", 1)[-1]
        tokens = min(max_tokens, max(2, round(text_tokens(draft))))
        seconds = self.first_token_s + (tokens - 1) / self.tokens_per_s
        time.sleep(seconds)
        return Completion(draft, tokens, seconds, self.first_token_s)


def _backend(model: ScriptedSpeedModel) -> LocalBackend:
    backend = LocalBackend(model, "scripted", CALIBRATION)
    backend.wait_loaded(10)
    return backend


def test_the_estimator_knows_nothing_until_it_has_seen_a_completion():
    speed = SpeedEstimator()
    assert speed.seconds(CALIBRATION[0], 30) is None and speed.age_s() == float("inf")


def test_the_estimator_measures_decoding_and_prompt_speed_and_predicts_from_them():
    speed = SpeedEstimator(weight=1.0)  # the last observation alone
    speed.observe(CALIBRATION[0], Completion("x", tokens=21, seconds=1.2, first_token_s=0.2))
    assert speed.tokens_per_s == pytest.approx(20.0)
    assert speed.prompt_s_per_token == pytest.approx(0.2 / prompt_tokens(CALIBRATION[0]))
    assert speed.seconds(CALIBRATION[0], 30) == pytest.approx(0.2 + 30 / 20)
    longer = build_messages("word " * 100, "en")
    assert speed.seconds(longer, 30) > speed.seconds(CALIBRATION[0], 30)  # a longer prompt takes longer to read


def test_the_estimate_moves_with_new_completions():
    speed = SpeedEstimator(weight=0.5)
    speed.observe(CALIBRATION[0], Completion("x", tokens=11, seconds=1.1, first_token_s=0.1))  # 10 tokens/s
    speed.observe(CALIBRATION[0], Completion("x", tokens=31, seconds=1.1, first_token_s=0.1))  # 30 tokens/s
    assert speed.tokens_per_s == pytest.approx(20.0) and speed.age_s() < 1
    speed.observe(CALIBRATION[0], Completion("", tokens=0, seconds=0.0))  # no timings: ignored
    assert speed.tokens_per_s == pytest.approx(20.0)


def test_the_backend_calibrates_at_start_up_and_learns_from_every_reply():
    model = ScriptedSpeedModel(tokens_per_s=400)
    backend = _backend(model)
    assert model.calls == 1 and backend.speed.tokens_per_s == pytest.approx(400, rel=0.01)
    model.tokens_per_s = 100
    asyncio.run(backend.complete(build_messages("Order #W1 has shipped today.", "en"), 160, 10))
    assert 100 < backend.speed.tokens_per_s < 400


async def test_a_reply_that_cannot_finish_in_time_is_not_started_and_the_template_goes_out_at_once():
    model = ScriptedSpeedModel(tokens_per_s=5)  # ~12 tokens: over two seconds
    generator = LLMReplyGenerator(_backend(model), GroundingChecker(), GenerationLimits(budget_s=5, first_text_s=1))
    started = time.perf_counter()
    outcome = await generator.render_with_outcome(THANKS, "en")
    assert time.perf_counter() - started < 0.2
    assert outcome.reason == "too_slow" and outcome.asked and not outcome.used_model
    assert outcome.reply == await TemplateReplyGenerator().render(THANKS, "en")
    assert model.calls == 1  # the calibration only


async def test_a_fast_engine_phrases_the_reply():
    generator = LLMReplyGenerator(_backend(ScriptedSpeedModel(tokens_per_s=500)), GroundingChecker(),
                                  GenerationLimits(budget_s=5, first_text_s=1))
    outcome = await generator.render_with_outcome(THANKS, "en")
    assert outcome.used_model and outcome.source == "model" and outcome.reason is None


async def test_a_reply_is_not_queued_behind_a_generation_that_would_make_it_late():
    model = ScriptedSpeedModel(tokens_per_s=100)  # a reply alone: ~0.15 s
    backend = _backend(model)
    generator = LLMReplyGenerator(backend, GroundingChecker(), GenerationLimits(budget_s=5, first_text_s=0.5))
    assert (await generator.render_with_outcome(THANKS, "en")).used_model
    long_one = asyncio.create_task(backend.complete(build_messages("word " * 120, "en"), 160, 10))  # ~1.6 s
    await asyncio.sleep(0.05)
    assert backend.forecast(build_messages("hi", "en"), 10) > 1.0
    started = time.perf_counter()
    outcome = await generator.render_with_outcome(THANKS, "en")
    assert outcome.reason == "too_slow" and time.perf_counter() - started < 0.2
    await long_one
    assert backend.forecast(build_messages("hi", "en"), 10) < 0.5  # nothing ahead any more


class SlowLoadingModel(ScriptedSpeedModel):
    """Takes a while to load (a first start converting), or fails to."""

    def __init__(self, load_s: float, error: Exception | None = None) -> None:
        super().__init__(tokens_per_s=500)
        self.load_s, self.error = load_s, error

    def load(self) -> None:
        time.sleep(self.load_s)
        if self.error:
            raise self.error


async def test_evaluations_wait_for_the_model_to_load_instead_of_measuring_templates():
    backend = LocalBackend(SlowLoadingModel(0.3), "scripted", CALIBRATION)
    generator = LLMReplyGenerator(backend, GroundingChecker())
    out = io.StringIO()
    await wait_for_model(generator, out)
    assert backend.loaded and backend.speed.tokens_per_s and "waiting for the language model" in out.getvalue()
    assert (await generator.render_with_outcome(THANKS, "en")).used_model


async def test_a_model_that_cannot_load_is_refused_with_its_reason():
    backend = LocalBackend(SlowLoadingModel(0.0, OSError("no space left on device")), "scripted", CALIBRATION)
    with pytest.raises(ModelUnavailable, match="no space left"):
        await wait_for_model(LLMReplyGenerator(backend, GroundingChecker()), io.StringIO())
