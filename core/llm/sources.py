"""Where a local model comes from, and the key its converted copy is cached under.

A source is ``embedded`` (the verified GGUF of :mod:`core.llm.embedded`), a ``.gguf`` file, a local
model directory, or a hub id (only for users who are online). Each engine converts the source once
and caches the result under a key that changes with the source, the engine and its settings."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.llm import embedded
from core.llm.local import model_threads


@dataclass(frozen=True)
class ModelSource:
    """``location``: a directory or hub id; ``gguf_file``: a GGUF file name inside it, or None;
    ``identity``: what the cache key is made of (changes when the model does)."""

    location: str
    gguf_file: str | None
    identity: str

    def cache_key(self, engine: str) -> str:
        """A short key for this source converted by ``engine`` (its name, versions and settings)."""
        return hashlib.sha256(f"{self.identity}|{engine}".encode()).hexdigest()[:16]


PRECISIONS = ("int8", "bf16", "float32")  # KEFU_LLM_PRECISION: the weights after conversion


class ConvertedModel:
    """What the engines that convert and cache a source share: where it comes from, where the
    conversion is cached, its precision and its CPU threads."""

    def __init__(self, source: str, cache_dir: Path, precision: str = "int8", threads: int = 0) -> None:
        """``threads``: see :func:`core.llm.local.model_threads` (0: one less than the cores)."""
        if precision not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}, not {precision!r}")
        self.source = source
        self.cache_dir = Path(cache_dir)
        self.precision = precision
        self.threads = model_threads(threads)
        self.tokenizer: Any = None
        self.loaded_from_cache = False


def resolve(source: str, cache_dir: Path) -> ModelSource:
    """The :class:`ModelSource` for a ``KEFU_LLM_MODEL`` value (joins the embedded model on first use)."""
    if source == "embedded":
        path = embedded.materialise(cache_dir)
        identity = f"embedded:{embedded.SHA256}"
    else:
        path = Path(source).expanduser()
        if not path.exists():
            return ModelSource(source, None, f"hub:{source}")
        identity = f"{path.resolve()}:{_fingerprint(path)}"
    if path.is_file():
        return ModelSource(str(path.parent), path.name, identity)
    return ModelSource(str(path), None, identity)


def load_float_model(source: ModelSource) -> tuple[Any, Any]:
    """The model at float32 and its tokenizer, with transformers (a GGUF is dequantized: slow, ~4 GB).

    transformers marks a model read from a GGUF as quantized even though its weights are float32 now;
    the mark is removed, so that it can be saved or converted like any other model."""
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    options = {"gguf_file": source.gguf_file} if source.gguf_file else {}
    tokenizer = AutoTokenizer.from_pretrained(source.location, **options)
    model = AutoModelForCausalLM.from_pretrained(source.location, dtype=torch.float32, **options)
    if source.gguf_file:
        model.hf_quantizer = None
        if hasattr(model.config, "quantization_config"):
            del model.config.quantization_config
    return model.eval(), tokenizer


def _fingerprint(path: Path) -> str:
    """Size and modification time of a file, or of a directory's files: changes when the model does."""
    files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
    return hashlib.sha256("|".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}"
                                   for p in files).encode()).hexdigest()[:16]
