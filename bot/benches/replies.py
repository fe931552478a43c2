"""``kefu bench replies``: 1, 10 and 50 concurrent conversations through the default reply path (the
configured generator, the demo shop); prints time to the first visible text and to the last sentence
(p50/p95), the share of replies the model phrased, and the template fallbacks by reason."""
from __future__ import annotations

import argparse
import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from bot.arguments import positive_int
from bot.benches.load import SCRIPT_EN, SCRIPT_ZH
from bot.evals.replies import Recorder, format_reasons, recorded_assistant
from bot.llm import ModelUnavailable
from bot.settings import Settings
from core.assistant import Assistant
from core.llm.local import LocalBackend
from core.messages import Identity, InboundMessage
from core.reply.llm import LLMReplyGenerator
from core.store import Store

TOPIC = "replies"
HELP = "1, 10, 50 concurrent conversations: time to first text and last sentence, share phrased by the model"


@dataclass
class Level:
    """What one level of concurrency measured: seconds per turn and how its replies were made."""

    conversations: int
    first_text: list[float] = field(default_factory=list)
    last_sentence: list[float] = field(default_factory=list)
    replies: int = 0
    asked: int = 0
    phrased: int = 0
    partly: int = 0
    fallbacks: Counter[str] = field(default_factory=Counter)

    def lines(self) -> list[str]:
        """The printed report of this level."""
        first, last = np.array(self.first_text), np.array(self.last_sentence)
        share = self.phrased / self.replies if self.replies else 0.0
        return [f"{self.conversations} conversations, {len(first)} turns, {self.replies} replies:",
                f"  first visible text: p50 {np.percentile(first, 50):.2f} s, p95 {np.percentile(first, 95):.2f} s, "
                f"max {first.max():.2f} s",
                f"  last sentence:      p50 {np.percentile(last, 50):.2f} s, p95 {np.percentile(last, 95):.2f} s, "
                f"max {last.max():.2f} s",
                f"  phrased by the model: {self.phrased} ({share:.1%}); partly (streamed, then the template's "
                f"remainder): {self.partly}; the model's to phrase: {self.asked}; "
                f"template fallbacks by reason: {format_reasons(self.fallbacks)}"]


def configure(parser: argparse.ArgumentParser) -> None:
    """Levels of concurrency and turns per conversation."""
    parser.add_argument("--conversations", type=positive_int, nargs="+", default=[1, 10, 50],
                        help="concurrent conversations per level (default: 1 10 50)")
    parser.add_argument("--turns", type=positive_int, default=4, help="turns per conversation (default 4)")
    parser.add_argument("--whole", action="store_true",
                        help="replies sent whole, as to a channel that cannot stream (default: streamed, as the "
                             "web chat and Telegram show them)")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Drive each level and print what it measured."""
    try:
        asyncio.run(_bench(args.conversations, args.turns, settings, stream=not args.whole))
    except ModelUnavailable as exc:
        print(f"kefu bench replies: {exc}")
        return 1
    return 0


async def _bench(levels: list[int], turns: int, settings: Settings, stream: bool = True) -> None:
    store = Store(":memory:")
    try:
        assistant, recorder = await recorded_assistant(store, settings)
        inner = recorder.inner
        backend = inner.backend if isinstance(inner, LLMReplyGenerator) else None
        print(f"reply path: {backend.name if backend else 'templates'}; "
              f"KEFU_LLM_PHRASE={settings.kefu_llm_phrase}; KEFU_LLM_FIRST_TEXT_S={settings.kefu_llm_first_text_s}; "
              f"KEFU_LLM_THREADS={settings.kefu_llm_threads}; replies {'streamed' if stream else 'whole'}")
        for count in levels:
            level = await _level(assistant, recorder, count, turns, stream)
            print("\n".join(level.lines()))
        if isinstance(backend, LocalBackend) and backend.speed.tokens_per_s is not None:
            print(f"engine: {backend.speed.tokens_per_s:.1f} tokens/s (moving estimate), {backend.model.threads} "
                  f"thread(s)")
        if isinstance(inner, LLMReplyGenerator):
            await inner.close()
    finally:
        store.close()


async def _level(assistant: Assistant, recorder: Recorder, count: int, turns: int, stream: bool = True) -> Level:
    """``count`` conversations at once, each ``turns`` turns of a script (zh and en alternate); a turn's
    first visible text is its first reply's first released sentence (the reply itself when sent whole),
    its last sentence the end of its last reply."""
    level = Level(count)
    before = len(recorder.rendered)

    async def conversation(n: int) -> None:
        script = SCRIPT_ZH if n % 2 else SCRIPT_EN
        identity = Identity("bench", f"replies-{count}-{n}")
        for turn in range(turns):
            text = script[(n + turn) % len(script)]
            started = time.perf_counter()
            replies = (await assistant.handle(InboundMessage(identity, text, streams=stream))).replies
            first = time.perf_counter() - started
            if replies and replies[0].stream is not None:
                async for _ in replies[0].stream.pieces():
                    first = time.perf_counter() - started
                    break
            for reply in replies:
                if reply.stream is not None:
                    await reply.stream.text()
            level.first_text.append(first)
            level.last_sentence.append(time.perf_counter() - started)

    await asyncio.gather(*(conversation(n) for n in range(count)))
    await recorder.settle(before)
    outcomes = [r.outcome for r in recorder.rendered[before:]]
    level.replies = len(outcomes)
    level.asked = sum(bool(o and o.asked) for o in outcomes)
    level.phrased = sum(bool(o and o.used_model) for o in outcomes)
    level.partly = sum(bool(o and o.shown and not o.used_model) for o in outcomes)
    level.fallbacks = Counter(o.reason for o in outcomes if o and o.reason)
    return level
