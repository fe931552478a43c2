"""A causal language model run with CTranslate2, a C++ inference engine for transformer models.

The same sources as the transformers engine (:mod:`core.llm.sources`): the first load reads the
model with transformers at float32 (a GGUF is dequantized), converts it in memory with
CTranslate2's converter to the chosen precision and caches the result; later loads read that copy in about a
second. Decoding runs in C++ without a Python step per layer, which is what makes it 1.6–1.8×
as fast as the transformers engine on a small CPU (docs/LLM.md has the numbers)."""
from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import ctranslate2
from ctranslate2.converters import TransformersConverter

from core.llm import sources
from core.llm.base import BackendError, ChatMessage, Completion, TextSink
from core.llm.pieces import TextPieces
from core.llm.shop_tokens import ShopVocabulary, trim_model

log = logging.getLogger(__name__)

_FORMAT = 1  # bump when the cached layout changes
_QUANTIZATION = {"int8": "int8", "bf16": "bfloat16", "float32": "float32"}  # KEFU_LLM_PRECISION → CTranslate2


class CTranslate2Model(sources.ConvertedModel):
    """Loads once (:meth:`load`), then generates greedily (:meth:`generate`); not thread-safe by itself."""

    def __init__(self, source: str, cache_dir: Path, precision: str = "int8", threads: int = 0,
                 shop_vocabulary: bool = True) -> None:
        """See :class:`core.llm.sources.ConvertedModel` (``threads`` 0: cores − 1); ``shop_vocabulary``:
        convert with only the tokens a Chinese/English shop uses (:mod:`core.llm.shop_tokens`)."""
        super().__init__(source, cache_dir, precision, threads)
        self.shop_vocabulary = shop_vocabulary
        self.generator: Any = None
        self._end_tokens: list[str] = []
        self._known: ShopVocabulary | None = None

    @property
    def engine(self) -> str:
        """The engine part of the cache key: CTranslate2 version, layout, precision, vocabulary."""
        vocabulary = "shop" if self.shop_vocabulary else "full"
        return f"ctranslate2:{ctranslate2.__version__}:{_FORMAT}:{self.precision}:{vocabulary}"

    def load(self) -> None:
        """Load the cached conversion, or convert the source and cache it. Idempotent."""
        if self.generator is not None:
            return
        started = time.monotonic()
        source = sources.resolve(self.source, self.cache_dir)
        cached = self.cache_dir / "converted" / source.cache_key(self.engine)
        self.loaded_from_cache = (cached / "kefu.json").is_file()
        if not self.loaded_from_cache:
            self._convert(source, cached)
        facts = json.loads((cached / "kefu.json").read_text())
        self._end_tokens = facts["end_tokens"]
        if facts.get("trimmed"):
            self._known = ShopVocabulary(json.loads((cached / "vocabulary.json").read_text()))
        self.tokenizer = load_tokenizer(cached)
        self.generator = ctranslate2.Generator(str(cached), device="cpu", compute_type=_QUANTIZATION[self.precision],
                                               intra_threads=self.threads)
        log.info("language model %s (ctranslate2, %s) ready in %.1f s%s", self.source, self.precision,
                 time.monotonic() - started, " from the cache" if self.loaded_from_cache else "")

    def _convert(self, source: sources.ModelSource, target: Path) -> None:
        """Read ``source`` at float32 with transformers and convert it with CTranslate2 into ``target``."""
        model, tokenizer = sources.load_float_model(source)
        end_ids = model.generation_config.eos_token_id
        end_ids = end_ids if isinstance(end_ids, list) else [end_ids]
        end_tokens = sorted({token for token in tokenizer.convert_ids_to_tokens(
            [i for i in end_ids if i is not None]) if token} | {tokenizer.eos_token})
        trimmed = trim_model(model, tokenizer) if self.shop_vocabulary else None
        partial = target.with_name(target.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=self.cache_dir, prefix="config-") as scratch:
            model.config.save_pretrained(scratch)
            _InMemoryConverter(Path(scratch), model, tokenizer, trimmed).convert(
                str(partial), quantization=_QUANTIZATION[self.precision], force=True)
        tokenizer.save_pretrained(partial)
        (partial / "kefu.json").write_text(json.dumps({"source": self.source, "precision": self.precision,
                                                       "end_tokens": end_tokens, "trimmed": trimmed is not None}))
        shutil.rmtree(target, ignore_errors=True)
        os.replace(partial, target)

    def generate(self, messages: list[ChatMessage], max_tokens: int, deadline: float | None = None,
                 on_text: TextSink | None = None) -> Completion:
        """Greedy decoding of one reply; stops at ``deadline`` (time.monotonic()) and raises then; with
        ``on_text``, the text is passed on as it decodes (and decoding stops when it returns False).

        The system message is passed as CTranslate2's static prompt: its state is computed once
        per distinct system prompt (one per language) and reused by every later reply."""
        if self.generator is None:
            raise BackendError("the model is not loaded")
        started = time.monotonic()
        system = self._tokens(messages[:1], generation_prompt=False) if messages[0]["role"] == "system" else []
        prompt = self._tokens(messages, generation_prompt=True)
        if system and prompt[:len(system)] == system:
            prompt = prompt[len(system):]
        else:
            system = []
        tokens: list[str] = []
        first_at: float | None = None
        pieces = TextPieces(on_text) if on_text is not None else None
        steps = self.generator.generate_tokens(prompt, max_length=max_tokens, sampling_topk=1,
                                               end_token=self._end_tokens, static_prompt=system or None)
        try:
            for step in steps:
                if first_at is None:
                    first_at = time.monotonic()
                if step.token in self._end_tokens:
                    break
                tokens.append(step.token)
                if pieces is not None and not pieces.update(self._decode(tokens)):
                    break
                if deadline is not None and time.monotonic() > deadline:
                    raise BackendError("the reply ran past its time budget", "late")
        finally:
            steps.close()  # stops the decoding thread when we leave early
        if pieces is not None:
            pieces.update(self._decode(tokens), final=True)
        text = self._decode(tokens).strip()
        return Completion(text, len(tokens), time.monotonic() - started, first_at - started if first_at else None)

    def _decode(self, tokens: list[str]) -> str:
        return self.tokenizer.decode(self.tokenizer.convert_tokens_to_ids(tokens), skip_special_tokens=True)

    def _tokens(self, messages: list[ChatMessage], generation_prompt: bool) -> list[str]:
        """The chat template applied to ``messages``, as the converted model's token strings."""
        ids = self.tokenizer.apply_chat_template(messages, add_generation_prompt=generation_prompt, tokenize=True)
        ids = ids["input_ids"] if hasattr(ids, "keys") else ids
        tokens = self.tokenizer.convert_ids_to_tokens(ids)
        return self._known.spell(tokens) if self._known else tokens


def load_tokenizer(directory: Path) -> Any:
    """The tokenizer saved beside a converted model.

    transformers 5 takes a local directory whose config.json names no transformers version for a
    possible Mistral tokenizer, and warns that its regex is wrong ("fix_mistral_regex"); a CTranslate2
    directory's config.json is CTranslate2's own, so the warning came on every load. It does not apply:
    the tokens are those of the GGUF's own tokenizer (its vocabulary and merges with llama.cpp's qwen2
    pre-tokenizer) on all shop text, and the "fix" would change them (tests/test_llm_tokenizer.py)."""
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(directory, fix_mistral_regex=False)


class _InMemoryConverter(TransformersConverter):
    """CTranslate2's converter for a model already in memory: it reads only the configuration from
    ``config_dir`` (a GGUF has no directory it could read), so nothing is written twice. With
    ``vocabulary`` (token → id), the model's vocabulary is that one (a trimmed model's)."""

    def __init__(self, config_dir: Path, model: Any, tokenizer: Any, vocabulary: dict[str, int] | None) -> None:
        super().__init__(str(config_dir))
        self._model, self._tokenizer = model, tokenizer if vocabulary is None else _Vocabulary(tokenizer, vocabulary)

    def load_model(self, model_class: Any, model_name_or_path: str, **kwargs: Any) -> Any:
        """The model in memory instead of ``from_pretrained``."""
        return self._model

    def load_tokenizer(self, tokenizer_class: Any, model_name_or_path: str, **kwargs: Any) -> Any:
        """The tokenizer in memory instead of ``from_pretrained``."""
        return self._tokenizer


class _Vocabulary:
    """A tokenizer whose vocabulary (what CTranslate2's converter asks for) is ``vocabulary``."""

    def __init__(self, tokenizer: Any, vocabulary: dict[str, int]) -> None:
        self._tokenizer, self._vocabulary = tokenizer, vocabulary

    def get_vocab(self) -> dict[str, int]:
        """The trimmed vocabulary."""
        return self._vocabulary

    def __getattr__(self, name: str) -> Any:
        return getattr(self._tokenizer, name)
