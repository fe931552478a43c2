"""A fake Slack Web API (and Socket Mode websocket) on 127.0.0.1, for testing the real slack-bolt and
slack-sdk against it.

Routes are ``/api/<method>`` like Slack's. Parameters come from the query string, JSON or form bodies.
Implemented: auth.test, chat.postMessage, chat.update, chat.postEphemeral, conversations.replies (GET
only, like Slack's docs), users.info, views.open, apps.connections.open (returns ``ws://`` on this server).
Every call is recorded (:attr:`FakeSlackAPI.calls`), ephemeral messages also with their user and thread
(:attr:`FakeSlackAPI.ephemerals`); a wrong bot token gets ``invalid_auth``. Outages:
HTTP errors for the next calls of a method (:meth:`FakeSlackAPI.fail_next`), connections refused
(:meth:`FakeSlackAPI.go_down` / :meth:`FakeSlackAPI.come_back`).
Socket Mode: :meth:`FakeSlackAPI.envelope` sends an envelope to the connected app and waits for its ack.
"""
from __future__ import annotations

import asyncio
import itertools
import json
import uuid
from dataclasses import dataclass
from typing import Any

from aiohttp import WSMsgType, web

from tests.fakes.server import LoopbackServer

BOT_TOKEN = "xoxb-kefu-test"
APP_TOKEN = "xapp-kefu-test"
SIGNING_SECRET = "kefu-test-signing-secret"
TEAM, BOT_USER, STAFF_CHANNEL = "T0KEFU", "UKEFUBOT", "CSTAFF"
USERS = {"UMEI": "Mei", "ULI": "Li", "UOUT": "Outsider"}


@dataclass
class Call:
    """One request the fake answered."""

    method: str
    params: dict[str, Any]
    http_method: str


class FakeSlackAPI(LoopbackServer):
    """The Web API subset Kefu uses, with threads kept for ``conversations.replies``."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[Call] = []
        self.messages: dict[str, dict[str, Any]] = {}  # ts -> message
        self.ephemerals: list[dict[str, Any]] = []  # shown to one user only, never in a thread's replies
        self.acks: list[dict[str, Any]] = []
        self._ts = itertools.count(1)
        self._sockets: list[web.WebSocketResponse] = []
        self._acked = asyncio.Condition()
        self._failures: list[tuple[str, int]] = []

    @property
    def base_url(self) -> str:
        """What ``AsyncWebClient(base_url=…)`` takes."""
        return f"http://127.0.0.1:{self.port}/api/"

    def add_routes(self, app: web.Application) -> None:
        """The Web API methods and the Socket Mode websocket."""
        app.router.add_route("*", "/api/{method}", self._dispatch)
        app.router.add_get("/socket", self._socket)

    async def stop(self) -> None:
        """Close the open Socket Mode connections, then stop listening."""
        for ws in self._sockets:
            await ws.close()
        await super().stop()

    def fail_next(self, method: str, status: int = 503, times: int = 1) -> None:
        """The next ``times`` calls of ``method`` get HTTP ``status`` (recorded, not carried out)."""
        self._failures.extend([(method, status)] * times)

    def sent(self, method: str) -> list[Call]:
        """Calls of one method, oldest first."""
        return [c for c in self.calls if c.method == method]

    def thread(self, ts: str) -> list[dict[str, Any]]:
        """The replies in a thread, oldest first."""
        return [m for m in self.messages.values() if m.get("thread_ts") == ts and m["ts"] != ts]

    async def wait_for(self, check: Any, timeout: float = 10.0) -> Any:
        """Poll until ``check()`` is truthy; return its value."""
        async def poll() -> Any:
            while not (value := check()):
                await asyncio.sleep(0.02)
            return value
        return await asyncio.wait_for(poll(), timeout)

    async def envelope(self, kind: str, payload: dict[str, Any], retry_attempt: int = 0,
                       timeout: float = 10.0) -> dict[str, Any]:
        """Send one Socket Mode envelope to the connected app; returns its ack."""
        await self.wait_for(lambda: self._sockets)
        envelope_id = str(uuid.uuid4())
        await self._sockets[-1].send_json({"envelope_id": envelope_id, "type": kind, "payload": payload,
                                           "accepts_response_payload": kind != "events_api",
                                           "retry_attempt": retry_attempt, "retry_reason": ""})
        return await self.wait_for(lambda: next((a for a in self.acks if a.get("envelope_id") == envelope_id), None),
                                   timeout)

    # -- the server --------------------------------------------------------------------------
    async def _dispatch(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                params.update(await request.post())
        self.calls.append(Call(method, params, request.method))
        failure = next((f for f in self._failures if f[0] == method), None)
        if failure is not None:
            self._failures.remove(failure)
            return web.json_response({"ok": False, "error": "service_unavailable"}, status=failure[1])
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        expected = APP_TOKEN if method == "apps.connections.open" else BOT_TOKEN
        if token != expected:
            return web.json_response({"ok": False, "error": "invalid_auth"})
        handler = getattr(self, "_api_" + method.replace(".", "_"), None)
        if handler is None:
            return web.json_response({"ok": False, "error": "unknown_method"})
        if method == "conversations.replies" and request.method != "GET":
            return web.json_response({"ok": False, "error": "method_not_supported_for_channel_type"})
        return web.json_response({"ok": True, **handler(params)})

    def _next_ts(self) -> str:
        return f"1800000000.{next(self._ts):06d}"

    def _api_auth_test(self, _params: dict[str, Any]) -> dict[str, Any]:
        return {"url": "https://kefu-test.slack.com/", "team": "Kefu", "user": "kefu", "team_id": TEAM,
                "user_id": BOT_USER, "bot_id": "BKEFU"}

    def _api_chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("channel") or not (params.get("text") or params.get("blocks")):
            raise web.HTTPBadRequest(text="channel and text required")
        ts = self._next_ts()
        message = {"ts": ts, "channel": params["channel"], "text": params.get("text", ""),
                   "blocks": _json(params.get("blocks")), "thread_ts": params.get("thread_ts"), "bot_id": "BKEFU"}
        self.messages[ts] = message
        return {"channel": params["channel"], "ts": ts, "message": message}

    def _api_chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self.messages[params["ts"]]
        message.update(text=params.get("text", message["text"]), blocks=_json(params.get("blocks")))
        return {"channel": params["channel"], "ts": params["ts"]}

    def _api_chat_postEphemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("channel") or not params.get("user") or not (params.get("text") or params.get("blocks")):
            raise web.HTTPBadRequest(text="channel, user and text required")
        ts = self._next_ts()
        self.ephemerals.append({"message_ts": ts, "channel": params["channel"], "user": params["user"],
                                "text": params.get("text", ""), "thread_ts": params.get("thread_ts")})
        return {"message_ts": ts}

    def _api_conversations_replies(self, params: dict[str, Any]) -> dict[str, Any]:
        ts = params["ts"]
        return {"messages": [self.messages[ts], *self.thread(ts)], "has_more": False}

    def _api_users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        name = USERS.get(params.get("user", ""), "someone")
        return {"user": {"id": params.get("user"), "name": name.lower(), "real_name": name,
                         "profile": {"display_name": name}}}

    def _api_views_open(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"view": {"id": "V1", **(_json(params.get("view")) or {})}}

    def _api_apps_connections_open(self, _params: dict[str, Any]) -> dict[str, Any]:
        return {"url": f"ws://127.0.0.1:{self.port}/socket"}

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_json({"type": "hello", "num_connections": 1, "debug_info": {"host": "fake"},
                            "connection_info": {"app_id": "AKEFU"}})
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                self.acks.append(json.loads(msg.data))
        return ws


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value
