"""``kefu bench TOPIC``: one module per topic, printing what it measured. Each defines ``TOPIC``,
``HELP``, ``configure(parser)`` and ``run(args, settings) -> int``; list it in ``BENCHES``."""
from __future__ import annotations

from types import ModuleType

from bot.benches import campaign, fanout, llm, load, nlu, recommend, replies, sentiment, shop

BENCHES: list[ModuleType] = [recommend, sentiment, llm, replies, nlu, campaign, load, fanout, shop]
