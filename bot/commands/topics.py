"""A subcommand whose work is split into topics (``kefu eval nlu``, ``kefu bench recommend``)."""
from __future__ import annotations

import argparse
from types import ModuleType

from bot.settings import Settings


def configure_topics(parser: argparse.ArgumentParser, topics: list[ModuleType]) -> None:
    """One sub-parser per topic module."""
    sub = parser.add_subparsers(dest="topic", required=True, metavar="TOPIC")
    for topic in topics:
        topic.configure(sub.add_parser(topic.TOPIC, help=topic.HELP))


def run_topic(args: argparse.Namespace, settings: Settings, topics: list[ModuleType]) -> int:
    """Run the chosen topic."""
    return next(t for t in topics if t.TOPIC == args.topic).run(args, settings)
