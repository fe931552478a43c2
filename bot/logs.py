"""Logging set-up for the command line and the server: text or JSON lines, personal data redacted."""
from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Literal, TextIO

from core.observe.context import current_conversation
from core.observe.handles import conversation_handle, hide_conversation_ids
from core.reply.redact import redact

LogFormat = Literal["text", "json"]


class RedactingFilter(logging.Filter):
    """Replaces phones, emails, card numbers and addresses in each record's message and traceback
    (the patterns of :mod:`core.reply.redact`) and conversation ids by their handles
    (:mod:`core.observe.handles`), and tags the record with the current conversation's handle."""

    def filter(self, record: logging.LogRecord) -> bool:
        conversation = current_conversation()
        record.msg, record.args = _scrub(record.getMessage(), conversation), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = _scrub(record.exc_text, conversation)
        if not hasattr(record, "conversation_id"):
            record.conversation_id = conversation_handle(conversation) if conversation else None
        return True


def _scrub(text: str, conversation: str | None) -> str:
    """``text`` without conversation ids (handles instead) and without personal data."""
    return redact(hide_conversation_ids(text, conversation))


class JsonFormatter(logging.Formatter):
    """One JSON object a line: ``ts``, ``level``, ``logger``, ``msg``, ``conversation_id`` (the
    conversation's handle) and ``exc``."""

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
    """Timestamped text lines, with ``[conversation handle]`` when the record belongs to a turn."""

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


# APScheduler logs every run of every job at INFO ("Running job sync_campaigns …" every 30 s).
SCHEDULER_JOB_LOGGER = "apscheduler.executors.default"


class DemoteToDebug(logging.Filter):
    """Turns a logger's INFO records into DEBUG ones, dropped unless the root logger shows DEBUG."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno == logging.INFO:
            record.levelno, record.levelname = logging.DEBUG, "DEBUG"
        return logging.getLogger().isEnabledFor(record.levelno)


def configure_logging(level: str, log_format: LogFormat = "text") -> None:
    """Logs on stderr at ``level``, as text lines or JSON lines, personal data redacted
    (like :func:`logging.basicConfig`, nothing changes when the root logger already has handlers);
    the scheduler's line per job run only at DEBUG."""
    logging.basicConfig(level=level, handlers=[build_handler(log_format)])
    jobs = logging.getLogger(SCHEDULER_JOB_LOGGER)
    if not any(isinstance(f, DemoteToDebug) for f in jobs.filters):
        jobs.addFilter(DemoteToDebug())
