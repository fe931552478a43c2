"""The copilot beside the transcript: the routes the inbox panel reads the conversation's facts
(:mod:`core.staff.copilot`) and the suggested reply (:mod:`core.suggestion`) from."""
from __future__ import annotations

from dataclasses import asdict

from aiohttp import web

from adapters.inbox.auth import StaffSession
from adapters.inbox.guard import Guard, json_error
from adapters.inbox.section import ConsoleSection
from core.assistant import Assistant
from core.staff.copilot import copilot_facts
from core.suggestion import suggest_reply


class CopilotSection(ConsoleSection):
    """Routes only: the inbox page shows the facts in its panel (it has no page of its own)."""

    name = "copilot"
    title = {"en": "Copilot", "zh": "助手"}
    page = False

    def __init__(self, assistant: Assistant) -> None:
        self._assistant = assistant

    def routes(self, guard: Guard) -> list[web.RouteDef]:
        """The facts beside one conversation and the reply the assistant would give."""
        return [web.get("/staff/api/copilot/{cid}", guard(self._facts)),
                web.get("/staff/api/copilot/{cid}/suggestion", guard(self._suggestion))]

    async def _suggestion(self, request: web.Request, _session: StaffSession) -> web.Response:
        return web.json_response({"text": await suggest_reply(self._assistant, request.match_info["cid"])})

    async def _facts(self, request: web.Request, _session: StaffSession) -> web.Response:
        facts = copilot_facts(self._assistant.store, request.match_info["cid"])
        if facts is None:
            return json_error(404, "no such conversation")
        return web.json_response(asdict(facts))
