"""Accounts in headless Chromium: the bootstrap password shows the notice to create accounts; once an
account exists only it logs in, with its own name and role, and the queue names shoppers by customer
name or handle, never by session id."""
from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import expect

from adapters.inbox import StaffInbox
from adapters.inbox.accounts import register as register_accounts
from adapters.inbox.auth import AGENT, OWNER
from adapters.inbox.team import AccountsSection
from adapters.web import WebChannel
from core.messages import Identity, InboundMessage
from core.observe.handles import visitor_label
from tests.hosting import serving
from tests.staff.conftest import PASSWORD
from tests.staff.browser import console_page, log_in
from tests.test_web_widget_browser import CHROMIUM

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"needs Chromium at {CHROMIUM} (apt-get install chromium)"),
]

SCREENSHOT = Path(__file__).parents[2] / "docs" / "img" / "console-accounts.png"
TEAM_SCREENSHOT = SCREENSHOT.with_name("console-team.png")
SESSION_ID = "Zq8-secret-session-id-0123456789abcdef"


async def test_bootstrap_then_accounts_in_the_browser(assistant, hub):
    accounts = register_accounts(assistant.store)
    for shopper in (Identity("web", SESSION_ID), Identity("telegram", "111")):  # 111 is Alice's chat
        await assistant.handle(InboundMessage(shopper, "I want to talk to a human", language_hint="en"))
    web = WebChannel(assistant)
    hub.channels["web"] = web
    inbox = StaffInbox(hub, PASSWORD, accounts=accounts)
    async with serving(web, store=assistant.store, routes=inbox.routes()) as host, \
            console_page(host.url + "staff") as page:
        await log_in(page, "Mei", PASSWORD)
        await expect(page.locator("#notice")).to_contain_text("create accounts with kefu staff add")
        await page.click("#logout")

        accounts.add("Wang", AGENT, "wang's own passphrase")
        await log_in(page, "Mei", PASSWORD)
        await expect(page.locator("#login-error")).to_contain_text("wrong password")
        await log_in(page, "Wang", "wang's own passphrase")
        await expect(page.locator("#who")).to_have_text("Logged in as Wang")
        await expect(page.locator("#notice")).to_be_hidden()
        queue = page.locator("#queue")
        await expect(queue).to_contain_text("Alice")
        await expect(queue).to_contain_text(visitor_label(f"web:{SESSION_ID}"))
        await page.locator("#queue button").first.click()
        await expect(page.locator("#card")).to_be_visible()
        assert SESSION_ID not in await page.locator("body").inner_text()
        await page.screenshot(path=str(SCREENSHOT), full_page=True)
    await hub.stop()


async def test_an_owner_adds_an_account_in_the_accounts_section(assistant, hub):
    accounts = register_accounts(assistant.store)
    accounts.add("Li", OWNER, "li's own passphrase")
    inbox = StaffInbox(hub, None, [AccountsSection(assistant.store, accounts)], accounts=accounts)
    async with serving(store=assistant.store, routes=inbox.routes()) as host, \
            console_page(host.url + "staff") as page:
        await log_in(page, "Li", "li's own passphrase")
        await page.click("nav button[data-section=team]")
        await expect(page.locator("#team-accounts")).to_contain_text("Li")
        await page.fill("#team-name", "Zhao")
        await page.fill("#team-password", "zhao's passphrase")
        await page.click("#team-form button[type=submit]")
        await expect(page.locator("#team-accounts")).to_contain_text("Zhao")
        await page.screenshot(path=str(TEAM_SCREENSHOT), full_page=True)
    assert accounts.account("Zhao").role == AGENT
