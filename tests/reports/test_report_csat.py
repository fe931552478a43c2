"""CSAT in the report of a range, against a seeded store: average, count, distribution 1–5, response rate,
per channel and language; the same rows in ``kefu report``, the console's JSON and the CSV."""
from __future__ import annotations

import csv
import io
from datetime import date

import aiohttp
import pytest

from adapters.inbox import StaffInbox
from adapters.inbox.reports import ReportsSection
from core.reports import ReportFilter, build_report, to_png
from core.store import Store
from tests.helpers import run_kefu
from tests.hosting import serving
from tests.reports.seed import RANGE, seed
from tests.staff.conftest import PASSWORD
from tests.staff.test_inbox import login

# Under --db-engine postgresql the stores on file paths here are PostgreSQL databases too (tests/conftest.py).
pytestmark = pytest.mark.file_stores

SCOPE = ReportFilter(date.fromisoformat(RANGE[0]), date.fromisoformat(RANGE[1]))
# (conversation, channel, user, language, score, comment): seed.py's conversations; web:z is outside the range
RATINGS = [("web:a", "web", "a", "en", 5, None), ("web:b", "web", "b", "zh", None, None),
           ("telegram:c", "telegram", "c", "en", 2, "slow answer"), ("wechat:a2", "wechat", "a2", "zh", 4, None),
           ("web:z", "web", "z", "en", 1, None)]


def seed_csat(store: Store) -> Store:
    """seed.py's store, with a CSAT question asked in five of its conversations."""
    seed(store)
    for conversation, channel, user, language, score, comment in RATINGS:
        rating = store.csat.record_ask(conversation, channel, user, None, language, "bot", at="2026-11-03T12:00:00+00:00")
        if score is not None:
            store.csat.answer(rating, score, at="2026-11-03T12:01:00+00:00")
        if comment:
            store.csat.comment(rating, comment)
    return store


@pytest.fixture
def seeded(store: Store) -> Store:
    return seed_csat(store)


def test_csat_of_the_range_is_the_seeded_truth(seeded):
    csat = build_report(seeded, SCOPE).csat
    assert csat is not None
    total = csat.overall
    assert (total.asked, total.answered) == (4, 3) and total.response_rate == pytest.approx(0.75)
    assert total.average == pytest.approx((5 + 2 + 4) / 3)
    assert total.distribution == {1: 0, 2: 1, 3: 0, 4: 1, 5: 1}
    assert {name: (g.asked, g.answered, g.average) for name, g in csat.by_channel.items()} == \
        {"web": (2, 1, 5.0), "telegram": (1, 1, 2.0), "wechat": (1, 1, 4.0)}
    assert {name: (g.asked, g.answered, g.average) for name, g in csat.by_language.items()} == \
        {"en": (2, 2, 3.5), "zh": (2, 1, 4.0)}


def test_csat_rows_follow_the_report_and_narrow_with_it(seeded):
    rows = dict(build_report(seeded, SCOPE).rows())
    assert (rows["csat_asked"], rows["csat_answered"], rows["csat_response_rate"], rows["csat_average"]) == \
        ("4", "3", "0.750", "3.67")
    assert [rows[f"csat_score.{n}"] for n in range(1, 6)] == ["0", "1", "0", "1", "1"]
    assert (rows["csat_average.channel.web"], rows["csat_response_rate.channel.web"]) == ("5.00", "0.500")
    assert rows["csat_answered.language.zh"] == "1"
    zh = dict(build_report(seeded, ReportFilter(SCOPE.start, SCOPE.end, language="zh")).rows())
    assert (zh["csat_asked"], zh["csat_answered"], zh["csat_average"]) == ("2", "1", "4.00")
    empty = dict(build_report(seeded, ReportFilter(date(2026, 10, 1), date(2026, 10, 2))).rows())
    assert (empty["csat_asked"], empty["csat_response_rate"], empty["csat_average"]) == ("0", "-", "-")
    assert to_png(build_report(seeded, SCOPE)).startswith(b"\x89PNG")


def test_kefu_report_prints_the_same_csat_rows(tmp_path):
    store = seed_csat(Store(tmp_path / "kefu.db"))
    rows = build_report(store, SCOPE).rows()
    store.close()
    done = run_kefu(tmp_path, "report", "--from", RANGE[0], "--to", RANGE[1], KEFU_LOAD_DEMO_SHOP="false")
    assert done.returncode == 0, done.stderr
    printed = [tuple(line.rsplit(None, 1)) for line in done.stdout.splitlines()]
    assert printed == rows and ("csat_average", "3.67") in printed


async def test_the_console_report_carries_the_same_csat_rows(assistant, seeded):
    inbox = StaffInbox(assistant.components.staff, PASSWORD, [ReportsSection(seeded)])
    rows = [list(row) for row in build_report(seeded, SCOPE).rows()]
    async with serving(routes=inbox.routes(), store=seeded) as host, \
            aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        assert (await login(session, host.url))[0] == 200
        query = f"from={RANGE[0]}&to={RANGE[1]}"
        async with session.get(f"{host.url}staff/api/reports?{query}") as response:
            body = await response.json()
        assert body["rows"] == rows and ["csat_average", "3.67"] in rows
        assert body["csat"]["overall"]["distribution"] == {"1": 0, "2": 1, "3": 0, "4": 1, "5": 1}
        async with session.get(f"{host.url}staff/api/reports.csv?{query}") as response:
            assert list(csv.reader(io.StringIO(await response.text()))) == [["metric", "value"], *rows]
