"""The search section of the console: full-text search over every transcript with filters; a result
opens the conversation read-only in the review section, where its replies can be reviewed."""
from __future__ import annotations

from collections.abc import Mapping

from aiohttp import web

from adapters.inbox.auth import StaffSession
from adapters.inbox.guard import Guard, json_error
from adapters.inbox.section import ConsoleSection
from adapters.inbox.transcript_search import Filters, TranscriptSearch
from core.messages import LANGUAGES

MAX_QUERY = 200
MOODS = ("upset", "unhappy", "neutral", "happy", "-")


class SearchSection(ConsoleSection):
    """Search the transcripts."""

    name = "search"
    title = {"en": "Search", "zh": "搜索对话"}

    def __init__(self, index: TranscriptSearch) -> None:
        self._index = index

    def routes(self, guard: Guard) -> list[web.RouteDef]:
        """One search route: ``q`` and the filters as query parameters."""
        return [web.get("/staff/api/search", guard(self._search))]

    async def _search(self, request: web.Request, _session: StaffSession) -> web.Response:
        query = request.query.get("q", "").strip()
        if not query or len(query) > MAX_QUERY:
            return json_error(400, f"q: 1 to {MAX_QUERY} characters")
        try:
            filters = _filters(request.query, csat_known=self._index.csat is not None)
        except ValueError as exc:
            return json_error(400, str(exc))
        return web.json_response({"results": self._index.search(query, filters)})


def _filters(params: Mapping[str, str], csat_known: bool) -> Filters:
    """The filters of a search request; ValueError naming a bad one."""
    language, mood = params.get("language") or None, params.get("mood") or None
    if language is not None and language not in LANGUAGES:
        raise ValueError(f"language: one of {', '.join(LANGUAGES)}")
    if mood is not None and mood not in MOODS:
        raise ValueError(f"mood: one of {', '.join(MOODS)}")
    handed = params.get("handed_off") or None
    if handed not in (None, "yes", "no"):
        raise ValueError("handed_off: yes or no")
    csat = params.get("csat_at_least") or None
    if csat is not None and (not csat_known or csat not in "12345" or len(csat) != 1):
        raise ValueError("csat_at_least: 1 to 5 (and only where CSAT is recorded)")
    return Filters(channel=params.get("channel") or None, language=language, mood=mood,
                   handed_off=None if handed is None else handed == "yes",
                   csat_at_least=int(csat) if csat else None)
