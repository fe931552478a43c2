"""The review queue's daily sample: up to N conversations the bot handled on a given day, drawn
with a generator seeded by the date (the same day gives the same sample), spread evenly over the
(channel, language) strata so a small channel or language is not crowded out."""
from __future__ import annotations

import random
from collections import defaultdict
from datetime import date
from typing import Any

DEFAULT_PER_DAY = 10


def daily_sample(conversations: list[dict[str, Any]], day: date, per_day: int = DEFAULT_PER_DAY) -> list[dict[str, Any]]:
    """Up to ``per_day`` of ``conversations`` (rows with ``id``, ``channel``, ``language``, ``status``,
    ``updated_at``) last active on ``day`` and still with the bot, taken round-robin over the strata."""
    strata: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for row in sorted(conversations, key=lambda r: r["id"]):
        if row["status"] == "bot" and str(row["updated_at"]).startswith(day.isoformat()):
            strata[(row["channel"], row["language"] or "")].append(row)
    draw = random.Random(day.isoformat())
    groups = [strata[key] for key in sorted(strata)]
    for group in groups:
        draw.shuffle(group)
    picked: list[dict[str, Any]] = []
    while len(picked) < per_day and any(groups):
        for group in groups:
            if group and len(picked) < per_day:
                picked.append(group.pop())
    return picked
