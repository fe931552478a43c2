"""``kefu bench TOPIC``: measure speed and memory and print the numbers."""
from __future__ import annotations

import argparse

from bot.benches import BENCHES
from bot.commands.topics import configure_topics, run_topic
from bot.settings import Settings

NAME = "bench"
HELP = "measure speed and memory: " + ", ".join(b.TOPIC for b in BENCHES)


def configure(parser: argparse.ArgumentParser) -> None:
    """One sub-command per benchmark topic."""
    configure_topics(parser, BENCHES)


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Run one benchmark."""
    return run_topic(args, settings, BENCHES)
