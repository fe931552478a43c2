"""The console's reports section: the report as JSON, CSV and PNG for owners, 400 for a bad range,
403 for agents, and the same rows as the core's report."""
from __future__ import annotations

import csv
import io
from datetime import date

import aiohttp
import pytest

from adapters.inbox import StaffInbox
from adapters.inbox.auth import AGENT
from adapters.inbox.reports import ReportsSection
from core.reports import ReportFilter, build_report
from tests.hosting import serving
from tests.reports.seed import RANGE, expected, seed
from tests.staff.conftest import PASSWORD
from tests.staff.test_inbox import login

QUERY = f"from={RANGE[0]}&to={RANGE[1]}"


@pytest.fixture
async def console(hub, store):
    seed(store)
    inbox = StaffInbox(hub, PASSWORD, [ReportsSection(store)])
    async with serving(routes=inbox.routes(), store=store) as host, \
            aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        status, _ = await login(session, host.url)
        assert status == 200
        yield host.url + "staff/api/reports", session, inbox


async def test_owners_get_the_report_as_json_csv_and_png(console, store):
    url, session, _ = console
    rows = [list(row) for row in build_report(store, ReportFilter(date.fromisoformat(RANGE[0]),
                                                                     date.fromisoformat(RANGE[1]))).rows()]
    async with session.get(f"{url}?{QUERY}") as response:
        body = await response.json()
    assert response.status == 200 and body["rows"] == rows
    assert (body["conversations"], body["handoff_reasons"]) == (expected()["conversations"], expected()["reasons"])
    async with session.get(f"{url}.csv?{QUERY}") as response:
        assert response.status == 200 and response.content_type == "text/csv"
        assert list(csv.reader(io.StringIO(await response.text()))) == [["metric", "value"], *rows]
    async with session.get(f"{url}.png?{QUERY}") as response:
        assert response.status == 200 and (await response.read()).startswith(b"\x89PNG\r\n\x1a\n")


@pytest.mark.parametrize("query", ["", "from=2026-11-05&to=2026-11-01", "from=yesterday&to=2026-11-01",
                                   "from=2020-01-01&to=2026-11-01", f"{QUERY}&lang=fr"])
async def test_a_bad_range_is_a_400_with_a_reason(console, query):
    url, session, _ = console
    for suffix in ("", ".csv", ".png"):
        async with session.get(f"{url}{suffix}?{query}") as response:
            assert response.status == 400 and (await response.json())["error"]


async def test_agents_may_not_see_reports(console):
    url, session, inbox = console
    [live] = inbox._auth._sessions._sessions.values()  # the memory sessions (adapters.inbox.auth.MemorySessions)
    live.role = AGENT
    async with session.get(f"{url}?{QUERY}") as response:
        assert response.status == 403
