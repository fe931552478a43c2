"""The console's gate for every API route: the console on, a live session, the role the route needs,
and for POSTs a JSON body with the session's CSRF token in ``X-CSRF-Token`` (a form on another site
can do neither)."""
from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from adapters.credentials import same_secret
from adapters.inbox.auth import AGENT, COOKIE, StaffAuth, StaffSession

DISABLED = ("The staff inbox is off: create an account with `kefu staff add NAME --role owner` (or, to bootstrap, "
            "set KEFU_STAFF_PASSWORD, at least 8 characters, and restart Kefu). "
            "Handoffs are still recorded (and posted to Slack when it is configured).")

Handler = Callable[[web.Request, StaffSession], Awaitable[web.StreamResponse]]
Route = Callable[[web.Request], Awaitable[web.StreamResponse]]


class Guard:
    """Wraps a handler that takes the colleague's session into an aiohttp handler that checks it first."""

    def __init__(self, auth: StaffAuth | None) -> None:
        self.auth = auth

    def off(self) -> bool:
        """Whether the console is off: no bootstrap password and no account."""
        return self.auth is None or not self.auth.enabled()

    def __call__(self, handler: Handler, post: bool = False, role: str = AGENT) -> Route:
        """``handler`` behind the checks: 503 when the console is off, 401 without a session, 403 for a
        role that does not include ``role`` or a POST without the CSRF token and a JSON body."""
        async def guarded(request: web.Request) -> web.StreamResponse:
            if self.off():
                return json_error(503, DISABLED)
            assert self.auth is not None
            session = self.auth.session(request.cookies.get(COOKIE))
            if session is None:
                return json_error(401, "log in first")
            if not session.may(role):
                return json_error(403, f"this needs the {role} role")
            if post and (not same_secret(request.headers.get("X-CSRF-Token"), session.csrf)
                         or request.content_type != "application/json"):
                return json_error(403, "missing or wrong CSRF token")
            return await handler(request, session)
        return guarded


def json_error(status: int, message: str) -> web.Response:
    """A JSON ``{"error": message}`` answer with ``status``."""
    return web.json_response({"error": message}, status=status)


async def json_body(request: web.Request) -> dict[str, Any]:
    """The request's JSON object (empty without a body); 400 for anything else."""
    if not request.can_read_body:
        return {}
    try:
        body = json.loads(await request.text())
    except ValueError:
        raise web.HTTPBadRequest(text="send a JSON body") from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="send a JSON object")
    return body
