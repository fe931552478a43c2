"""``kefu bench llm``: load time (cold: converting; cached), time to first token, tokens/s, reply
time and peak RSS of the local model, and reply latency of an OpenAI-compatible API when configured.
Each local phase runs in a fresh process so that its peak RSS is its own."""
from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from bot.arguments import positive_int
from bot.llm import LOCAL_ENGINES, backend_name, build_backend, build_local_model, local_model_available
from bot.settings import Settings
from core.reply.prompt import build_messages

TOPIC = "llm"
HELP = "language-model load time (cold, cached), time to first token, tokens/s, reply time, peak RSS"

# Typical template replies, as the assistant would ask the model to rephrase them.
DRAFTS: list[tuple[str, str]] = [
    ("en", "Order #W1000001 (placed 2026-10-20, ¥199.00): shipped. Carrier: SF Express, tracking number "
           "SF123456789, expected by 2026-10-25."),
    ("zh", "订单 #W1000001（2026-10-20 下单，¥199.00）：已发货。承运商：顺丰速运，运单号：SF123456789，预计 2026-10-25 送达。"),
    ("en", "I found 3 red dresses. Here are 1–3:"),
    ("zh", "退货政策：30天内可退\n自签收之日起30天内，未使用、吊牌完好且保留原包装的商品可申请退货。"),
    ("en", "Sure, I've asked a colleague to join. They'll reply here as soon as they can."),
    ("zh", "不客气！还有其他可以帮您的吗？"),
]


def configure(parser: argparse.ArgumentParser) -> None:
    """Options: a cold (converting) load into a fresh cache, and how many replies to time."""
    parser.add_argument("--cold", action="store_true", help="also time a first load that converts the model "
                        "into an empty cache (about a minute and 4 GB for the embedded model)")
    parser.add_argument("--rounds", type=positive_int, default=1, help="passes over the sample replies (default: 1)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Measure the configured backend (or the local model under KEFU_LLM_BACKEND=auto) and print."""
    name = backend_name(settings)
    print(f"backend: {name}")
    if name == "templates":
        print("no language model installed or configured: replies come from templates (nothing to time)")
        return 1 if any(local_model_available(settings, engine) for engine in LOCAL_ENGINES) else 0
    if name == "openai":
        _print_replies(asyncio.run(_api_replies(settings, args.rounds)))
        return 0
    spawn = get_context("spawn")
    if args.cold:
        with tempfile.TemporaryDirectory() as fresh, ProcessPoolExecutor(1, mp_context=spawn) as pool:
            cold = pool.submit(_local_phase, settings, Path(fresh), 0).result()
        print(f"cold load (join + verify + convert): {cold['load_s']:.1f} s, peak RSS {cold['rss_gib']:.2f} GiB")
    with ProcessPoolExecutor(1, mp_context=spawn) as pool:  # makes the cache when it is missing
        pool.submit(_local_phase, settings, Path(settings.kefu_llm_cache_dir), 0).result()
    with ProcessPoolExecutor(1, mp_context=spawn) as pool:
        cached = pool.submit(_local_phase, settings, Path(settings.kefu_llm_cache_dir), args.rounds).result()
    print(f"cached load: {cached['load_s']:.1f} s; peak RSS (load + replies): {cached['rss_gib']:.2f} GiB; "
          f"threads: {cached['threads']}")
    _print_replies(cached["replies"])
    return 0


def _local_phase(settings: Settings, cache_dir: Path, rounds: int) -> dict[str, Any]:
    """In a fresh process: load the local model from ``cache_dir``, then time ``rounds`` passes of replies."""
    model = build_local_model(settings, backend_name(settings), cache_dir)
    started = time.monotonic()
    model.load()
    load_s = time.monotonic() - started
    replies = []
    for _ in range(rounds):
        for language, draft in DRAFTS:
            completion = model.generate(build_messages(draft, language), settings.kefu_llm_max_tokens)
            replies.append({"language": language, "seconds": completion.seconds, "tokens": completion.tokens,
                            "first_token_s": completion.first_token_s})
    return {"load_s": load_s, "rss_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20,
            "threads": model.threads, "replies": replies}


async def _api_replies(settings: Settings, rounds: int) -> list[dict[str, Any]]:
    backend = build_backend(settings)
    assert backend is not None
    replies = []
    try:
        for _ in range(rounds):
            for language, draft in DRAFTS:
                completion = await backend.complete(build_messages(draft, language), settings.kefu_llm_max_tokens,
                                                    settings.kefu_llm_api_timeout_s)
                replies.append({"language": language, "seconds": completion.seconds, "tokens": completion.tokens,
                                "first_token_s": completion.first_token_s})
    finally:
        await backend.close()
    return replies


def _print_replies(replies: list[dict[str, Any]]) -> None:
    """Reply time, time to first token and decoding speed, median and worst."""
    seconds = [r["seconds"] for r in replies]
    print(f"replies: {len(replies)}; reply time median {statistics.median(seconds):.2f} s, max {max(seconds):.2f} s")
    firsts = [r["first_token_s"] for r in replies if r["first_token_s"] is not None]
    if firsts:
        print(f"time to first token: median {statistics.median(firsts):.2f} s, max {max(firsts):.2f} s")
        speeds = [(r["tokens"] - 1) / (r["seconds"] - r["first_token_s"]) for r in replies
                  if r["first_token_s"] is not None and r["tokens"] > 1 and r["seconds"] > r["first_token_s"]]
        if speeds:
            print(f"decoding: median {statistics.median(speeds):.1f} tokens/s, min {min(speeds):.1f} tokens/s "
                  f"({sum(r['tokens'] for r in replies)} tokens in all)")
