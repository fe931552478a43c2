"""``kefu conversations``: recent conversations with their mood, for staff."""
from __future__ import annotations

import argparse

from bot.app import open_store
from bot.arguments import positive_int
from bot.settings import Settings
from core.observe.handles import conversation_handle
from core.sentiment.mood import mood_label

NAME = "conversations"
HELP = "list recent conversations with the shopper's mood and open handoff priority"


def configure(parser: argparse.ArgumentParser) -> None:
    """Options: how many, and only the upset ones."""
    parser.add_argument("--limit", type=positive_int, default=20, help="how many, most recent first (default: 20)")
    parser.add_argument("--upset", action="store_true", help="only conversations whose mood is below KEFU_MOOD_UPSELL_FLOOR")


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Print one row per conversation, each named by its handle (as the logs name it)."""
    store = open_store(settings)
    try:
        rows = store.conversations.recent(args.limit, upset_below=settings.kefu_mood_upsell_floor if args.upset else None)
    finally:
        store.close()
    if not rows:
        print("no conversations")
        return 0
    print(f"{'conversation':<32} {'lang':<4} {'status':<8} {'mood':>6} {'':<8} {'handoff':>7}  updated")
    for row in rows:
        mood = f"{row['mood']:+.2f}" if row["mood"] is not None else "-"
        handoff = f"P{row['handoff_priority']}" if row["handoff_priority"] else "-"
        print(f"{conversation_handle(row['id']):<32} {row['language'] or '-':<4} {row['status']:<8} {mood:>6} {mood_label(row['mood']):<8} "
              f"{handoff:>7}  {row['updated_at']}")
    return 0
