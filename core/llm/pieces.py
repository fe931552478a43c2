"""A local model's text as it decodes, cut into new pieces for a :data:`core.llm.base.TextSink`."""
from __future__ import annotations

from core.llm.base import TextSink


class TextPieces:
    """Feeds a sink the new part of a growing decoded text; holds back a half-decoded character (a
    token can end inside a UTF-8 sequence, decoded as U+FFFD until the next token completes it)."""

    def __init__(self, sink: TextSink) -> None:
        self._sink = sink
        self._sent = 0
        self.wanted = True  # False once the sink asked to stop

    def update(self, text: str) -> bool:
        """Pass on what ``text`` (everything decoded so far) adds; False when the sink wants no more."""
        text = text.lstrip()
        if text.endswith("\ufffd") or len(text) <= self._sent:
            return self.wanted
        piece, self._sent = text[self._sent:], len(text)
        self.wanted = self._sink(piece)
        return self.wanted
