"""The apology section of ``kefu eval sentiment``: per language, how many neutral requests the
assistant apologises to (goal: at least 97 % clean) and how many messages reporting a bad experience
it does, each message asked in a conversation of its own on the demo shop with template replies
(:mod:`bot.evals.outcomes`)."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from bot.evals.outcomes import DATA, apologised_among, demo_assistant, request_lines
from bot.evals.sentiment_data import TEXT_LABEL_HEADER, Example, read_tsv

CLEAN_GOAL = 0.97
EXTERNAL = DATA / "external"
KINDS = ("neutral", "negative")  # a positive message is no question of apologising


@dataclass(frozen=True)
class RequestSet:
    """Requests of one kind (``neutral`` or ``negative``) in one language."""

    name: str
    lang: str
    kind: str
    texts: list[str]


@dataclass(frozen=True)
class ApologyCount:
    """How many of a set's requests got an apology."""

    requests: RequestSet
    apologised: int

    def line(self) -> str:
        """One report line: a neutral set's clean share against the goal, a negative set's apologised share."""
        r, total = self.requests, len(self.requests.texts)
        head = f"apology {r.name} {r.lang} {r.kind}: {self.apologised}/{total} apologised"
        if r.kind == "neutral":
            clean = 1 - self.apologised / total if total else 1.0
            verdict = "ok" if clean >= CLEAN_GOAL else "below the goal"
            return f"{head}, {clean:.1%} clean (goal >= {CLEAN_GOAL:.0%}: {verdict})"
        return f"{head} ({self.apologised / total if total else 0:.1%})"


def default_sets() -> list[RequestSet]:
    """The project's own requests (bot/evals/data/apology) and the external neutral sets."""
    sets = [RequestSet("own", lang, kind, request_lines(kind, lang)) for lang in ("zh", "en") for kind in KINDS]
    for lang in ("zh", "en"):
        sets += examples_sets("external", read_tsv(EXTERNAL / f"neutral_{lang}.tsv", lang))
    return sets


def examples_sets(name: str, examples: list[Example]) -> list[RequestSet]:
    """The neutral and negative examples of a labelled file, one set per language and kind."""
    sets = []
    for lang in sorted({e.lang for e in examples}):
        for kind in KINDS:
            texts = [e.text for e in examples if e.lang == lang and e.label == kind]
            if texts:
                sets.append(RequestSet(name, lang, kind, texts))
    return sets


def count(sets: list[RequestSet]) -> list[ApologyCount]:
    """Every set asked of one assistant over a fresh copy of the demo shop."""
    assistant = demo_assistant()

    async def run() -> list[ApologyCount]:
        return [ApologyCount(s, len(await apologised_among(assistant, s.texts, s.lang, f"{s.name}-{s.kind}-{s.lang}")))
                for s in sets]

    return asyncio.run(run())


def is_request_file(path: Path) -> bool:
    """Whether FILE is a ``text<TAB>label`` request set (the apology section then runs on it)."""
    with path.open(encoding="utf-8") as lines:
        return next(lines, "").strip() == TEXT_LABEL_HEADER
