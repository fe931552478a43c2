"""The HTTP host's own log (aiohttp's request handling).

aiohttp answers a request it cannot parse (a control character in a header, a line too long, bytes that
are not HTTP) with 400 itself, before any route, and logs it as an error with a traceback that quotes the
offending bytes, which may hold a cookie or a key. Here that is one INFO line naming the error; real
errors of a route (500s) keep their traceback."""
from __future__ import annotations

import logging

from aiohttp.http_exceptions import BadHttpMessage

SERVER_LOG = logging.getLogger("adapters.http.server")
"""The logger to give aiohttp's request handler (``web.AppRunner(..., logger=SERVER_LOG)``)."""


class _MalformedRequests(logging.Filter):
    """Turns aiohttp's record of a request refused as malformed into one line without the request."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, BadHttpMessage):
            record.levelno, record.levelname = logging.INFO, logging.getLevelName(logging.INFO)
            record.msg, record.args = "malformed HTTP request refused with %d (%s)", (error.code, type(error).__name__)
            record.exc_info, record.exc_text = None, None
        return True


SERVER_LOG.addFilter(_MalformedRequests())
