"""``kefu eval retrieval [FILE...]``: how the knowledge-base scores the assistant records are spread —
labelled questions played through the assistant on the demo shop, one conversation each, and the
recorded score (``messages.kb_score``) of every reply that searched the knowledge base, split into
answers on the question's own topic, answers no article was meant for (or on another topic), and
searches below the answer threshold. The report's low-score line (core/reports/retrieval.py
``LOW_SCORE``) was chosen from these numbers."""
from __future__ import annotations

import argparse
import asyncio
from dataclasses import dataclass
from pathlib import Path

from bot.evals.outcomes import ask, demo_assistant
from bot.settings import Settings
from core.assistant import Assistant
from core.dialogue.recognisers import TOPIC_OF_INTENT
from core.nlu.labelled import held_out, read_labelled
from core.nlu.rasa import Example
from core.reports.build import nearest_rank
from core.reports.retrieval import LOW_SCORE

TOPIC = "retrieval"
HELP = "knowledge-base scores of the assistant's answers: right topic vs no article meant, and the low-score line"
LINES = (0.3, 0.4, 0.5, 0.6, 0.7)


@dataclass(frozen=True)
class Searched:
    """One question whose turn searched the knowledge base: its language, score and kind of answer
    (``right``: an article on the question's topic; ``wrong``: any other article; ``missed``: none)."""

    language: str
    score: float
    kind: str


def configure(parser: argparse.ArgumentParser) -> None:
    """Labelled files (text and intent: .yml, .tsv, .jsonl); default: the NLU's held-out examples."""
    parser.add_argument("files", nargs="*", type=Path, help="labelled questions; default: core/nlu/data/test_*.yml")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print the score quantiles of each kind per language, and the share of each kind under some lines."""
    try:
        examples = [e for path in args.files for e in read_labelled(path)] if args.files else held_out()
    except (OSError, ValueError) as exc:
        print(f"kefu eval retrieval: {exc}")
        return 2
    searched = asyncio.run(play(demo_assistant(), examples))
    print(f"{len(examples)} questions, {len(searched)} searched the knowledge base")
    for language in ("en", "zh"):
        for kind in ("right", "wrong", "missed"):
            scores = [s.score for s in searched if s.language == language and s.kind == kind]
            quantiles = " ".join(f"p{int(q * 100)}={_number(nearest_rank(scores, q))}" for q in (0.1, 0.25, 0.5, 0.75, 0.9))
            print(f"{language} {kind:<6} n={len(scores):<4} {quantiles}")
    answered = [s for s in searched if s.kind != "missed"]
    for line in LINES:
        parts = [f"{kind} {_share([s for s in answered if s.kind == kind], line)}" for kind in ("right", "wrong")]
        marker = "  <- LOW_SCORE" if line == LOW_SCORE else ""
        print(f"answers below {line:.1f}: " + ", ".join(parts) + marker)
    return 0


async def play(assistant: Assistant, examples: list[Example]) -> list[Searched]:
    """Each question in a conversation of its own; the recorded search of those whose turn made one."""
    store, out = assistant.store, []
    for n, example in enumerate(examples):
        conversation = f"retrieval-{n}"
        result = await ask(assistant, conversation, example.text)
        row = store.db.execute("select kb_score, kb_article from messages where conversation_id = ? "
                               "and direction = 'in'", [f"web:{conversation}"]).fetchone()
        if row is None or row[0] is None:
            continue
        score, article = row
        if article is None:
            kind = "missed"
        else:
            quoted = store.knowledge.article(article, result.language) or {}
            kind = "right" if quoted.get("topic") == TOPIC_OF_INTENT.get(example.intent) else "wrong"
        out.append(Searched(result.language, score, kind))
    return out


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _share(items: list[Searched], line: float) -> str:
    """``k/n`` of ``items`` scoring under ``line``."""
    return f"{sum(s.score < line for s in items)}/{len(items)}"
