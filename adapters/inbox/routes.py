"""The console at ``/staff``: the page (every section's fragment and script composed into it), its
static files, and the session API (who is logged in, their role, their sections, the CSRF token).
The sections' own routes come from each :class:`ConsoleSection`; the inbox section is always there."""
from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from aiohttp import web

from adapters.inbox.accounts import StaffAccounts
from adapters.inbox.auth import COOKIE, SESSION_S, StaffAuth, StaffSession, StaffSessions
from adapters.inbox.guard import DISABLED, Guard, json_body, json_error
from adapters.inbox.handoffs import HandoffSection
from adapters.inbox.section import ConsoleSection
from core.ratelimit import Limits
from core.staff import HandoffHub

STATIC_DIR = Path(__file__).parent / "static"
_STATIC_NAME = re.compile(r"[a-z0-9_-]+\.(?:js|css|png|svg)")
_CSP = ("default-src 'self'; connect-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'")

_BOOTSTRAP = {"en": "Logged in with the shared bootstrap password: create accounts with kefu staff add "
                    "(then only accounts log in).",
              "zh": "正在使用共享的初始密码登录：请用 kefu staff add 创建账号（之后只有账号可以登录）。"}


class StaffInbox:
    """Serves the console at ``/staff``; without an account or a bootstrap password every route answers 503
    with how to turn it on (an account added later turns it on without a restart)."""

    def __init__(self, hub: HandoffHub, password: str | None, sections: Sequence[ConsoleSection] = (),
                 accounts: StaffAccounts | None = None, limits: Limits | None = None,
                 sessions: StaffSessions | None = None) -> None:
        """``limits`` and ``sessions``: where the login lockout counts and the login sessions live (this
        process's memory by default; the store when several workers share it)."""
        self._auth = StaffAuth(password, accounts, limits, sessions) if password or accounts is not None else None
        self._guard = Guard(self._auth)
        self._sections: list[ConsoleSection] = [HandoffSection(hub), *sections]
        self._static = {path.name for path in STATIC_DIR.iterdir() if _STATIC_NAME.fullmatch(path.name)}

    def routes(self) -> list[web.RouteDef]:
        """The console's routes for :meth:`adapters.http.HttpHost.mount`."""
        api = "/staff/api"
        shell = [web.get("/staff", self._page), web.get("/staff/", self._page),
                 web.get("/staff/static/{name}", self._static_file),
                 web.get(f"{api}/session", self._session),
                 web.post(f"{api}/login", self._login),
                 web.post(f"{api}/logout", self._guard(self._logout, post=True))]
        return shell + [route for section in self._sections for route in section.routes(self._guard)]

    async def _page(self, _request: web.Request) -> web.StreamResponse:
        if self._guard.off():
            return web.Response(status=503, text=DISABLED)
        return web.Response(text=self._compose(), content_type="text/html",
                            headers={"Content-Security-Policy": _CSP, "X-Frame-Options": "DENY"})

    def _compose(self) -> str:
        """console.html with each section's fragment (hidden until chosen) and script in it."""
        pages = [s for s in self._sections if s.page]
        fragments = "\n".join(
            f'<section id="section-{s.name}" class="section" data-section="{s.name}" hidden>\n'
            f'{(STATIC_DIR / f"{s.name}.html").read_text(encoding="utf-8")}</section>' for s in pages)
        scripts = "\n".join(f'<script src="/staff/static/{s.name}.js" defer></script>' for s in pages)
        page = (STATIC_DIR / "console.html").read_text(encoding="utf-8")
        return page.replace("<!--sections-->", fragments).replace("<!--scripts-->", scripts)

    async def _static_file(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if name not in self._static:
            raise web.HTTPNotFound()
        return web.FileResponse(STATIC_DIR / name)

    def _visible(self, session: StaffSession) -> list[dict[str, object]]:
        return [{"name": s.name, "title": s.title} for s in self._sections if s.page and session.may(s.role)]

    async def _session(self, request: web.Request) -> web.Response:
        if self._guard.off() or self._auth is None:
            return json_error(503, DISABLED)
        session = self._auth.session(request.cookies.get(COOKIE))
        if session is None:
            return web.json_response({"staff": None, "csrf": None, "role": None, "sections": []})
        return web.json_response(self._described(session))

    def _described(self, session: StaffSession) -> dict[str, object]:
        return {"staff": session.staff, "csrf": session.csrf, "role": session.role,
                "sections": self._visible(session),
                "notice": _BOOTSTRAP if session.bootstrap else None}

    async def _login(self, request: web.Request) -> web.Response:
        if self._guard.off() or self._auth is None:
            return json_error(503, DISABLED)
        if request.content_type != "application/json":
            return json_error(415, "send JSON")
        body = await json_body(request)
        name, password = str(body.get("name", "")).strip()[:40], str(body.get("password", ""))
        if not name or not name.isprintable():  # shown to shoppers and stored: text, no control characters
            return json_error(400, "enter your name")
        made = self._auth.login(name, password, request.remote or "?")
        if made is None:
            return json_error(401, "wrong password (or too many tries: wait a minute)")
        token, session = made
        response = web.json_response(self._described(session))
        response.set_cookie(COOKIE, token, max_age=SESSION_S, httponly=True, samesite="Strict", path="/staff",
                            secure=request.secure)
        return response

    async def _logout(self, request: web.Request, _session: StaffSession) -> web.Response:
        assert self._auth is not None
        self._auth.logout(request.cookies.get(COOKIE))
        response = web.json_response({"ok": True})
        response.del_cookie(COOKIE, path="/staff")
        return response
