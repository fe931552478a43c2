"""A causal language model run with transformers + torch on the CPU, converted once and cached.

Sources are those of :mod:`core.llm.sources`. transformers dequantizes a GGUF to float32 on every
load (~45 s for the embedded model), so the first load converts the weights to the chosen
precision and saves them under the cache directory; later loads read that copy.

Precisions: ``int8`` (dynamic int8 quantization of every Linear layer, per output channel,
fast on CPUs with AVX2/AVX-512 VNNI), ``bf16`` or ``float32``."""
from __future__ import annotations

import json
import logging
import os
import shutil
import time
from pathlib import Path
from typing import Any

import torch
import transformers
from torch.ao.nn.quantized import dynamic as quantized_dynamic
from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic
from transformers import (
    AutoConfig,
    AutoModelForCausalLM,
    AutoTokenizer,
    DynamicCache,
    StoppingCriteria,
    StoppingCriteriaList,
)
from transformers.generation.streamers import BaseStreamer
from transformers.generation.utils import GenerateDecoderOnlyOutput

from core.llm import sources
from core.llm.base import BackendError, ChatMessage, Completion, TextSink
from core.llm.pieces import TextPieces

log = logging.getLogger(__name__)

_FORMAT = 1  # bump when the cached layout changes
_WEIGHTS = "weights.pt"
# generate()'s cache argument: ``cache`` in the transformers 5 releases whose outputs have a ``cache``
# field, ``past_key_values`` before (still accepted, with a deprecation warning, until 6).
_CACHE_ARGUMENT = "cache" if "cache" in GenerateDecoderOnlyOutput.__dataclass_fields__ else "past_key_values"


class TransformersModel(sources.ConvertedModel):
    """Loads once (:meth:`load`), then generates greedily (:meth:`generate`); not thread-safe by itself."""

    def __init__(self, source: str, cache_dir: Path, precision: str = "int8", threads: int = 0) -> None:
        """See :class:`core.llm.sources.ConvertedModel` (``threads`` 0: cores − 1)."""
        super().__init__(source, cache_dir, precision, threads)
        self.model: Any = None
        self._prompts = _PromptCache()

    # ---- loading -------------------------------------------------------------------------------

    def load(self) -> None:
        """Load the cached conversion, or convert the source and cache it. Idempotent."""
        if self.model is not None:
            return
        torch.set_num_threads(self.threads)
        started = time.monotonic()
        source = sources.resolve(self.source, self.cache_dir)
        cached = self.cache_dir / "converted" / source.cache_key(self.engine)
        if (cached / "kefu.json").is_file():
            self.model, self.tokenizer = _load_converted(cached, self.precision)
            self.loaded_from_cache = True
        else:
            self.model, self.tokenizer = self._convert(source, cached)
        self.model.eval()
        log.info("language model %s (%s) ready in %.1f s%s", self.source, self.precision,
                 time.monotonic() - started, " from the cache" if self.loaded_from_cache else "")

    @property
    def engine(self) -> str:
        """The engine part of the cache key: torch and transformers versions, layout, precision."""
        return f"{torch.__version__}:{transformers.__version__}:{_FORMAT}:{self.precision}"

    def _convert(self, source: sources.ModelSource, target: Path) -> tuple[Any, Any]:
        """Load the source at full precision, convert it, save the conversion under ``target``."""
        model, tokenizer = sources.load_float_model(source)
        partial = target.with_name(target.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        tokenizer.save_pretrained(partial)
        model.generation_config.save_pretrained(partial)
        if self.precision == "int8":
            model = quantize_dynamic(model, {torch.nn.Linear: per_channel_dynamic_qconfig}, dtype=torch.qint8)
            model.config.save_pretrained(partial)
            buffers = {name: b for name, b in model.named_buffers() if name not in model.state_dict()}
            torch.save({"state": model.state_dict(), "buffers": buffers}, partial / _WEIGHTS)
        else:
            model = model.to(torch.bfloat16) if self.precision == "bf16" else model
            model.save_pretrained(partial)
        (partial / "kefu.json").write_text(json.dumps({"source": self.source, "precision": self.precision}))
        shutil.rmtree(target, ignore_errors=True)
        os.replace(partial, target)
        return model, tokenizer

    # ---- generation ----------------------------------------------------------------------------

    def generate(self, messages: list[ChatMessage], max_tokens: int, deadline: float | None = None,
                 on_text: TextSink | None = None) -> Completion:
        """Greedy decoding of one reply; stops at ``deadline`` (time.monotonic()) and raises then; with
        ``on_text``, the text is passed on as it decodes (and decoding stops when it returns False)."""
        if self.model is None:
            raise BackendError("the model is not loaded")
        started = time.monotonic()
        inputs = self.tokenizer.apply_chat_template(messages, add_generation_prompt=True, return_tensors="pt",
                                                    return_dict=True)
        prompt = inputs["input_ids"][0]
        clock = _FirstTokenClock(self.tokenizer, TextPieces(on_text) if on_text is not None else None)
        stop = _Deadline(deadline, clock)
        cache = self._prompts.take(prompt)
        if cache is None:
            cache = DynamicCache(config=self.model.config)
        with torch.inference_mode():
            output = self.model.generate(**inputs, max_new_tokens=max_tokens, do_sample=False, streamer=clock,
                                         stopping_criteria=StoppingCriteriaList([stop]), **{_CACHE_ARGUMENT: cache},
                                         pad_token_id=self.tokenizer.pad_token_id or self.tokenizer.eos_token_id)
        self._prompts.keep(prompt, cache)
        if stop.fired:
            raise BackendError("the reply ran past its time budget", "late")
        new_tokens = output[0, prompt.shape[0]:]
        text = self.tokenizer.decode(new_tokens, skip_special_tokens=True).strip()
        first = clock.first_at - started if clock.first_at else None
        return Completion(text, int(new_tokens.shape[0]), time.monotonic() - started, first)


class _PromptCache:
    """The attention keys and values of the last few prompts, so that a prompt starting like one of
    them (the same system prompt and instruction, another draft) only computes its new tokens."""

    def __init__(self, size: int = 4) -> None:
        self._size = size
        self._entries: list[tuple[torch.Tensor, DynamicCache]] = []  # (prompt token ids, their cache), oldest first

    def take(self, prompt: torch.Tensor) -> DynamicCache | None:
        """The cache of the stored prompt sharing the most leading tokens with ``prompt``, cut to them
        (and removed from the store: generation extends it), or None when none shares any."""
        shared = [_shared_length(ids, prompt) for ids, _ in self._entries]
        if not shared or max(shared) == 0:
            return None
        best = shared.index(max(shared))
        _, cache = self._entries.pop(best)
        _cut(cache, min(shared[best], prompt.shape[0] - 1))  # the last prompt token must be computed
        return cache

    def keep(self, prompt: torch.Tensor, cache: DynamicCache) -> None:
        """Store ``cache`` (filled by a generation from ``prompt``) cut back to the prompt."""
        _cut(cache, prompt.shape[0])
        self._entries.append((prompt, cache))
        del self._entries[:-self._size]


def _cut(cache: DynamicCache, length: int) -> None:
    """Drop the cached tokens after the first ``length``."""
    cache.crop(min(0, length - cache.get_seq_length()))


def _shared_length(a: torch.Tensor, b: torch.Tensor) -> int:
    """How many leading tokens two 1-d token id tensors have in common."""
    length = min(a.shape[0], b.shape[0])
    different = torch.nonzero(a[:length] != b[:length])
    return int(different[0, 0]) if different.numel() else length


class _FirstTokenClock(BaseStreamer):
    """Notes when the first generated token arrives (the first ``put`` is the prompt) and, with
    ``pieces``, passes the text on as it decodes (transformers' TextIteratorStreamer, without its
    thread: the worker thread is already off the event loop)."""

    def __init__(self, tokenizer: Any, pieces: TextPieces | None = None) -> None:
        self._puts = 0
        self.first_at: float | None = None
        self._tokenizer, self._pieces = tokenizer, pieces
        self._ids: list[int] = []

    @property
    def wanted(self) -> bool:
        """False once the text's reader asked to stop."""
        return self._pieces is None or self._pieces.wanted

    def put(self, value: Any) -> None:
        self._puts += 1
        if self._puts == 2:
            self.first_at = time.monotonic()
        if self._puts >= 2 and self._pieces is not None:
            self._ids += [int(i) for i in value.reshape(-1).tolist()]
            self._pieces.update(self._tokenizer.decode(self._ids, skip_special_tokens=True))

    def end(self) -> None:
        """The text's last piece, even one that is not valid UTF-8."""
        if self._pieces is not None:
            self._pieces.update(self._tokenizer.decode(self._ids, skip_special_tokens=True), final=True)


class _Deadline(StoppingCriteria):
    """Stops generation once the reply's time budget is spent, so a late reply frees the model, or
    once the reader of the streamed text wants no more (``clock.wanted``)."""

    def __init__(self, deadline: float | None, clock: _FirstTokenClock) -> None:
        self._deadline, self._clock = deadline, clock
        self.fired = False

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor, **kwargs: Any) -> torch.BoolTensor:
        self.fired = self._deadline is not None and time.monotonic() > self._deadline
        return torch.full((input_ids.shape[0],), self.fired or not self._clock.wanted, dtype=torch.bool)


def _load_converted(directory: Path, precision: str) -> tuple[Any, Any]:
    """Read a cached conversion without materialising a float32 copy first."""
    tokenizer = AutoTokenizer.from_pretrained(directory)
    if precision != "int8":
        dtype = torch.bfloat16 if precision == "bf16" else torch.float32
        return AutoModelForCausalLM.from_pretrained(directory, dtype=dtype), tokenizer
    saved = torch.load(directory / _WEIGHTS, weights_only=True, mmap=True)  # float tensors stay paged from the file
    config = AutoConfig.from_pretrained(directory)
    with torch.device("meta"):
        model = AutoModelForCausalLM.from_config(config, dtype=torch.float32)
    _swap_linear_layers(model)
    model.to_empty(device="cpu")
    model.load_state_dict(saved["state"], strict=True, assign=True)
    for name, value in saved["buffers"].items():
        owner, _, attribute = name.rpartition(".")
        model.get_submodule(owner).register_buffer(attribute, value, persistent=False)
    model.generation_config = transformers.GenerationConfig.from_pretrained(directory)
    return model, tokenizer


def _swap_linear_layers(module: torch.nn.Module) -> None:
    """Replace every float Linear layer by a placeholder dynamic int8 one, as quantize_dynamic did.

    The placeholder packs a 1×1 weight (packing an empty full-size one costs seconds); its
    ``load_state_dict`` packs the real weights and the sizes are set to the layer's own."""
    for name, child in module.named_children():
        if isinstance(child, torch.nn.Linear):
            layer = quantized_dynamic.Linear(1, 1, bias_=child.bias is not None, dtype=torch.qint8)
            layer.in_features, layer.out_features = child.in_features, child.out_features
            setattr(module, name, layer)
        else:
            _swap_linear_layers(child)
