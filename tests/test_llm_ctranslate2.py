"""The real CTranslate2 engine on a tiny, randomly initialised Qwen2 model built in the test:
conversion with CTranslate2's converter, the cache, the static system prompt, the time budget,
the backend's worker thread. One slow test runs the embedded default model."""
from __future__ import annotations

import time

import pytest

# Opens no store: the same on every engine (skipped under --db-engine postgresql, tests/conftest.py).
pytestmark = pytest.mark.no_store

ctranslate2 = pytest.importorskip("ctranslate2")

from core.llm import embedded  # noqa: E402
from core.llm.base import BackendError  # noqa: E402
from core.llm.ctranslate2_model import CTranslate2Model  # noqa: E402
from core.llm.local import LocalBackend  # noqa: E402
from core.llm.transformers_model import TransformersModel  # noqa: E402
from tests.fakes.tiny_llm import MESSAGES  # noqa: E402


def test_conversion_is_cached_and_the_cached_model_generates_the_same(tiny_model_dir, tmp_path):
    first = CTranslate2Model(str(tiny_model_dir), tmp_path, "float32")
    first.load()
    assert not first.loaded_from_cache
    reference = first.generate(MESSAGES, max_tokens=12)
    assert reference.tokens > 0 and reference.text and reference.first_token_s is not None
    again = CTranslate2Model(str(tiny_model_dir), tmp_path, "float32")
    again.load()
    assert again.loaded_from_cache
    assert again.generate(MESSAGES, max_tokens=12).text == reference.text


def test_it_decodes_what_the_transformers_engine_decodes(tiny_model_dir, tmp_path):
    """Same weights, greedy decoding, float32: the two engines agree token for token."""
    ours = CTranslate2Model(str(tiny_model_dir), tmp_path, "float32")
    theirs = TransformersModel(str(tiny_model_dir), tmp_path, "float32")
    ours.load()
    theirs.load()
    mine, reference = ours.generate(MESSAGES, max_tokens=10), theirs.generate(MESSAGES, max_tokens=10)
    assert mine.tokens == reference.tokens == 10
    assert mine.text == reference.text


def test_the_system_prompt_is_a_cached_static_prompt_and_changes_nothing(tiny_model_dir, tmp_path):
    model = CTranslate2Model(str(tiny_model_dir), tmp_path, "int8")
    model.load()
    first = model.generate(MESSAGES, max_tokens=12)
    other = [MESSAGES[0], {"role": "user", "content": "Rewrite: your order has not shipped."}]
    model.generate(other, max_tokens=12)
    assert model.generate(MESSAGES, max_tokens=12).text == first.text
    no_system = [MESSAGES[1]]
    assert model.generate(no_system, max_tokens=12).tokens > 0


def test_generation_stops_at_the_deadline(tiny_model_dir, tmp_path):
    model = CTranslate2Model(str(tiny_model_dir), tmp_path, "int8")
    model.load()
    with pytest.raises(BackendError, match="budget"):
        model.generate(MESSAGES, max_tokens=50, deadline=time.monotonic() - 1)


def test_an_unknown_precision_is_refused(tmp_path):
    with pytest.raises(ValueError, match="precision"):
        CTranslate2Model("embedded", tmp_path, "int4")


async def test_the_backend_serves_it_off_the_event_loop(tiny_model_dir, tmp_path):
    backend = LocalBackend(CTranslate2Model(str(tiny_model_dir), tmp_path, "int8"), "ctranslate2")
    try:
        backend.wait_loaded(60)
        completion = await backend.complete(MESSAGES, 8, timeout_s=30)
        assert completion.tokens > 0
    finally:
        await backend.close()


@pytest.mark.slow
@pytest.mark.skipif(not embedded.available(), reason="the embedded model packages are not installed")
def test_the_embedded_model_converts_once_and_answers_in_both_languages(tmp_path_factory):
    cache = tmp_path_factory.mktemp("ct2-embedded")
    model = CTranslate2Model("embedded", cache, "int8")
    model.load()
    again = CTranslate2Model("embedded", cache, "int8")
    started = time.monotonic()
    again.load()
    assert again.loaded_from_cache and time.monotonic() - started < 30
    english = again.generate([{"role": "user", "content": "Reply with one short friendly sentence: thanks!"}], 24)
    chinese = again.generate([{"role": "user", "content": "用一句简短的中文回复：谢谢！"}], 24)
    assert english.tokens > 0 and any(ch.isascii() and ch.isalpha() for ch in english.text)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese.text)
