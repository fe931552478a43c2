"""``kefu run``: serve the web chat and every configured channel until Ctrl-C."""
from __future__ import annotations

import argparse
import asyncio
import errno

from bot.errors import CommandError
from bot.settings import Settings

_CANNOT_LISTEN = {errno.EADDRINUSE, errno.EADDRNOTAVAIL, errno.EACCES}
"""Errors binding the web server's address (taken, not on this machine, a privileged port)."""

NAME = "run"
HELP = "serve the web chat (and configured channels) until Ctrl-C"


def configure(parser: argparse.ArgumentParser) -> None:
    """No options: everything comes from settings."""


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Serve until a signal arrives; exit status 1 when the server cannot listen (port taken)."""
    from bot.serve import serve
    try:
        asyncio.run(serve(settings))
    except OSError as exc:
        if exc.errno not in _CANNOT_LISTEN:
            raise
        raise CommandError(f"cannot listen on {settings.kefu_host}:{settings.kefu_port}: {exc.strerror or exc}",
                           status=1) from None
    return 0
