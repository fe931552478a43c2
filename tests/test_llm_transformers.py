"""The real transformers backend on a tiny, randomly initialised Qwen2 model built in the test:
conversion, the int8 cache, loading from it, generation on the worker thread, the time budget.
One slow test runs the embedded default model (Qwen2.5-Coder-0.5B-Instruct)."""
from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

# Opens no store: the same on every engine (skipped under --db-engine postgresql, tests/conftest.py).
pytestmark = pytest.mark.no_store

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

from core.llm import embedded, sources  # noqa: E402
from core.llm.base import BackendError  # noqa: E402
from core.llm.local import LocalBackend  # noqa: E402
from core.llm.sources import PRECISIONS  # noqa: E402
from core.llm.transformers_model import TransformersModel  # noqa: E402
from tests.fakes.tiny_llm import MESSAGES, write_tiny_gguf  # noqa: E402


@pytest.mark.parametrize("precision", ["int8", "bf16"])
def test_conversion_is_cached_and_the_cached_model_generates_the_same(tiny_model_dir, tmp_path, precision):
    first = TransformersModel(str(tiny_model_dir), tmp_path, precision)
    first.load()
    assert not first.loaded_from_cache
    reference = first.generate(MESSAGES, max_tokens=12)
    assert reference.tokens > 0 and reference.first_token_s is not None
    again = TransformersModel(str(tiny_model_dir), tmp_path, precision)
    again.load()
    assert again.loaded_from_cache
    assert again.generate(MESSAGES, max_tokens=12).text == reference.text
    if precision == "int8":
        layer = again.model.model.layers[0].self_attn.q_proj
        assert type(layer).__name__ == "Linear" and "quantized" in type(layer).__module__


def test_a_prompt_starting_like_an_earlier_one_reuses_its_cache_and_answers_the_same(tiny_model_dir, tmp_path,
                                                                                      monkeypatch):
    warm = TransformersModel(str(tiny_model_dir), tmp_path, "float32")
    warm.load()
    warm.generate(MESSAGES, max_tokens=6)
    reused: list[int | None] = []
    take = warm._prompts.take
    monkeypatch.setattr(warm._prompts, "take", lambda prompt: reused.append(
        None if (cache := take(prompt)) is None else cache.get_seq_length()) or cache)
    other = [MESSAGES[0], {"role": "user", "content": "Rewrite: your order has not shipped."}]
    answer = warm.generate(other, max_tokens=12)
    shared = len(warm.tokenizer.apply_chat_template([MESSAGES[0]])) + 3  # system turn, "<|im_start|>user\nRewrite:"
    assert reused[0] is not None and reused[0] >= shared
    fresh = TransformersModel(str(tiny_model_dir), tmp_path, "float32")
    fresh.load()
    assert fresh.generate(other, max_tokens=12).text == answer.text


def test_a_changed_model_or_precision_is_converted_again(tiny_model_dir, tmp_path):
    copy = Path(shutil.copytree(tiny_model_dir, tmp_path / "copy"))
    engines = [TransformersModel(str(copy), tmp_path, precision).engine for precision in PRECISIONS]
    keys = {sources.resolve(str(copy), tmp_path).cache_key(engine) for engine in engines}
    (copy / "config.json").write_text((copy / "config.json").read_text() + " ")
    changed = sources.resolve(str(copy), tmp_path).cache_key(engines[0])
    assert len(keys) == len(PRECISIONS) and changed not in keys


def test_a_gguf_file_is_dequantized_converted_and_answers_like_its_source(tiny_model_dir, tmp_path):
    """A ``.gguf`` source (the embedded model's format): same weights, same greedy reply, at every precision."""
    gguf_file = write_tiny_gguf(tiny_model_dir, tmp_path / "tiny.gguf")
    for precision in ("float32", "int8"):
        reference = TransformersModel(str(tiny_model_dir), tmp_path / "dir", precision)
        from_gguf = TransformersModel(str(gguf_file), tmp_path / "gguf", precision)
        reference.load()
        from_gguf.load()
        assert from_gguf.generate(MESSAGES, 10).text == reference.generate(MESSAGES, 10).text


def test_generation_stops_at_the_deadline(tiny_model_dir, tmp_path):
    model = TransformersModel(str(tiny_model_dir), tmp_path, "float32")
    model.load()
    with pytest.raises(BackendError, match="budget"):
        model.generate(MESSAGES, max_tokens=50, deadline=time.monotonic() - 1)


async def test_the_backend_loads_once_and_generates_off_the_event_loop(tiny_model_dir, tmp_path):
    backend = LocalBackend(TransformersModel(str(tiny_model_dir), tmp_path, "int8"), "transformers")
    backend.wait_loaded(60)
    completions = [await backend.complete(MESSAGES, 8, timeout_s=30) for _ in range(2)]
    assert completions[0].text == completions[1].text
    with pytest.raises(BackendError):
        await backend.complete(MESSAGES, 8, timeout_s=0.0)
    await backend.close()


async def test_while_the_model_loads_replies_fall_back_at_once(tmp_path):
    import threading

    class SlowToLoad:
        def __init__(self) -> None:
            self.release = threading.Event()

        def load(self) -> None:
            self.release.wait(30)

        def generate(self, messages, max_tokens, deadline=None):
            raise AssertionError("never called while loading")

    model = SlowToLoad()
    backend = LocalBackend(model, "slow")
    started = time.monotonic()
    with pytest.raises(BackendError, match="still loading"):
        await backend.complete(MESSAGES, 8, timeout_s=5)
    assert time.monotonic() - started < 1  # not the 5 s budget
    model.release.set()
    backend.wait_loaded(5)
    await backend.close()


async def test_a_model_that_fails_to_load_gives_template_replies(tmp_path):
    from core.reply.grounding import GroundingChecker
    from core.reply.llm import LLMReplyGenerator
    from core.turn import ActionResult

    backend = LocalBackend(TransformersModel(str(tmp_path / "no-such-model"), tmp_path, "int8"), "transformers")
    with pytest.raises(OSError):
        backend.wait_loaded(60)
    generator = LLMReplyGenerator(backend, GroundingChecker())
    outcome = await generator.render_with_outcome(ActionResult("thanks"), "en")
    assert "failed to load" in outcome.error and outcome.reply.text.startswith("You're welcome!")
    await backend.close()


@pytest.mark.slow
@pytest.mark.skipif(not embedded.available(), reason="the embedded model packages are not installed")
async def test_the_embedded_model_loads_verified_and_replies_grounded(tmp_path_factory):
    """The packaged Qwen2.5-Coder-0.5B-Instruct: joined, verified, converted, cached, reloaded, used."""
    from core.reply.grounding import GroundingChecker
    from core.reply.llm import GenerationLimits, LLMReplyGenerator
    from core.reply.policy import PhrasePolicy
    from core.turn import ActionResult

    cache = tmp_path_factory.mktemp("models")
    TransformersModel("embedded", cache, "int8").load()
    assert (cache / embedded.FILE_NAME).stat().st_size == embedded.SIZE
    model = TransformersModel("embedded", cache, "int8")
    model.load()
    assert model.loaded_from_cache
    backend = LocalBackend(model, "transformers")
    backend.wait_loaded(60)
    generator = LLMReplyGenerator(backend, GroundingChecker(), GenerationLimits(budget_s=120, max_tokens=80),
                                  policy=PhrasePolicy.parse("all"))  # order status is template-only by default
    facts = {"order_id": "#W1000001", "date": "2026-10-20", "total": "¥199.00", "status": "shipped",
             "shipping": "Carrier: SF Express, tracking number SF123456789, expected by 2026-10-25.", "as_of": ""}
    outcome = await generator.render_with_outcome(ActionResult("order_status", facts), "en")
    await backend.close()
    assert outcome.error is None and outcome.candidate  # the model answered in time
    assert outcome.reply.text == (outcome.candidate if outcome.used_model else outcome.draft)
