"""``kefu nlu``: what the assistant understands of each message, as JSON lines.

The stable interface for debugging and external evaluation: one object per input line with
``text``, ``lang``, ``mixed``, ``intent``, ``confidence``, ``readings``, ``entities`` and ``sentiment``."""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Iterable
from typing import Any

from bot.app import build_nlu, build_sentiment, open_store
from bot.settings import Settings
from core.nlu.base import NLU
from core.sentiment.base import SentimentAnalyzer

NAME = "nlu"
HELP = "print language, intent, entities and sentiment of messages (args or stdin lines) as JSON lines"


def configure(parser: argparse.ArgumentParser) -> None:
    """Texts as arguments; without any, stdin is read line by line."""
    parser.add_argument("texts", nargs="*", help="messages (default: one per line on stdin)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Parse every message and print one JSON object per line."""
    store = open_store(settings)
    try:
        nlu, sentiment = build_nlu(store, settings), build_sentiment(settings.kefu_sentiment_analyzer)
        texts = args.texts or (line.rstrip("\n") for line in sys.stdin)
        asyncio.run(_print_all(nlu, sentiment, texts))
    finally:
        store.close()
    return 0


async def _print_all(nlu: NLU, sentiment: SentimentAnalyzer, texts: Iterable[str]) -> None:
    for text in texts:
        if text.strip():
            print(json.dumps(await understand(nlu, sentiment, text), ensure_ascii=False), flush=True)


async def understand(nlu: NLU, sentiment: SentimentAnalyzer, text: str) -> dict[str, Any]:
    """The NLU's and the sentiment analyser's reading of one message."""
    result = await nlu.parse(text)
    mood = await sentiment.analyze(text, result.language)
    return {"text": text, "lang": result.language, "mixed": result.mixed, "intent": result.intent,
            "confidence": result.confidence, "readings": [[r.intent, r.confidence] for r in result.readings],
            "entities": result.entities, "sentiment": mood.to_dict()}
