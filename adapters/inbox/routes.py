"""The staff inbox's routes: the page, a JSON API for the queue, one conversation, claim / reply /
resolve. Every API call needs a session; every POST a JSON body and the session's CSRF token in
``X-CSRF-Token`` (a form on another site can do neither)."""
from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp import web

from adapters.credentials import same_secret
from adapters.inbox.auth import COOKIE, SESSION_S, StaffAuth, StaffSession
from core.sentiment.mood import mood_label
from core.staff import HandoffError, HandoffHub

STATIC_DIR = Path(__file__).parent / "static"
_CSP = ("default-src 'self'; connect-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")
DISABLED = ("The staff inbox is off: set KEFU_STAFF_PASSWORD (at least 8 characters) and restart Kefu. "
            "Handoffs are still recorded (and posted to Slack when it is configured).")
_MAX_REPLY = 4000

Handler = Callable[[web.Request, StaffSession], Awaitable[web.StreamResponse]]


class StaffInbox:
    """Serves ``/staff``; without a password every route answers 503 with how to turn it on."""

    def __init__(self, hub: HandoffHub, password: str | None) -> None:
        self._hub = hub
        self._auth = StaffAuth(password) if password else None

    def routes(self) -> list[web.RouteDef]:
        """The inbox's routes for :meth:`adapters.http.HttpHost.mount`."""
        api = "/staff/api"
        return [
            web.get("/staff", self._page), web.get("/staff/", self._page),
            web.get("/staff/static/{name}", self._static),
            web.get(f"{api}/session", self._session),
            web.post(f"{api}/login", self._login),
            web.post(f"{api}/logout", self._guarded(self._logout, post=True)),
            web.get(f"{api}/conversations", self._guarded(self._list)),
            web.get(f"{api}/conversations/{{cid}}", self._guarded(self._conversation)),
            web.post(f"{api}/conversations/{{cid}}/{{verb}}", self._guarded(self._act, post=True)),
        ]

    # -- page and login ----------------------------------------------------------------------
    async def _page(self, _request: web.Request) -> web.StreamResponse:
        if self._auth is None:
            return web.Response(status=503, text=DISABLED)
        return web.FileResponse(STATIC_DIR / "inbox.html", headers={"Content-Security-Policy": _CSP,
                                                                   "X-Frame-Options": "DENY"})

    async def _static(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if name not in {"inbox.js", "inbox.css"}:
            raise web.HTTPNotFound()
        return web.FileResponse(STATIC_DIR / name)

    async def _session(self, request: web.Request) -> web.Response:
        if self._auth is None:
            return web.json_response({"error": DISABLED}, status=503)
        session = self._auth.session(request.cookies.get(COOKIE))
        return web.json_response({"staff": session.staff if session else None,
                                  "csrf": session.csrf if session else None})

    async def _login(self, request: web.Request) -> web.Response:
        if self._auth is None:
            return web.json_response({"error": DISABLED}, status=503)
        if request.content_type != "application/json":
            return web.json_response({"error": "send JSON"}, status=415)
        body = await _json_body(request)
        name, password = str(body.get("name", "")).strip()[:40], str(body.get("password", ""))
        if not name or not name.isprintable():  # shown to shoppers and stored: text, no control characters
            return web.json_response({"error": "enter your name"}, status=400)
        made = self._auth.login(name, password, request.remote or "?")
        if made is None:
            return web.json_response({"error": "wrong password (or too many tries: wait a minute)"}, status=401)
        token, session = made
        response = web.json_response({"staff": session.staff, "csrf": session.csrf})
        response.set_cookie(COOKIE, token, max_age=SESSION_S, httponly=True, samesite="Strict", path="/staff",
                            secure=request.secure)
        return response

    async def _logout(self, request: web.Request, _session: StaffSession) -> web.Response:
        assert self._auth is not None
        self._auth.logout(request.cookies.get(COOKIE))
        response = web.json_response({"ok": True})
        response.del_cookie(COOKIE, path="/staff")
        return response

    def _guarded(self, handler: Handler, post: bool = False) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        """Require the inbox on, a session, and for POSTs a JSON body with the session's CSRF token."""
        async def guarded(request: web.Request) -> web.StreamResponse:
            if self._auth is None:
                return web.json_response({"error": DISABLED}, status=503)
            session = self._auth.session(request.cookies.get(COOKIE))
            if session is None:
                return web.json_response({"error": "log in first"}, status=401)
            if post and (not same_secret(request.headers.get("X-CSRF-Token"), session.csrf)
                         or request.content_type != "application/json"):
                return web.json_response({"error": "missing or wrong CSRF token"}, status=403)
            return await handler(request, session)
        return guarded

    # -- the inbox ---------------------------------------------------------------------------
    async def _list(self, _request: web.Request, _session: StaffSession) -> web.Response:
        now = datetime.now(UTC)
        items = [{"conversation_id": row["conversation_id"], "handoff": row["id"], "status": row["status"],
                  "reason": row["reason"], "priority": row["priority"], "customer": row["customer"],
                  "channel": row["channel"], "language": row["language"], "mood": mood_label(row["mood"]),
                  "claimed_by": row["claimed_by"],
                  "waiting_s": int((now - datetime.fromisoformat(row["created_at"])).total_seconds())}
                 for row in self._hub.queue()]
        return web.json_response({"conversations": items})

    async def _conversation(self, request: web.Request, _session: StaffSession) -> web.Response:
        cid = request.match_info["cid"]
        handoff = self._hub.open_handoff(cid)
        if handoff is None:
            return web.json_response({"error": "no open handoff in this conversation"}, status=404)
        card = await self._hub.card(handoff["id"])
        transcript = [{"author": _author(m), "text": m["text"], "at": m["created_at"]}
                      for m in self._hub.store.conversations.transcript(cid) if m["text"]]
        return web.json_response({"card": asdict(card), "transcript": transcript})

    def _shown_handoff(self, cid: str, body: dict[str, Any]) -> int:
        """The handoff whose card the colleague acted on (``handoff_id``; a page that was open while a
        newer handoff began still acts on its own), else the conversation's open one."""
        shown = body.get("handoff_id")
        if shown is None:
            return self._hub.open_handoff_id(cid)
        if not isinstance(shown, int) or isinstance(shown, bool):
            raise web.HTTPBadRequest(text=json.dumps({"error": "handoff_id: a number"}), content_type="application/json")
        return self._hub.handoff_in(cid, shown)

    async def _act(self, request: web.Request, session: StaffSession) -> web.Response:
        cid, verb = request.match_info["cid"], request.match_info["verb"]
        body = await _json_body(request)
        try:
            handoff_id = self._shown_handoff(cid, body)
            if verb == "claim":
                await self._hub.claim(handoff_id, session.staff, origin="inbox")
            elif verb == "reply":
                text = str(body.get("text", ""))
                if len(text) > _MAX_REPLY:
                    return web.json_response({"error": f"at most {_MAX_REPLY} characters"}, status=400)
                await self._hub.reply(handoff_id, session.staff, text, origin="inbox")
            elif verb == "resolve":
                await self._hub.resolve(handoff_id, session.staff,
                                        back_to_bot=bool(body.get("back_to_bot")), origin="inbox")
            else:
                raise web.HTTPNotFound()
        except HandoffError as exc:
            return web.json_response({"error": str(exc)}, status=409)
        return web.json_response({"ok": True})


def _author(message: dict[str, Any]) -> str:
    if message["direction"] == "in":
        return "shopper"
    payload = message.get("payload") or {}
    return payload.get("staff", "assistant") if payload.get("type") == "staff" else "assistant"


async def _json_body(request: web.Request) -> dict[str, Any]:
    if not request.can_read_body:
        return {}
    try:
        body = json.loads(await request.text())
    except ValueError:
        raise web.HTTPBadRequest(text="send a JSON body") from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="send a JSON object")
    return body
