"""Logging set-up for the command line and the server."""
from __future__ import annotations

import logging


def configure_logging(level: str) -> None:
    """Plain, timestamped logs on stderr."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
