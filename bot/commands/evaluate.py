"""``kefu eval TOPIC``: measure quality (accuracy, F1, hit rates) and print the numbers."""
from __future__ import annotations

import argparse

from bot.commands.topics import configure_topics, run_topic
from bot.evals import EVALS
from bot.settings import Settings

NAME = "eval"
HELP = "measure quality: " + ", ".join(e.TOPIC for e in EVALS)


def configure(parser: argparse.ArgumentParser) -> None:
    """One sub-command per evaluation topic."""
    configure_topics(parser, EVALS)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run one evaluation."""
    return run_topic(args, settings, EVALS)
