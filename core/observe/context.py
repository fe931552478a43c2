"""The conversation a piece of work belongs to, carried by a context variable into every log record."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_conversation: ContextVar[str | None] = ContextVar("kefu_conversation_id", default=None)


def current_conversation() -> str | None:
    """The conversation id of the turn being handled in this task, or None outside a turn."""
    return _conversation.get()


@contextmanager
def conversation_scope(conversation_id: str) -> Iterator[None]:
    """Tag everything logged inside the ``with`` block (in this task) with ``conversation_id``."""
    token = _conversation.set(conversation_id)
    try:
        yield
    finally:
        _conversation.reset(token)
