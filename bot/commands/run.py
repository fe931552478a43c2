"""``kefu run``: serve the web chat and every configured channel until Ctrl-C."""
from __future__ import annotations

import argparse
import asyncio

from bot.settings import Settings

NAME = "run"
HELP = "serve the web chat (and configured channels) until Ctrl-C"


def configure(parser: argparse.ArgumentParser) -> None:
    """No options: everything comes from settings."""


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Serve until a signal arrives."""
    from bot.serve import serve
    asyncio.run(serve(settings))
    return 0
