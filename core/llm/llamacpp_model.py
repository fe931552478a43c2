"""A GGUF model run with llama.cpp (``llama-cpp-python``, the optional ``llamacpp`` extra).

llama.cpp reads the GGUF as it is — no conversion, no cache: the embedded model (verified by
:mod:`core.llm.embedded`) or any ``.gguf`` file; its own chat template (in the file) formats the
messages. The ``KEFU_LLM_PRECISION`` setting does not apply: the weights stay as quantized in the
file (Q4_K_M for the embedded model). Model states are kept in a RAM cache and the one sharing the
longest prefix with a new prompt is restored, so the system prompt is computed once per language."""
from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from llama_cpp import Llama, LlamaRAMCache

from core.llm import embedded
from core.llm.base import BackendError, ChatMessage, Completion, TextSink
from core.llm.local import model_threads
from core.llm.pieces import TextPieces

log = logging.getLogger(__name__)

CONTEXT_TOKENS = 2048  # the prompt (style guide + facts, a few hundred tokens) and the reply
STATE_CACHE_BYTES = 256 << 20  # saved model states, looked up by the longest common prompt prefix


class LlamaCppModel:
    """Loads once (:meth:`load`), then generates greedily (:meth:`generate`); not thread-safe by itself."""

    def __init__(self, source: str, cache_dir: Path, precision: str = "int8", threads: int = 0) -> None:
        """``source``: ``embedded`` or a ``.gguf`` file; ``precision`` is ignored (the file's own
        quantization is used); ``threads`` 0: one less than the CPU cores, at least one."""
        self.source = source
        self.cache_dir = Path(cache_dir)
        self.threads = model_threads(threads)
        self.llama: Any = None

    def load(self) -> None:
        """Map the GGUF file into memory and build the context. Idempotent."""
        if self.llama is not None:
            return
        started = time.monotonic()
        path = embedded.materialise(self.cache_dir) if self.source == "embedded" else Path(self.source).expanduser()
        if path.suffix != ".gguf" or not path.is_file():
            raise BackendError(f"llama.cpp needs a .gguf file, not {self.source!r}")
        self.llama = Llama(model_path=str(path), n_ctx=CONTEXT_TOKENS, n_threads=self.threads,
                           n_threads_batch=self.threads, use_mmap=True, verbose=False)
        self.llama.set_cache(LlamaRAMCache(capacity_bytes=STATE_CACHE_BYTES))
        log.info("language model %s (llama.cpp) ready in %.1f s", self.source, time.monotonic() - started)

    def generate(self, messages: list[ChatMessage], max_tokens: int, deadline: float | None = None,
                 on_text: TextSink | None = None) -> Completion:
        """Greedy decoding of one reply; stops at ``deadline`` (time.monotonic()) and raises then; with
        ``on_text``, each piece is passed on as it decodes (decoding stops when it returns False). The
        stream yields text pieces (a token can be half a character), so the token count is the
        reply's own tokenization."""
        if self.llama is None:
            raise BackendError("the model is not loaded")
        started = time.monotonic()
        first_at: float | None = None
        pieces: list[str] = []
        feed = TextPieces(on_text) if on_text is not None else None
        stream = self.llama.create_chat_completion(messages=messages, max_tokens=max_tokens, temperature=0.0,
                                                   stream=True)
        try:
            for chunk in stream:
                piece = chunk["choices"][0]["delta"].get("content")
                if not piece:
                    continue
                if first_at is None:
                    first_at = time.monotonic()
                pieces.append(piece)
                if feed is not None and not feed.update("".join(pieces)):
                    break
                if deadline is not None and time.monotonic() > deadline:
                    raise BackendError("the reply ran past its time budget", "late")
        finally:
            stream.close()
        if feed is not None:
            feed.update("".join(pieces), final=True)
        text = "".join(pieces)
        tokens = len(self.llama.tokenize(text.encode("utf-8"), add_bos=False, special=False)) if text else 0
        return Completion(text.strip(), tokens, time.monotonic() - started, first_at - started if first_at else None)
