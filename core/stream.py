"""A reply shown as it is written: text released piece by piece, never taken back, then final.

A :class:`ReplyStream` is what a streamed :class:`core.messages.Reply` carries. Every reader of
:meth:`ReplyStream.pieces` gets every released piece from the first, in order, however late it starts
reading; :meth:`ReplyStream.text` waits for the whole text, which is always the released pieces
joined. Channels that show replies as they are written read the pieces; others await the text."""
from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Callable

log = logging.getLogger(__name__)


class ReplyStream(ABC):
    """Released text of one reply: pieces in order, then closed; the whole text is the pieces joined."""

    @abstractmethod
    def pieces(self) -> AsyncIterator[str]:
        """Every piece released so far and those still to come, in order, until the reply is finished."""

    @abstractmethod
    async def text(self) -> str:
        """The whole text, once the reply is finished."""

    @abstractmethod
    def on_final(self, callback: Callable[[str], None]) -> None:
        """Call ``callback(text)`` once the reply is finished (at once if it already is)."""

    async def progress(self) -> AsyncIterator[str]:
        """The text shown so far after each released piece (a growing prefix of :meth:`text`)."""
        shown = ""
        async for piece in self.pieces():
            shown += piece
            yield shown


class SentenceStream(ReplyStream):
    """The writable stream: :meth:`release` pieces, then :meth:`finish`; any number of readers."""

    def __init__(self) -> None:
        self._released: list[str] = []
        self._finished = False
        self._changed = asyncio.Event()
        self._callbacks: list[Callable[[str], None]] = []

    @property
    def released(self) -> str:
        """Everything released so far."""
        return "".join(self._released)

    @property
    def finished(self) -> bool:
        """True once :meth:`finish` was called."""
        return self._finished

    def release(self, piece: str) -> None:
        """Show ``piece`` after what was released before (it can never be taken back)."""
        if self._finished:
            raise RuntimeError("the reply is already finished")
        if piece:
            self._released.append(piece)
            self._wake()

    def finish(self) -> None:
        """No more pieces: readers stop, :meth:`text` returns, callbacks run (idempotent)."""
        if self._finished:
            return
        self._finished = True
        self._wake()
        for callback in self._callbacks:
            try:
                callback(self.released)
            except Exception:  # noqa: BLE001 - one failing listener must not keep the others from the text
                log.exception("a listener of a finished reply failed")

    def _wake(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def pieces(self) -> AsyncIterator[str]:
        """Every released piece from the first, then those still to come, until :meth:`finish`."""
        index = 0
        while True:
            changed = self._changed
            while index < len(self._released):
                yield self._released[index]
                index += 1
            if self._finished:
                return
            await changed.wait()

    async def text(self) -> str:
        """The whole text, once finished."""
        while not self._finished:
            await self._changed.wait()
        return self.released

    def on_final(self, callback: Callable[[str], None]) -> None:
        """Call ``callback(text)`` when finished (at once if already)."""
        if self._finished:
            callback(self.released)
        else:
            self._callbacks.append(callback)


class FramedStream(ReplyStream):
    """Another stream with fixed text before and after it (the tone's apology, a review invitation):
    ``opening`` is shown at once, ``closing`` after the inner stream's last piece."""

    def __init__(self, inner: ReplyStream, opening: str = "", closing: str = "") -> None:
        self.inner, self._opening, self._closing = inner, opening, closing

    async def pieces(self) -> AsyncIterator[str]:
        """The opening, the inner pieces, the closing."""
        if self._opening:
            yield self._opening
        async for piece in self.inner.pieces():
            yield piece
        if self._closing:
            yield self._closing

    def _frame(self, text: str) -> str:
        return self._opening + text + self._closing

    async def text(self) -> str:
        """The inner text, framed."""
        return self._frame(await self.inner.text())

    def on_final(self, callback: Callable[[str], None]) -> None:
        """``callback`` gets the framed text."""
        self.inner.on_final(lambda text: callback(self._frame(text)))
