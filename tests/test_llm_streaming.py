"""The local engines stream: on a tiny random Qwen2 (tests/fakes/tiny_llm) each engine passes its text on
as it decodes, the pieces make the text it would have returned whole, and a reader that stops early
stops the decoding. One slow test streams a grounded reply from the embedded model on the default engine
(``KEFU_TEST_LLM_CACHE_DIR``: a cache with its conversion, else it is converted first)."""
from __future__ import annotations

import os
import time

import pytest

# Opens no store: the same on every engine (skipped under --db-engine postgresql, tests/conftest.py).
pytestmark = pytest.mark.no_store

pytest.importorskip("torch")
pytest.importorskip("transformers")

from core.llm import embedded  # noqa: E402
from core.llm.local import LocalBackend  # noqa: E402
from core.llm.transformers_model import TransformersModel  # noqa: E402
from tests.fakes.tiny_llm import MESSAGES  # noqa: E402


def _engines():
    engines = [("transformers", TransformersModel)]
    try:
        from core.llm.ctranslate2_model import CTranslate2Model
        engines.append(("ctranslate2", CTranslate2Model))
    except ImportError:  # the engine is optional
        pass
    return engines


@pytest.mark.parametrize("name,engine", _engines(), ids=[name for name, _ in _engines()])
async def test_the_streamed_pieces_are_the_whole_completion(tiny_model_dir, tmp_path, name, engine):
    backend = LocalBackend(engine(str(tiny_model_dir), tmp_path, "int8"), name)
    try:
        backend.wait_loaded(120)
        whole = await backend.complete(MESSAGES, 24, timeout_s=60)
        pieces = [piece async for piece in backend.stream(MESSAGES, 24, timeout_s=60)]
        assert whole.text and len(pieces) > 1
        assert "".join(pieces).strip() == whole.text  # greedy decoding: the same text, piece by piece
    finally:
        await backend.close()


@pytest.mark.parametrize("name,engine", _engines(), ids=[name for name, _ in _engines()])
async def test_a_reader_that_stops_early_stops_the_decoding(tiny_model_dir, tmp_path, name, engine):
    seen: list[int] = []
    model = engine(str(tiny_model_dir), tmp_path, "int8")
    generate = model.generate

    def counting(messages, max_tokens, deadline=None, on_text=None):
        def slowly(text):  # a piece takes 10 ms, as on a loaded machine: the tiny model would otherwise
            time.sleep(0.01)  # decode all 64 tokens before the reader's stop reaches its thread
            return on_text(text)

        completion = generate(messages, max_tokens, deadline, on_text=slowly if on_text else None)
        seen.append(completion.tokens)
        return completion

    model.generate = counting
    backend = LocalBackend(model, name)
    try:
        backend.wait_loaded(120)
        pieces = backend.stream(MESSAGES, 64, timeout_s=60)
        async for _ in pieces:
            break
        await pieces.aclose()
        await backend.complete(MESSAGES, 1, timeout_s=60)  # queued behind the stopped one: it has finished
        assert seen[-2] < 64  # the streamed generation stopped soon after its reader did
    finally:
        await backend.close()


@pytest.mark.slow
@pytest.mark.skipif(not embedded.available(), reason="the embedded model packages are not installed")
async def test_the_embedded_model_streams_a_grounded_reply(tmp_path_factory):
    """The default engine on the embedded model: a knowledge-base answer streamed sentence by sentence;
    what the shopper sees only grows, and its final text carries every fact of the template."""
    from bot.llm import backend_name, build_local_model
    from bot.settings import load_settings
    from core.reply.grounding import GroundingChecker
    from core.reply.llm import GenerationLimits, LLMReplyGenerator
    from core.reply.policy import PhrasePolicy
    from core.reply.sentences import KEY_TOKENS
    from core.turn import ActionResult

    settings = load_settings(env_file=None, kefu_load_demo_shop=False, kefu_db_path=":memory:",
                             kefu_llm_backend="auto")
    name = backend_name(settings)  # the default engine
    cache = os.environ.get("KEFU_TEST_LLM_CACHE_DIR") or tmp_path_factory.mktemp("models")  # a converted copy
    backend = LocalBackend(build_local_model(settings, name, cache), name)
    backend.wait_loaded(900)
    generator = LLMReplyGenerator(backend, GroundingChecker(), GenerationLimits(budget_s=120, first_text_s=60),
                                  policy=PhrasePolicy(None))
    result = ActionResult("faq_answer", {"title": "Returns", "body": "Unused items can be returned within 30 days "
                                         "of delivery. Refunds go back to the original payment method."})
    reply = await generator.render_streamed(result, "en")
    shown = [text async for text in reply.stream.progress()]
    final = await reply.stream.text()
    outcome = await reply.stream.outcome()
    await backend.close()
    assert shown and all(b.startswith(a) for a, b in zip(shown, shown[1:])) and shown[-1] == final
    assert all(token in final for token in KEY_TOKENS.findall(outcome.draft))
    assert outcome.source in ("streamed", "template")
