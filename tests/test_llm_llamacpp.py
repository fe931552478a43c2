"""The llama.cpp engine (the optional ``llamacpp`` extra) on a tiny random Qwen2 written as a GGUF in
the test: loading, greedy generation, the time budget, refusing non-GGUF sources. One slow test runs
the embedded default model. Skipped where llama-cpp-python is not installed (it builds from source)."""
from __future__ import annotations

import time

import pytest

pytest.importorskip("llama_cpp")

from core.llm import embedded  # noqa: E402
from core.llm.base import BackendError  # noqa: E402
from core.llm.llamacpp_model import LlamaCppModel  # noqa: E402
from core.llm.local import LocalBackend  # noqa: E402
from tests.fakes.tiny_llm import MESSAGES, write_tiny_gguf  # noqa: E402


@pytest.fixture(scope="module")
def tiny_gguf(tiny_model_dir, tmp_path_factory):
    return write_tiny_gguf(tiny_model_dir, tmp_path_factory.mktemp("tiny-gguf") / "tiny.gguf")


def test_it_loads_the_gguf_and_decodes_greedily(tiny_gguf, tmp_path):
    model = LlamaCppModel(str(tiny_gguf), tmp_path)
    model.load()
    first = model.generate(MESSAGES, max_tokens=8)
    assert 0 < first.tokens <= 8 and first.text and first.first_token_s is not None
    assert model.generate(MESSAGES, max_tokens=8).text == first.text  # greedy: the same every time


def test_generation_stops_at_the_deadline(tiny_gguf, tmp_path):
    model = LlamaCppModel(str(tiny_gguf), tmp_path)
    model.load()
    with pytest.raises(BackendError, match="budget"):
        model.generate(MESSAGES, max_tokens=50, deadline=time.monotonic() - 1)


def test_a_source_that_is_not_a_gguf_file_is_refused(tiny_model_dir, tmp_path):
    with pytest.raises(BackendError, match="gguf"):
        LlamaCppModel(str(tiny_model_dir), tmp_path).load()


async def test_the_backend_serves_it_off_the_event_loop(tiny_gguf, tmp_path):
    backend = LocalBackend(LlamaCppModel(str(tiny_gguf), tmp_path), "llama_cpp")
    try:
        backend.wait_loaded(60)
        assert (await backend.complete(MESSAGES, 6, timeout_s=30)).tokens > 0
    finally:
        await backend.close()


@pytest.mark.slow
@pytest.mark.skipif(not embedded.available(), reason="the embedded model packages are not installed")
def test_the_embedded_model_answers_in_both_languages(tmp_path_factory):
    model = LlamaCppModel("embedded", tmp_path_factory.mktemp("llamacpp-embedded"))
    model.load()
    english = model.generate([{"role": "user", "content": "Reply with one short friendly sentence: thanks!"}], 24)
    chinese = model.generate([{"role": "user", "content": "用一句简短的中文回复：谢谢！"}], 24)
    assert english.tokens > 0 and any(ch.isascii() and ch.isalpha() for ch in english.text)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in chinese.text)
