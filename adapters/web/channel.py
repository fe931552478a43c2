"""The web chat channel: the demo shop page, the widget and its websocket, served by the HTTP host
(:mod:`adapters.http`).

Routes: ``GET /`` (demo shop page), ``GET /static/…`` (widget files), ``GET /ws`` (the chat
websocket, protocol in docs/WEB_CHAT.md and :mod:`adapters.web.protocol`).

Session ids are the server's (:mod:`adapters.web.session_ids`): a hello with an id it never issued
gets a fresh one. A hello writes nothing; the first message of a session writes its conversation,
and new conversations are limited per client address and overall (:mod:`adapters.web.limits`).

With several workers (docs/SCALING.md) a whole message sent outside a turn (a staff reply, a handoff
notice, a CSAT question, a promotion) goes to this worker's sockets of the session and, through the
outbound bus (:mod:`core.fanout`), to the other workers' sockets of it; which sessions have a socket
here is announced to the others (presence). Stopping drains: new sockets get 503, running turns
finish, then every socket is closed with 1012 (service restart) and the widget reconnects.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aiohttp import WSCloseCode, WSMsgType, web

from adapters.web.limits import NewConversationLimit
from adapters.web.protocol import Chat, FrameError, Hello, error_frame, parse_frame
from adapters.web.push import push_to_session
from adapters.web.session_ids import SessionIds
from adapters.web.sessions import SocketRegistry
from adapters.web.streaming import reply_frames
from core.assistant import Assistant
from core.channel import Channel
from core.fanout import LocalBus, LocalPresence, OutboundBus, Presence
from core.i18n import t
from core.language import detect_language
from core.messages import Identity, InboundMessage, Language, Outbound, Reply, Typing
from core.observe import metrics
from core.turn import TurnResult

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).parent / "static"
_WS_READ_LIMIT = 256 * 1024
"""aiohttp closes the socket (1009) above this; frames between 16 KiB and this get an error frame."""
_HEARTBEAT_S = 30.0
_CLOSE_TIMEOUT_S = 2.0
"""How long closing a socket waits for the browser's close frame."""
_DRAIN_TIMEOUT_S = 10.0
"""How long stopping waits for running turns before it closes the sockets anyway."""
_SESSION_KEY = "web_session"
"""The install secret session ids are signed with (:class:`core.store.secrets.InstallSecrets`)."""
_PAGE_CSP = ("default-src 'self'; img-src * data:; connect-src 'self' ws: wss:; "
             "script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'none'")


@dataclass
class _Connection:
    """One open websocket, the client's address (the source of its messages: the identity check's and
    the new-conversation limits count per source) and the session it joined (None until its hello)."""

    ws: web.WebSocketResponse
    address: str
    session: str | None = None
    lang: Language | None = None


class WebChannel(Channel):
    """Serves the chat widget and relays its websocket frames to the assistant."""

    name = "web"

    def __init__(self, assistant: Assistant, new_conversations: NewConversationLimit | None = None,
                 bus: OutboundBus | None = None, presence: Presence | None = None) -> None:
        """``new_conversations``: how many conversations may start a minute (None: no limit); ``bus`` and
        ``presence``: the other workers' (one worker by default)."""
        self.assistant = assistant
        self._new_conversations = new_conversations
        self._session_ids = SessionIds(assistant.store.secrets.get(_SESSION_KEY))
        self._registry = SocketRegistry()
        self._bus = bus or LocalBus()
        self._presence = presence or LocalPresence()
        self._bus.subscribe(self.name, self._deliver_published)
        self._running = False
        self._turns = 0
        self._idle = asyncio.Event()
        self._idle.set()

    def routes(self) -> list[web.AbstractRouteDef]:
        """The page, the widget files and the websocket, for the HTTP host."""
        return [web.get("/", self._index), web.get("/ws", self._websocket),
                web.static("/static/", STATIC_DIR, follow_symlinks=False)]

    # -- lifecycle -----------------------------------------------------------------------
    async def start(self) -> None:
        """Announce this worker, listen to the others, take websocket connections (the HTTP host serves them)."""
        await self._presence.start()
        await self._bus.start()
        self._running = True
        log.info("web chat ready at /ws")

    async def stop(self) -> None:
        """Drain: refuse new sockets (503), let running turns finish (up to a few seconds), then close
        every socket at once with 1012 (service restart): the widget reconnects, behind a balancer to
        another worker, and resends what was not answered (by id: answered once)."""
        self._running = False
        if self._turns:
            log.info("web chat draining: waiting for %d running turn(s)", self._turns)
            try:
                await asyncio.wait_for(self._idle.wait(), _DRAIN_TIMEOUT_S)
            except TimeoutError:
                log.warning("web chat: %d turn(s) still running after %.0f s; closing anyway", self._turns,
                            _DRAIN_TIMEOUT_S)
        await asyncio.gather(*(ws.close(code=WSCloseCode.SERVICE_RESTART, message=b"server restart")
                               for ws in self._registry.all()), return_exceptions=True)
        await self._bus.stop()
        await self._presence.stop()

    def is_connected(self, session: str) -> bool:
        """Whether the web session has a page open (a socket to push to) on this worker or another."""
        return bool(self._registry.sockets(session)) or self._presence.elsewhere(self.name, session)

    async def send(self, identity: Identity, outbound: Outbound) -> None:
        """Push a reply or typing indicator to every open socket of the web session here; a reply
        (a whole message) is published to the other workers' sockets of it too."""
        if identity.channel != self.name:
            raise ValueError(f"the web channel cannot send to {identity.channel!r} identities")
        frame = outbound.to_dict()
        here = await self._deliver(identity.user_id, frame)
        elsewhere = False
        if isinstance(outbound, Reply):
            await self._bus.publish(self.name, identity.user_id, frame)
            elsewhere = not here and self._presence.elsewhere(self.name, identity.user_id)
        if not here and not elsewhere:
            log.info("web session %s has no open socket; %s not delivered", identity.handle,
                     type(outbound).__name__)

    async def _deliver(self, session: str, frame: dict[str, Any]) -> bool:
        """Send ``frame`` to this worker's open sockets of ``session``; whether it has any."""
        sockets = self._registry.sockets(session)
        for ws in sockets:
            await _send(ws, frame)
        return bool(sockets)

    async def _deliver_published(self, session: str, frame: dict[str, Any]) -> None:
        """Another worker's message for ``session``: to the sockets this worker holds of it."""
        await self._deliver(session, frame)

    async def push(self, key: str, identity: Identity, reply: Reply) -> None:
        """A promotion, while the shopper's session has a page open (:mod:`adapters.web.push`)."""
        await push_to_session(self, identity, reply)

    # -- HTTP routes ---------------------------------------------------------------------
    async def _index(self, _request: web.Request) -> web.StreamResponse:
        """The demo shop page with the widget."""
        return web.FileResponse(STATIC_DIR / "index.html", headers={"Content-Security-Policy": _PAGE_CSP})

    # -- websocket -----------------------------------------------------------------------
    async def _websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One browser connection: hello first, then messages and button presses, in order (503 while
        the channel is stopped)."""
        if not self._running:
            raise web.HTTPServiceUnavailable(text="the web chat is not running")
        ws = web.WebSocketResponse(heartbeat=_HEARTBEAT_S, max_msg_size=_WS_READ_LIMIT, timeout=_CLOSE_TIMEOUT_S)
        await ws.prepare(request)
        connection = _Connection(ws, request.remote or "")
        try:
            async for msg in ws:
                if msg.type == WSMsgType.TEXT:
                    await self._on_text(connection, msg.data)
                elif msg.type == WSMsgType.BINARY:
                    await _send(ws, error_frame("binary frames are not supported; send JSON text"))
        finally:
            self._detach(connection)
        return ws

    async def _on_text(self, connection: _Connection, raw: str) -> None:
        """Validate one frame and dispatch it; a bad frame gets an error and the socket stays open."""
        try:
            frame = parse_frame(raw)
        except FrameError as exc:
            await _send(connection.ws, error_frame(str(exc)))
            return
        if isinstance(frame, Hello):
            await self._on_hello(connection, frame)
        elif connection.session is None:
            await _send(connection.ws, error_frame("send a hello frame before any message"))
        else:
            await self._on_chat(connection, frame)

    async def _on_hello(self, connection: _Connection, hello: Hello) -> None:
        """Join the session offered if the server gave it out, else a fresh one, and say welcome."""
        if connection.session is not None:
            await _send(connection.ws, error_frame("hello was already received on this connection"))
            return
        offered = hello.session
        connection.session = offered if offered is not None and self._known(offered) else self._session_ids.issue()
        connection.lang = hello.lang
        self._attach(connection)
        await _send(connection.ws, {"type": "welcome", "session": connection.session})

    async def _on_chat(self, connection: _Connection, chat: Chat) -> None:
        """Typing at once, then the assistant's replies (streamed ones as they are written). A message
        resent with the id of a turn that already completed is not handled again: that turn's saved
        replies are sent again instead (they may have been cut off by a restart after the turn was
        saved). A turn that erased the shopper's data restarts the session."""
        assert connection.session is not None
        self._turns += 1
        self._idle.clear()
        try:
            await self._turn(connection, chat)
        finally:
            self._turns -= 1
            if not self._turns:
                self._idle.set()

    async def _turn(self, connection: _Connection, chat: Chat) -> None:
        assert connection.session is not None
        await _send(connection.ws, Typing().to_dict())
        identity = Identity(self.name, connection.session)
        message = InboundMessage(identity, text=chat.text, payload=chat.payload, message_id=chat.client_id,
                                 language_hint=connection.lang, source=connection.address or None, streams=True)
        existed = self.assistant.store.conversations.get(identity.conversation_id) is not None
        if existed or self._new_conversations is None or self._new_conversations.allow(connection.address):
            result = await self.assistant.handle(message)
        else:
            metrics.TURNS.labels(self.name, "rate_limited").inc()
            busy = _busy_reply(chat, connection.lang)
            result = TurnResult([busy], busy.language)
        async for frame in reply_frames(list(result.earlier_replies) if result.duplicate else result.replies):
            await _send(connection.ws, {**frame, "in_reply_to": chat.client_id} if chat.client_id else frame)
        if result.erased:
            await self._restart_session(connection)

    async def _restart_session(self, connection: _Connection) -> None:
        """The shopper's data was just erased, this conversation included: the connection carries on
        as a new session, and the ``erased`` frame tells the widget to forget its stored history."""
        self._detach(connection)
        connection.session = self._session_ids.issue()
        self._attach(connection)
        await _send(connection.ws, {"type": "erased", "session": connection.session})

    def _attach(self, connection: _Connection) -> None:
        """Register the connection's socket under its session (announced when it is the first here)."""
        assert connection.session is not None
        if self._registry.add(connection.session, connection.ws):
            self._presence.join(self.name, connection.session)

    def _detach(self, connection: _Connection) -> None:
        """Forget the connection's socket (the session withdrawn when it was the last here)."""
        if connection.session is not None and self._registry.discard(connection.session, connection.ws):
            self._presence.leave(self.name, connection.session)

    def _known(self, session: str) -> bool:
        """Whether a hello may resume ``session``: an id this install issued, or (ids issued before they
        were signed) one whose conversation is in the store."""
        return self._session_ids.issued(session) or \
            self.assistant.store.conversations.get(Identity(self.name, session).conversation_id) is not None


def _busy_reply(chat: Chat, hint: Language | None) -> Reply:
    """The polite "too many new chats, try again in a minute", in the language the shopper wrote."""
    language = detect_language(chat.text, hint or "en").language
    return Reply(t("new_chats_busy", language), language=language)


async def _send(ws: web.WebSocketResponse, frame: dict[str, Any]) -> bool:
    """Send one JSON frame; False (not an exception) when the socket already went away."""
    if ws.closed:
        return False
    try:
        await ws.send_json(frame)
    except ConnectionError:
        return False
    return True
