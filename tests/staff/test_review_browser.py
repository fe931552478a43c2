"""Search and review in headless Chromium: a zh and an en search with filters find the seeded
conversations, a result opens the transcript, a reply is marked bad / wrong intent and becomes a
training example of the shop, and `kefu eval human`'s summary counts the review."""
from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import async_playwright, expect

from adapters.inbox import StaffInbox
from adapters.inbox.review import ReviewSection
from adapters.inbox.review_log import register as register_reviews
from adapters.inbox.search import SearchSection
from adapters.inbox.transcript_search import register as register_search
from bot.evals.human import render, summarise
from core.messages import Identity, InboundMessage
from core.nlu.rasa import read_examples
from tests.hosting import serving
from tests.staff.conftest import PASSWORD
from tests.test_web_widget_browser import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"needs Chromium at {CHROMIUM} (apt-get install chromium)"),
]
IMG = Path(__file__).parent.parent.parent / "docs" / "img"
ZH_ASKED = "我想退货，运费谁出？"
EN_ASKED = "where is my parcel, it is late"


@pytest.fixture
async def console(assistant, hub, tmp_path) -> AsyncIterator[str]:
    store = assistant.store
    await assistant.handle(InboundMessage(Identity("telegram", "zh-b"), ZH_ASKED, message_id="z1"))
    await assistant.handle(InboundMessage(Identity("web", "en-b"), EN_ASKED, message_id="e1"))
    sections = [ReviewSection(store, register_reviews(store), tmp_path / "nlu"), SearchSection(register_search(store))]
    async with serving(store=store, routes=StaffInbox(hub, PASSWORD, sections=sections).routes()) as host:
        yield host.url


async def test_search_then_review_a_reply_into_a_training_example(console, assistant, tmp_path):
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport={"width": 1200, "height": 800})
        page.set_default_timeout(TIMEOUT_MS)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        await page.goto(console + "staff#search")
        await page.fill("#login-name", "Mei")
        await page.fill("#login-password", PASSWORD)
        await page.click("#login button[type=submit]")
        await expect(page.locator("#who")).to_have_text("Logged in as Mei")

        await page.click("#nav button[data-section=search]")
        await page.fill("#search-q", "退货")
        await page.select_option("#search-language", "en")
        await page.click("#search-form button[type=submit]")
        await expect(page.locator("#search-empty")).to_be_visible()
        await page.select_option("#search-language", "zh")
        await page.click("#search-form button[type=submit]")
        await expect(page.locator("#search-results li")).to_have_count(1)
        await expect(page.locator("#search-results mark").first).to_have_text("退货")
        await page.fill("#search-q", "parcel")
        await page.select_option("#search-language", "")
        await page.select_option("#search-handed", "no")
        await page.click("#search-form button[type=submit]")
        await expect(page.locator("#search-results li")).to_have_count(1)
        await expect(page.locator("#search-results mark")).to_have_text("parcel")
        await page.screenshot(path=str(IMG / "console-search.png"))

        await page.click("#search-results li button")
        await expect(page.locator("#review-transcript li.shopper")).to_contain_text(EN_ASKED)
        await page.locator("#review-transcript li.assistant .review-this").first.click()
        await page.check("input[name=review-verdict][value=bad]")
        await page.select_option("#review-reason", "wrong_intent")
        await page.select_option("#review-intent", "track_order")
        await page.fill("#review-note", "asked where the parcel is")
        await page.click("#review-form button[type=submit]")
        await expect(page.locator("#review-status")).to_have_text("Review saved.")
        await expect(page.locator(".review-mark").first).to_contain_text("Mei: bad (wrong intent → track_order)")
        await page.click("#review-example")
        await expect(page.locator("#review-status")).to_contain_text("Added to the shop's NLU examples")
        await page.screenshot(path=str(IMG / "console-review.png"))
        await browser.close()
    assert not errors, errors
    assert [(e.text, e.intent) for e in read_examples(tmp_path / "nlu" / "nlu.yml")] == [(EN_ASKED, "track_order")]
    summary = render(summarise(register_reviews(assistant.store).between(None, None)))
    assert "replies reviewed: 1 (1 reviews)" in summary and "wrong_intent 1" in summary
