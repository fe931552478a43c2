"""Human review of the bot's replies: the reviews table and its data rights, the daily sample, the
review API (4xx for bad input, CSRF), a wrong-intent review turned into a training example that
`kefu train` reads, and `kefu eval human`."""
from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import aiohttp
import pytest

from adapters.inbox import StaffInbox
from adapters.inbox.review import ReviewSection
from adapters.inbox.review_log import OWNER, Review, ReviewLog, register
from adapters.inbox.review_sample import daily_sample
from bot.cli import main
from bot.evals.human import cohen_kappa, summarise
from core.assistant import Assistant
from core.messages import Identity, InboundMessage
from core.nlu.rasa import Example
from core.nlu.shopdata import shop_data_files
from core.nlu.training import load_training_data
from core.privacy import erase_customer_data, export_customer_data
from core.staff import HandoffHub
from core.store import Store
from tests.hosting import serving
from tests.staff.conftest import PASSWORD
from tests.staff.test_inbox import login

# Under --db-engine postgresql the stores on file paths here are PostgreSQL databases too (tests/conftest.py).
pytestmark = pytest.mark.file_stores

SHOPPER = Identity("web", "review-shopper")
CID = SHOPPER.conversation_id
ASKED = "where is my parcel I ordered last week"


@pytest.fixture
def log(store: Store) -> ReviewLog:
    return register(store)


@pytest.fixture
async def console(assistant: Assistant, hub: HandoffHub, log: ReviewLog, tmp_path: Path) -> AsyncIterator[str]:
    """The console with the review section (the shop's NLU folder in tmp_path); its base URL."""
    section = ReviewSection(assistant.store, log, tmp_path / "nlu", per_day=3)
    async with serving(store=assistant.store, routes=StaffInbox(hub, PASSWORD, sections=[section]).routes()) as host:
        yield host.url


async def bot_reply(assistant: Assistant) -> int:
    """One turn of the shopper; the stored id of the bot's reply."""
    await assistant.handle(InboundMessage(SHOPPER, ASKED, message_id="m1"))
    return next(m["id"] for m in assistant.store.conversations.transcript(CID) if m["direction"] == "out")


async def test_a_review_is_replaced_per_reviewer_and_goes_with_the_shoppers_data(assistant, log):
    store = assistant.store
    reply = await bot_reply(assistant)
    log.save(Review(reply, CID, "Mei", "good"))
    log.save(Review(reply, CID, "Mei", "bad", "tone"))
    log.save(Review(reply, CID, "Li", "good"))
    log.save(Review(8, "telegram:42", "Li", "good"))
    rows = log.of_conversation(CID)
    assert [(r["reviewer"], r["verdict"], r["reason"]) for r in rows] == [("Mei", "bad", "tone"), ("Li", "good", None)]
    customer = store.customers.upsert({"external_id": "C-review", "name": "Ana"})
    store.customers.link_identity(SHOPPER.channel, SHOPPER.user_id, customer)
    exported = export_customer_data(store, customer, "test")["channels"][OWNER]["console_reviews"]
    assert [r["reviewer"] for r in exported] == ["Mei", "Li"]
    erase_customer_data(store, customer, "test")
    assert log.of_conversation(CID) == []
    assert len(log.between(None, None)) == 1  # someone else's review stays


def test_the_daily_sample_is_seeded_by_the_day_and_spread_over_channels_and_languages():
    day = date(2026, 12, 2)
    rows = [{"id": f"web:{i}", "channel": "web", "language": "zh", "status": "bot",
             "updated_at": f"2026-12-02T10:{i:02d}:00"} for i in range(20)]
    rows += [{"id": "telegram:1", "channel": "telegram", "language": "en", "status": "bot",
              "updated_at": "2026-12-02T11:00:00"},
             {"id": "telegram:2", "channel": "telegram", "language": "en", "status": "human",
              "updated_at": "2026-12-02T11:00:00"},
             {"id": "web:old", "channel": "web", "language": "en", "status": "bot", "updated_at": "2026-12-01T11:00:00"}]
    picked = daily_sample(rows, day, 4)
    assert len(picked) == 4 and "telegram:1" in [r["id"] for r in picked]
    assert not {"telegram:2", "web:old"} & {r["id"] for r in picked}
    assert [r["id"] for r in daily_sample(list(reversed(rows)), day, 4)] == [r["id"] for r in picked]
    assert {r["id"] for r in daily_sample(rows, date(2026, 12, 3), 4)} == set()


def test_kappa_and_the_summary_of_reviews():
    pairs = [("good", "good"), ("bad", "bad"), ("good", "bad"), ("good", "good")]
    assert cohen_kappa(pairs) == pytest.approx(0.5)  # observed 0.75, chance (3*2 + 1*2) / 16 = 0.5
    assert cohen_kappa([]) is None
    rows = [{"message_id": 1, "verdict": "bad", "reason": "wrong_intent", "read_intent": "greet",
             "right_intent": "track_order"},
            {"message_id": 1, "verdict": "bad", "reason": "tone", "read_intent": "greet", "right_intent": None},
            {"message_id": 2, "verdict": "good", "reason": None, "read_intent": "greet", "right_intent": None},
            {"message_id": 2, "verdict": "bad", "reason": "wrong_intent", "read_intent": "greet",
             "right_intent": "track_order"}]
    summary = summarise(rows)
    assert (summary.replies, summary.reviews, summary.pairs) == (2, 4, 2)
    assert summary.good_share == pytest.approx(0.25) and summary.agreement == pytest.approx(0.5)
    assert summary.reasons[0] == ("wrong_intent", 2)
    assert summary.wrong_intents == [("greet → track_order", 2)]


async def test_a_wrong_intent_review_becomes_an_example_kefu_train_reads(assistant, console, log, tmp_path):
    reply = await bot_reply(assistant)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        status, me = await login(session, console)
        assert status == 200
        headers = {"X-CSRF-Token": me["csrf"]}
        async with session.get(console + f"staff/api/review/conversations/{CID}") as response:
            shown = await response.json()
            assert response.status == 200, shown
        assert [m["text"] for m in shown["messages"] if m["author"] == "shopper"] == [ASKED]
        assert [m["id"] for m in shown["messages"] if m["reviewable"]][0] == reply
        url = console + f"staff/api/review/conversations/{CID}/replies/{reply}"
        async with session.post(url, json={"verdict": "bad", "reason": "wrong_intent",
                                           "right_intent": "track_order", "note": "asked about a parcel"},
                                headers=headers) as response:
            assert response.status == 200
            review_id = (await response.json())["id"]
        async with session.post(console + f"staff/api/review/reviews/{review_id}/example", json={},
                                headers=headers) as response:
            assert (await response.json()) == {"added": 1, "duplicates": 0}
    saved = log.get(review_id)
    assert (saved["reviewer"], saved["trained"], saved["note"]) == ("Mei", 1, "asked about a parcel")
    files = shop_data_files(tmp_path / "nlu")
    assert Example(ASKED, "track_order") in load_training_data(files, shipped=False)


async def test_bad_reviews_are_refused_with_4xx(assistant, console):
    reply = await bot_reply(assistant)
    inbound = reply - 1
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as session:
        _, me = await login(session, console)
        headers = {"X-CSRF-Token": me["csrf"]}
        base = console + f"staff/api/review/conversations/{CID}/replies/"
        cases = [(reply, {"verdict": "meh"}, 400), (reply, {"verdict": "bad"}, 400),
                 (reply, {"verdict": "good", "reason": "tone"}, 400),
                 (reply, {"verdict": "bad", "reason": "wrong_intent", "right_intent": "no_such_intent"}, 400),
                 (reply, {"verdict": "bad", "reason": "tone", "note": ["x"]}, 400),
                 (inbound, {"verdict": "good"}, 404), ("abc", {"verdict": "good"}, 404)]
        for mid, body, expected in cases:
            async with session.post(base + str(mid), json=body, headers=headers) as response:
                assert response.status == expected, (mid, body)
        async with session.post(base + str(reply), json={"verdict": "bad", "reason": "tone"}, headers=headers) as r:
            tone = (await r.json())["id"]
        async with session.post(console + f"staff/api/review/reviews/{tone}/example", json={}, headers=headers) as r:
            assert r.status == 409
        async with session.post(base + str(reply), json={"verdict": "good"}) as response:
            assert response.status == 403  # no CSRF token
        async with session.get(console + "staff/api/review/queue?day=yesterday") as response:
            assert response.status == 400
        async with session.get(console + "staff/api/review/conversations/web:nobody") as response:
            assert response.status == 404


def test_kefu_eval_human_prints_the_summary(tmp_path, monkeypatch, capsys):
    db = tmp_path / "kefu.db"
    store = Store(db)
    log = register(store)
    log.save(Review(1, CID, "Mei", "bad", "wrong_intent", right_intent="track_order", read_intent="greet"))
    log.save(Review(1, CID, "Li", "bad", "tone"))
    log.save(Review(2, CID, "Mei", "good"))
    store.close()
    monkeypatch.setenv("KEFU_DB_PATH", str(db))
    monkeypatch.setenv("KEFU_LOAD_DEMO_SHOP", "false")
    assert main(["--env-file", str(tmp_path / "none.env"), "eval", "human", "--from", "2000-01-01"]) == 0
    out = capsys.readouterr().out
    assert "replies reviewed: 2 (3 reviews)" in out and "good: 33.3%" in out
    assert "reviewer agreement: 100.0% over 1 replies reviewed twice" in out
    assert "greet → track_order 1" in out
    assert main(["--env-file", str(tmp_path / "none.env"), "eval", "human", "--to", "2000-01-01"]) == 0
    assert "replies reviewed: 0 (0 reviews)" in capsys.readouterr().out
    assert main(["--env-file", str(tmp_path / "none.env"), "eval", "human", "--to", "9999-12-31"]) == 0
    assert "replies reviewed: 2 (3 reviews)" in capsys.readouterr().out
