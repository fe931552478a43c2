"""The console's shell: the page composed from its sections, the static files it serves, and the role
each API route needs."""
from __future__ import annotations

import aiohttp
from aiohttp import web

from adapters.inbox import StaffInbox
from adapters.inbox.auth import AGENT, OWNER, StaffAuth
from adapters.inbox.guard import Guard
from adapters.inbox.section import ConsoleSection
from tests.hosting import serving
from tests.staff.conftest import PASSWORD
from tests.staff.test_inbox import login


class OwnersOnly(ConsoleSection):
    """A section only owners see, answering who asked."""

    name = "inbox"  # reuses the inbox's fragment and script files: the test is about the route's role
    title = {"en": "Owners", "zh": "店主"}
    role = OWNER

    def routes(self, guard: Guard) -> list[web.RouteDef]:
        async def secret(_request: web.Request, session) -> web.Response:
            return web.json_response({"staff": session.staff})
        return [web.get("/staff/api/owners/secret", guard(secret, role=OWNER))]


async def test_the_page_holds_each_section_hidden_and_its_script(inbox_web):
    async with aiohttp.ClientSession() as session, session.get(inbox_web.url + "staff") as response:
        page = await response.text()
        assert response.status == 200 and "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert '<section id="section-inbox" class="section" data-section="inbox" hidden>' in page
    assert 'id="queue"' in page and '<script src="/staff/static/inbox.js" defer></script>' in page
    assert "<!--sections-->" not in page and "<!--scripts-->" not in page


async def test_only_the_consoles_own_static_files_are_served(inbox_web):
    async with aiohttp.ClientSession() as session:
        for name, status in [("console.js", 200), ("inbox.js", 200), ("console.css", 200),
                             ("inbox.html", 404), ("console.html", 404), ("..%2Froutes.py", 404), ("nope.js", 404)]:
            async with session.get(inbox_web.url + "staff/static/" + name) as response:
                assert response.status == status, name


async def test_the_session_lists_the_sections_of_the_role_and_the_api_enforces_it(hub, store):
    inbox = StaffInbox(hub, PASSWORD, [OwnersOnly()])
    async with serving(routes=inbox.routes(), store=store) as host, \
            aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        status, body = await login(session, host.url)
        assert status == 200 and body["role"] == OWNER  # the shared password is the owner's
        assert [s["title"]["en"] for s in body["sections"]] == ["Inbox", "Owners"]
        async with session.get(host.url + "staff/api/owners/secret") as response:
            assert response.status == 200 and (await response.json())["staff"] == "Mei"
        auth: StaffAuth = inbox._auth  # the test demotes the live session to an agent's
        [live] = auth._sessions._sessions.values()  # the memory sessions (MemorySessions)
        live.role = AGENT
        async with session.get(host.url + "staff/api/owners/secret") as response:
            assert response.status == 403
        async with session.get(host.url + "staff/api/session") as response:
            assert [s["title"]["en"] for s in (await response.json())["sections"]] == ["Inbox"]
