"""Logging set-up for the command line and the server: text or JSON lines, personal data redacted."""
from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Literal, TextIO

from core.observe.context import current_conversation
from core.reply.redact import redact

LogFormat = Literal["text", "json"]


class RedactingFilter(logging.Filter):
    """Replaces phones, emails, card numbers and addresses in each record's message and traceback
    (the patterns of :mod:`core.reply.redact`) and tags the record with the current conversation id."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg, record.args = redact(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if not hasattr(record, "conversation_id"):
            record.conversation_id = current_conversation()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: ``ts``, ``level``, ``logger``, ``msg``, ``conversation_id`` and ``exc``."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {"ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
                 "level": record.levelname, "logger": record.name, "msg": record.getMessage(),
                 "conversation_id": getattr(record, "conversation_id", None)}
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exc"] = record.exc_text
        return json.dumps(entry, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """Timestamped text lines, with ``[conversation id]`` when the record belongs to a turn."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(conversation_tag)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        conversation = getattr(record, "conversation_id", None)
        record.conversation_tag = f" [{conversation}]" if conversation else ""
        return super().format(record)


def build_handler(log_format: LogFormat = "text", stream: TextIO | None = None) -> logging.Handler:
    """A stream handler (stderr by default) in ``log_format`` that redacts personal data."""
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    return handler


def configure_logging(level: str, log_format: LogFormat = "text") -> None:
    """Logs on stderr at ``level``, as text lines or JSON lines, personal data redacted
    (like :func:`logging.basicConfig`, nothing changes when the root logger already has handlers)."""
    logging.basicConfig(level=level, handlers=[build_handler(log_format)])
