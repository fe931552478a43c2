"""``kefu model prepare``: join, verify and convert the local model into KEFU_LLM_CACHE_DIR now (once,
2–5 minutes for the embedded model on a small CPU), so that the first ``kefu run`` answers with it
from the start instead of sending templates while it converts."""
from __future__ import annotations

import argparse
import time

from bot.llm import LOCAL_ENGINES, backend_name, build_local_model
from bot.settings import Settings

NAME = "model"
HELP = "prepare the local language model (join, verify and convert it once, into KEFU_LLM_CACHE_DIR)"


def configure(parser: argparse.ArgumentParser) -> None:
    """One action: prepare."""
    parser.add_argument("action", choices=("prepare",), help="prepare: convert the model into the cache now")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Load the configured local model once (converting it when the cache lacks it) and say where it is."""
    name = backend_name(settings)
    if name not in LOCAL_ENGINES:
        print(f"nothing to prepare: replies come from {name} (KEFU_LLM_BACKEND={settings.kefu_llm_backend})")
        return 0
    model = build_local_model(settings, name)
    print(f"preparing {settings.kefu_llm_model} for {name} in {settings.kefu_llm_cache_dir} …", flush=True)
    started = time.monotonic()
    model.load()
    cached = getattr(model, "loaded_from_cache", True)
    print(f"ready: {'already prepared' if cached else 'converted'} in {time.monotonic() - started:.1f} s")
    return 0
