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

    def update(self, text: str, final: bool = False) -> bool:
        """Pass on what ``text`` (everything decoded so far) adds; False when the sink wants no more.
        ``final``: decoding is over, nothing is held back (a model can write invalid UTF-8)."""
        text = text.lstrip()
        if not self.wanted:
            return False
        if (text.endswith("\ufffd") and not final) or len(text) <= self._sent:
            self.wanted = self._sink("")  # nothing new yet: only asks whether to go on
            return self.wanted
        piece, self._sent = text[self._sent:], len(text)
        self.wanted = self._sink(piece)
        return self.wanted
