"""``kefu eval TOPIC``: one module per topic. Each defines ``TOPIC``, ``HELP``,
``configure(parser)`` and ``run(args, settings) -> int``; list it in ``EVALS`` to add it."""
from __future__ import annotations

from types import ModuleType

from bot.evals import dialogues, human, nlu, parity, recommend, replies, retrieval, search, sentiment
from bot.evals.simulate import cli as simulate

EVALS: list[ModuleType] = [recommend, sentiment, nlu, replies, dialogues, simulate, human, parity, retrieval, search]
