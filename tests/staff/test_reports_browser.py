"""The reports section in headless Chromium: an owner picks a range on a seeded store and sees the
seeded truth, row for row what ``kefu report`` prints for that range."""
from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

import pytest
from playwright.async_api import async_playwright, expect

from adapters.inbox import StaffInbox
from adapters.inbox.reports import ReportsSection
from bot.commands import report as report_command
from bot.settings import Settings
from core.store import Store
from tests.hosting import serving
from tests.reports.seed import RANGE, expected, seed
from tests.staff.conftest import PASSWORD
from tests.test_web_widget_browser import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"needs Chromium at {CHROMIUM} (apt-get install chromium)"),
]
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "img" / "console-reports.png"


def cli_rows(tmp_path: Path) -> list[tuple[str, str]]:
    """The rows ``kefu report --from --to`` prints, from the CLI's own function over a file store."""
    settings = Settings(_env_file=None, kefu_db_path=str(tmp_path / "kefu.db"), kefu_load_demo_shop=False)
    args = argparse.Namespace(start=date.fromisoformat(RANGE[0]), end=date.fromisoformat(RANGE[1]),
                              channel=None, lang=None, csv=None)
    return report_command.report_for(args, settings).rows()


async def test_the_reports_page_shows_the_seeded_truth_and_the_cli_numbers(hub, tmp_path):
    store = Store(tmp_path / "kefu.db")
    seed(store)
    printed = cli_rows(tmp_path)
    truth = expected()
    inbox = StaffInbox(hub, PASSWORD, [ReportsSection(store)])
    async with serving(routes=inbox.routes(), store=store) as host, async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport={"width": 1000, "height": 1100})
        page.set_default_timeout(TIMEOUT_MS)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        await page.goto(host.url + "staff#reports")
        await page.fill("#login-name", "Mei")
        await page.fill("#login-password", PASSWORD)
        await page.click("#login button[type=submit]")
        await page.fill("#report-from", RANGE[0])
        await page.fill("#report-to", RANGE[1])
        await page.click("#report-form button[type=submit]")
        conversations = page.locator('#report-rows tr[data-metric="conversations"] td.value')
        await expect(conversations).to_have_text(str(truth["conversations"]))
        await expect(page.locator('#report-rows tr[data-metric="from"] td.value')).to_have_text(RANGE[0])
        shown = await page.eval_on_selector_all(
            "#report-rows tr", "rows => rows.map(r => [r.dataset.metric, r.querySelector('.value').textContent])")
        assert ("unanswered.do you ship to mars", "1") in printed
        assert [tuple(row) for row in shown] == printed
        values = dict(printed)
        assert (values["automated"], values["handed_off"]) == (str(truth["automated"]), str(truth["handed_off"]))
        assert values["handoff_reason.asked"] == "1" and values["revenue_cents"] == str(truth["revenue_cents"])
        assert values["first_response_p90_s"] == f"{truth['first_response_p90']:.1f}"
        faq = page.locator('#report-rows tr[data-metric="unanswered.do you ship to mars"] a.faq-link')
        assert await faq.get_attribute("href") == "#kb?q=do%20you%20ship%20to%20mars"
        low = page.locator('#report-rows tr[data-metric="low_score.can i pay with crypto"]')
        assert values["low_score.can i pay with crypto"] == str(truth["low_score"]["can i pay with crypto"][0])
        await expect(low).to_contain_text("payment-methods")  # the article quoted, and the lowest score
        await expect(low).to_contain_text(str(truth["low_score"]["can i pay with crypto"][2]))
        assert await low.locator("a.faq-link").get_attribute("href") == "#kb?q=can%20i%20pay%20with%20crypto"
        csv_link = await page.get_attribute("#report-csv", "href")
        assert csv_link == f"/staff/api/reports.csv?from={RANGE[0]}&to={RANGE[1]}"
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(SCREENSHOT), full_page=True)
        await browser.close()
    store.close()
    assert not errors, errors
