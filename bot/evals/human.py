"""``kefu eval human [--from DAY] [--to DAY]``: what the shop's people said of the bot's replies in the
console's reviews — replies reviewed, the share judged good, agreement where two colleagues reviewed
the same reply (percent agreement and Cohen's kappa on good / bad), the top failure reasons and the
intents the NLU most often read wrongly (read → right)."""
from __future__ import annotations

import argparse
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from adapters.inbox.review_log import register as register_reviews
from bot.app import open_store
from bot.arguments import iso_date
from bot.settings import Settings

TOPIC = "human"
HELP = "human review of the bot's replies: share good, reviewer agreement (kappa), failure reasons"
TOP = 5


@dataclass
class HumanSummary:
    """The numbers of the reviews in a range."""

    reviews: int
    replies: int
    good_share: float | None
    pairs: int
    agreement: float | None
    kappa: float | None
    reasons: list[tuple[str, int]] = field(default_factory=list)
    wrong_intents: list[tuple[str, int]] = field(default_factory=list)


def cohen_kappa(pairs: list[tuple[str, str]]) -> float | None:
    """Cohen's kappa of two raters' labels (first rater, second rater) per item; None without pairs,
    1.0 when both always gave the one same label."""
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[label] * second[label] for label in first) / (n * n)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def summarise(rows: list[dict[str, Any]]) -> HumanSummary:
    """Summarise review rows (oldest first). A reply's first two reviewers form its pair for agreement;
    its share of good counts every review."""
    by_reply: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_reply[row["message_id"]].append(row)
    pairs = [(r[0]["verdict"], r[1]["verdict"]) for r in by_reply.values() if len(r) >= 2]
    bad = [r for r in rows if r["verdict"] == "bad"]
    wrong = Counter(f"{r['read_intent'] or '?'} → {r['right_intent']}" for r in bad
                    if r["reason"] == "wrong_intent" and r["right_intent"])
    return HumanSummary(
        reviews=len(rows), replies=len(by_reply),
        good_share=(len(rows) - len(bad)) / len(rows) if rows else None,
        pairs=len(pairs), agreement=sum(a == b for a, b in pairs) / len(pairs) if pairs else None,
        kappa=cohen_kappa(pairs), reasons=Counter(r["reason"] for r in bad).most_common(TOP),
        wrong_intents=wrong.most_common(TOP))


def configure(parser: argparse.ArgumentParser) -> None:
    """The range of review days (both ends included; either open)."""
    parser.add_argument("--from", dest="start", type=iso_date, help="first day (YYYY-MM-DD)")
    parser.add_argument("--to", dest="end", type=iso_date, help="last day (YYYY-MM-DD), included")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print the summary of the shop's reviews; exit status 0 (the numbers are the result)."""
    store = open_store(settings)
    try:
        rows = register_reviews(store).between(args.start.isoformat() if args.start else None,
                                               args.end.isoformat() if args.end else None)
    finally:
        store.close()
    print(render(summarise(rows)))
    return 0


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def render(summary: HumanSummary) -> str:
    """The summary as the terminal shows it."""
    kappa = "n/a" if summary.kappa is None else f"{summary.kappa:.2f}"
    lines = [f"replies reviewed: {summary.replies} ({summary.reviews} reviews)",
             f"good: {_percent(summary.good_share)}",
             f"reviewer agreement: {_percent(summary.agreement)} over {summary.pairs} replies reviewed twice; "
             f"Cohen's kappa {kappa}",
             "top failure reasons: " + (", ".join(f"{reason} {n}" for reason, n in summary.reasons) or "none"),
             "intents most often wrong (read → right): "
             + (", ".join(f"{pair} {n}" for pair, n in summary.wrong_intents) or "none")]
    return "\n".join(lines)
