"""``kefu eval search [FILE ...]``: product searches on the demo and the tau-bench shop, each judged by
its first card: ``text<TAB>shop<TAB>expected`` lines, where expected is the demo category or the tau
product name the first card must have, or ``none`` when nothing fits and the reply must say so
("Nothing fits that…", "Sorry, I couldn't find…"). Default: the external sets
bot/evals/data/external/search_{en,zh}.tsv."""
from __future__ import annotations

import argparse
import asyncio
from dataclasses import dataclass
from pathlib import Path

from bot.app import build_assistant
from bot.evals.dialogues import shop_template, story_settings
from bot.evals.outcomes import DATA, ask
from bot.settings import Settings
from core.assistant import Assistant
from core.turn import TurnResult

TOPIC = "search"
HELP = "product search: the first card's category (demo) or product (tau), or a plain 'nothing fits'"
FILES = (DATA / "external" / "search_en.tsv", DATA / "external" / "search_zh.tsv")
HEADER = "text\tshop\texpected"
NOTHING_FITS = ("search_none", "search_none_nearest", "search_none_at_all")


@dataclass(frozen=True)
class Search:
    """One search and what its first card must be."""

    text: str
    shop: str
    expected: str
    source: str


@dataclass(frozen=True)
class Judged:
    """What the assistant answered and whether it is what was expected."""

    search: Search
    got: str
    passed: bool


def read_searches(path: Path) -> list[Search]:
    """The lines after the ``text<TAB>shop<TAB>expected`` header; shop ``demo`` or ``tau``."""
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0].strip() != HEADER:
        raise ValueError(f"{path}:1: expected the header 'text<TAB>shop<TAB>expected'")
    searches = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) != 3 or parts[1] not in ("demo", "tau"):
            raise ValueError(f"{path}:{number}: expected 'text<TAB>demo|tau<TAB>expected', got {line!r}")
        searches.append(Search(parts[0], parts[1], parts[2], path.stem))
    return searches


def first_card(assistant: Assistant, result: TurnResult, shop: str) -> str:
    """``none`` for a plain "nothing fits", else the first card's category (demo) or title (tau), else
    the reply's template."""
    if result.templates and result.templates[0] in NOTHING_FITS:
        return "none"
    cards = [c.product_id for r in result.replies for c in r.cards]
    product = assistant.store.catalog.product(cards[0]) if cards else None
    if product is None:
        return result.templates[0] if result.templates else "no reply"
    return str(product["category"] if shop == "demo" else product["title_en"])


async def judge(searches: list[Search]) -> list[Judged]:
    """Every search in a conversation of its own, on a fresh copy of its shop."""
    assistants = {shop: build_assistant(shop_template(shop), story_settings(shop))
                  for shop in sorted({s.shop for s in searches})}
    out = []
    for n, search in enumerate(searches):
        assistant = assistants[search.shop]
        got = first_card(assistant, await ask(assistant, f"search-{n}", search.text), search.shop)
        out.append(Judged(search, got, got.lower() == search.expected.lower()))
    return out


def configure(parser: argparse.ArgumentParser) -> None:
    """``FILE ...``: search sets (default: the external zh and en sets)."""
    parser.add_argument("files", nargs="*", type=Path, help="text<TAB>shop<TAB>expected files")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print the share passed per file and each miss; 2 for a bad FILE."""
    try:
        searches = [s for path in (args.files or FILES) for s in read_searches(path)]
    except (OSError, ValueError) as exc:
        print(f"kefu eval search: {exc}")
        return 2
    results = asyncio.run(judge(searches))
    for source in dict.fromkeys(s.source for s in searches):
        mine = [r for r in results if r.search.source == source]
        passed = sum(r.passed for r in mine)
        print(f"{source}: {passed}/{len(mine)} = {passed / len(mine):.1%}")
        for r in mine:
            if not r.passed:
                print(f"  {r.search.shop:<5} expected {r.search.expected:<18} got {r.got:<18} {r.search.text}")
    return 0
