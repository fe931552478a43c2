"""The reports section of the console (owners): a range's report as JSON, CSV and a PNG chart —
the numbers ``kefu report`` prints, from the same function (core/reports)."""
from __future__ import annotations

import asyncio
import json
from dataclasses import asdict
from datetime import date

from aiohttp import web

from adapters.inbox.auth import OWNER, StaffSession
from adapters.inbox.guard import Guard
from adapters.inbox.section import ConsoleSection
from core.reports import Report, ReportFilter, build_report, to_csv, to_png
from core.store import Store

MAX_DAYS = 366
LANGUAGES = ("zh", "en")


class ReportsSection(ConsoleSection):
    """Conversations, automated resolution, handoffs, response times, intents, mood and promotions."""

    name = "reports"
    title = {"en": "Reports", "zh": "报表"}
    role = OWNER

    def __init__(self, store: Store) -> None:
        self._store = store

    def routes(self, guard: Guard) -> list[web.RouteDef]:
        """The report as JSON, as CSV and as PNG, for ?from=YYYY-MM-DD&to=YYYY-MM-DD[&channel=][&lang=]."""
        api = "/staff/api/reports"
        return [web.get(api, guard(self._json, role=OWNER)), web.get(f"{api}.csv", guard(self._csv, role=OWNER)),
                web.get(f"{api}.png", guard(self._png, role=OWNER))]

    def _report(self, request: web.Request) -> Report:
        """The report the query asks for; HTTP 400 for a bad one."""
        query = request.query
        try:
            start, end = date.fromisoformat(query.get("from", "")), date.fromisoformat(query.get("to", ""))
        except ValueError:
            raise _bad("from and to: YYYY-MM-DD days") from None
        if end < start or (end - start).days >= MAX_DAYS:
            raise _bad(f"to must be on or after from, at most {MAX_DAYS} days")
        language = query.get("lang") or None
        if language is not None and language not in LANGUAGES:
            raise _bad("lang: zh or en")
        channel = (query.get("channel") or "")[:40] or None
        return build_report(self._store, ReportFilter(start, end, channel, language))

    async def _json(self, request: web.Request, _session: StaffSession) -> web.Response:
        report = self._report(request)
        return web.json_response({**asdict(report), "scope": {**asdict(report.scope),
                                  "start": report.scope.start.isoformat(), "end": report.scope.end.isoformat()},
                                  "automated_rate": report.automated_rate, "handoff_rate": report.handoff_rate,
                                  "rows": report.rows()})

    async def _csv(self, request: web.Request, _session: StaffSession) -> web.Response:
        report = self._report(request)
        return web.Response(text=to_csv(report), content_type="text/csv", charset="utf-8",
                            headers={"Content-Disposition": f'attachment; filename="{_file(report)}.csv"'})

    async def _png(self, request: web.Request, _session: StaffSession) -> web.Response:
        report = self._report(request)
        image = await asyncio.to_thread(to_png, report)
        return web.Response(body=image, content_type="image/png",
                            headers={"Content-Disposition": f'attachment; filename="{_file(report)}.png"'})


def _bad(message: str) -> web.HTTPBadRequest:
    """A 400 answer carrying ``message`` as the console's JSON error."""
    return web.HTTPBadRequest(text=json.dumps({"error": message}), content_type="application/json")


def _file(report: Report) -> str:
    """The download's file name."""
    return f"kefu-report-{report.scope.start}-{report.scope.end}"
