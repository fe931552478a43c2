"""The copilot beside the transcript: the route the inbox panel reads the conversation's facts from
(:mod:`core.staff.copilot`)."""
from __future__ import annotations

from dataclasses import asdict

from aiohttp import web

from adapters.inbox.auth import StaffSession
from adapters.inbox.guard import Guard, json_error
from adapters.inbox.section import ConsoleSection
from core.staff.copilot import copilot_facts
from core.store import Store


class CopilotSection(ConsoleSection):
    """Routes only: the inbox page shows the facts in its panel (it has no page of its own)."""

    name = "copilot"
    title = {"en": "Copilot", "zh": "助手"}
    page = False

    def __init__(self, store: Store) -> None:
        self._store = store

    def routes(self, guard: Guard) -> list[web.RouteDef]:
        """The facts beside one conversation."""
        return [web.get("/staff/api/copilot/{cid}", guard(self._facts))]

    async def _facts(self, request: web.Request, _session: StaffSession) -> web.Response:
        facts = copilot_facts(self._store, request.match_info["cid"])
        if facts is None:
            return json_error(404, "no such conversation")
        return web.json_response(asdict(facts))
