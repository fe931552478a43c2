"""Which websockets are open for each web chat session (one shopper may have several tabs)."""
from __future__ import annotations

from collections import defaultdict

from aiohttp import web


class SocketRegistry:
    """session id -> the set of open websockets of that session."""

    def __init__(self) -> None:
        self._sockets: defaultdict[str, set[web.WebSocketResponse]] = defaultdict(set)

    def add(self, session: str, ws: web.WebSocketResponse) -> bool:
        """Register an open socket of ``session``; True when it is the session's first here."""
        first = session not in self._sockets
        self._sockets[session].add(ws)
        return first

    def discard(self, session: str, ws: web.WebSocketResponse) -> bool:
        """Forget a socket (closed, or moved to another session); drop empty sessions. True when the
        session has no socket here any more."""
        sockets = self._sockets.get(session)
        if sockets is None:
            return False
        sockets.discard(ws)
        if not sockets:
            del self._sockets[session]
            return True
        return False

    def sockets(self, session: str) -> list[web.WebSocketResponse]:
        """The open sockets of one session (a copy, safe to iterate while sockets close)."""
        return [ws for ws in self._sockets.get(session, ()) if not ws.closed]

    def all(self) -> list[web.WebSocketResponse]:
        """Every registered socket."""
        return [ws for sockets in self._sockets.values() for ws in sockets]

    def __len__(self) -> int:
        """How many sessions have at least one socket."""
        return len(self._sockets)
