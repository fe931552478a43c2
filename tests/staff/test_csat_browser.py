"""CSAT through the widget, in headless Chromium: a shopper finishes a flow, says thanks, taps a score and
leaves a comment; the owner's reports page then counts it. Keeps a screenshot of the question in\ndocs/img/csat-widget.png."""
from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.async_api import expect

from adapters.inbox import StaffInbox
from adapters.inbox.reports import ReportsSection
from adapters.web import WebChannel
from tests.hosting import serving
from tests.staff.browser import console_page, log_in
from tests.staff.conftest import PASSWORD
from tests.test_web_widget_browser import CHROMIUM, send

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"needs Chromium at {CHROMIUM} (apt-get install chromium)"),
]
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "img" / "csat-widget.png"


async def test_csat_through_the_widget_and_counted_in_the_report(assistant, hub):
    store = assistant.store
    web = WebChannel(assistant)
    hub.channels["web"] = web
    routes = StaffInbox(hub, PASSWORD, [ReportsSection(store)]).routes()
    async with serving(web, store=store, routes=routes) as host:
        async with console_page(host.url) as page:
            await page.set_viewport_size({"width": 900, "height": 900})
            await expect(page.locator(".kefu-input")).to_be_enabled()
            handle = await page.wait_for_function("JSON.parse(localStorage.getItem('kefu.session'))")
            session = await handle.json_value()
            store.customers.link_identity("web", session, 1)  # Alice, signed in on the shop
            bot = page.locator(".kefu-msg--bot:not(.kefu-typing)")
            await send(page, "where is my order W1000001")
            await expect(bot.last).to_contain_text("SF123456789")
            await send(page, "thanks!")
            await expect(bot.last).to_contain_text("How did we do?")
            chips = page.locator(".kefu-chip")
            await expect(chips).to_have_text(["1 ★", "2 ★", "3 ★", "4 ★", "5 ★"])
            SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=str(SCREENSHOT))
            await chips.filter(has_text="4 ★").click()
            await expect(bot.last).to_contain_text("Thanks for your rating (4/5)")
            await send(page, "Fast answer, thank you")
            await expect(bot.last).to_have_text("Noted, thank you for telling us!")
        [row] = store.csat.of_conversations([f"web:{session}"])
        assert (row["score"], row["comment"], row["channel"]) == (4, "Fast answer, thank you", "web")

        async with console_page(host.url + "staff#reports") as page:
            await log_in(page, "Mei", PASSWORD)
            today = datetime.now(UTC).date().isoformat()
            await page.fill("#report-from", today)
            await page.fill("#report-to", today)
            await page.click("#report-form button[type=submit]")
            value = 'tr[data-metric="{}"] td.value'
            await expect(page.locator(value.format("csat_average"))).to_have_text("4.00")
            await expect(page.locator(value.format("csat_score.4"))).to_have_text("1")
            await expect(page.locator(value.format("csat_response_rate"))).to_have_text("1.000")
            await expect(page.locator('tr[data-metric="csat_average"] td').first).to_have_text("CSAT average (1–5)")
