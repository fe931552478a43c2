"""The staff inbox in headless Chromium: log in, see the waiting shopper with mood and waiting time,
open the conversation, claim, reply (the shopper's web chat socket receives it), resolve
(docs/img/console-inbox.png, after the reply)."""
from __future__ import annotations

import asyncio
import json
from pathlib import Path

import aiohttp
import pytest
from playwright.async_api import async_playwright, expect

from core.observe.handles import visitor_label
from tests.staff.conftest import PASSWORD
from tests.test_web_widget_browser import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "img" / "console-inbox.png"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"needs Chromium at {CHROMIUM} (apt-get install chromium)"),
]


async def next_reply(ws: aiohttp.ClientWebSocketResponse) -> dict:
    while True:
        frame = json.loads((await asyncio.wait_for(ws.receive(), 10)).data)
        if frame["type"] == "reply":
            return frame


async def test_staff_claim_reply_and_resolve_in_the_browser(inbox_web, hub):
    async with aiohttp.ClientSession() as session, session.ws_connect(inbox_web.url + "ws") as shopper:
        await shopper.send_json({"type": "hello", "session": "", "lang": "en"})
        web_session = json.loads((await shopper.receive()).data)["session"]  # welcome: the server's id
        await shopper.send_json({"type": "message", "text": "this is terrible, I want a human now", "id": "c1"})
        await next_reply(shopper)

        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = await browser.new_page()
            page.set_default_timeout(TIMEOUT_MS)
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            await page.goto(inbox_web.url + "staff")
            await page.fill("#login-name", "Mei")
            await page.fill("#login-password", "not the password")
            await page.click("#login button[type=submit]")
            await expect(page.locator("#login-error")).to_contain_text("wrong password")
            await page.fill("#login-password", PASSWORD)
            await page.click("#login button[type=submit]")
            await expect(page.locator("#who")).to_have_text("Logged in as Mei")
            await expect(page.locator("#login")).to_be_hidden()  # it stayed under "Logged in as" before

            item = page.locator("#queue button").first
            await expect(item).to_contain_text(visitor_label(f"web:{web_session}"))
            await expect(item).to_contain_text("waiting <1 min")
            await expect(item.locator(".mood")).to_have_text("upset")
            await item.click()
            await expect(page.locator("#transcript li.shopper").first).to_contain_text("I want a human now")
            await page.click("#claim")
            await expect(page.locator("#card")).to_contain_text("claimed (Mei)")
            assert "Mei" in (await next_reply(shopper))["text"]

            await page.fill("#reply-text", "So sorry! Let me sort this out.")
            await page.click("#reply button[type=submit]")
            assert (await next_reply(shopper))["text"] == "So sorry! Let me sort this out."
            await expect(page.locator("#transcript li.staff").last).to_contain_text("So sorry!")
            await page.screenshot(path=str(SCREENSHOT), full_page=True)

            await page.click("#resolve")
            await expect(page.locator("#queue-empty")).to_be_visible()
            await next_reply(shopper)  # the resolution notice
            await browser.close()
            assert not errors, errors
    assert hub.store.conversations.get(f"web:{web_session}")["status"] == "bot"
