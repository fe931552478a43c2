"""The accounts section of the console (owners): the colleagues' accounts (never a hash), and adding,
removing or resetting one, each audited with the owner's account."""
from __future__ import annotations

from dataclasses import asdict

from aiohttp import web

from adapters.inbox.accounts import AccountError, StaffAccounts
from adapters.inbox.auth import OWNER, StaffSession
from adapters.inbox.guard import Guard, json_body, json_error
from adapters.inbox.section import ConsoleSection
from core.store import Store


class AccountsSection(ConsoleSection):
    """List, add, remove and reset the console's accounts."""

    name = "team"
    title = {"en": "Accounts", "zh": "账号"}
    role = OWNER

    def __init__(self, store: Store, accounts: StaffAccounts) -> None:
        self._store = store
        self._accounts = accounts

    def routes(self, guard: Guard) -> list[web.RouteDef]:
        """The accounts, and the owner's actions on them."""
        api = "/staff/api/team"
        return [web.get(f"{api}/accounts", guard(self._list, role=OWNER)),
                web.post(f"{api}/{{verb}}", guard(self._act, post=True, role=OWNER))]

    async def _list(self, _request: web.Request, _session: StaffSession) -> web.Response:
        return web.json_response({"accounts": [asdict(a) for a in self._accounts.list()]})

    async def _act(self, request: web.Request, session: StaffSession) -> web.Response:
        verb, body = request.match_info["verb"], await json_body(request)
        name, password = str(body.get("name", "")).strip(), str(body.get("password", ""))
        if verb not in ("add", "remove", "reset"):
            return json_error(404, "no such action")
        if verb == "remove" and name == session.staff:
            return json_error(409, "you cannot remove your own account")
        try:
            if verb == "add":
                self._accounts.add(name, str(body.get("role", "")), password)
            elif verb == "reset":
                self._accounts.set_password(name, password)
            else:
                self._accounts.remove(name)
        except AccountError as exc:
            return json_error(400, str(exc))
        self._store.audit.record(session.staff, f"staff.{verb}", f"staff:{name}", {"role": body.get("role")})
        return web.json_response({"ok": True})
