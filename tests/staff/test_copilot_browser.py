"""The copilot in headless Chromium: open a handoff, see the customer's own orders beside the
transcript, take the suggested reply, insert a canned reply with its variables filled, see an unfilled one block the send, edit
it and send; the shopper's web chat socket receives the filled text, and the audit names the colleague
and the canned reply the text started from."""
from __future__ import annotations

import re

import aiohttp
import pytest
from playwright.async_api import async_playwright, expect

from adapters.inbox.canned import CannedReplies, register
from tests.staff.browser import console_page, log_in
from tests.staff.conftest import PASSWORD
from tests.staff.test_inbox_browser import next_reply
from tests.test_web_widget_browser import CHROMIUM, CHROMIUM_ARGS, TIMEOUT_MS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"needs Chromium at {CHROMIUM} (apt-get install chromium)"),
]

SCREENSHOT = "docs/img/console-copilot.png"


async def test_canned_reply_filled_from_the_customers_order_reaches_the_shopper(console, hub):
    store = hub.store
    CannedReplies(register(store)).save(
        {"title": "Tracking", "text_en": "Hi {{name}}, {{order_id}} travels as {{tracking}}. Refund to {{coupon}}?",
         "text_zh": "{{name}}您好，订单 {{order_id}} 的运单号是 {{tracking}}。"}, "Owner")
    CannedReplies(register(store)).save({"title": "Email", "text_en": "We wrote to {{email}} about {{tracking}}.",
                                         "text_zh": "我们已发邮件到 {{email}}。"}, "Owner")
    async with aiohttp.ClientSession() as session, session.ws_connect(console.url + "ws") as shopper:
        await shopper.send_json({"type": "hello", "session": "", "lang": "en"})
        web_session = (await shopper.receive_json())["session"]
        store.customers.link_identity("web", web_session, store.customers.by_external_id("C1")["id"])
        await shopper.send_json({"type": "message", "text": "I want a human now", "id": "c1"})
        await next_reply(shopper)
        await shopper.send_json({"type": "message", "text": "where is my order W1000001?", "id": "c2"})

        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            page = await browser.new_page(viewport={"width": 1200, "height": 1000})
            page.set_default_timeout(TIMEOUT_MS)
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            await page.goto(console.url + "staff")
            await page.fill("#login-name", "Mei")
            await page.fill("#login-password", PASSWORD)
            await page.click("#login button[type=submit]")
            await page.locator("#queue button").first.click()
            await expect(page.locator("#copilot-customer")).to_contain_text("alice@example.com")
            await expect(page.locator("#copilot-orders")).to_contain_text("#W1000001 · shipped · tracking SF Express SF123456789")
            await expect(page.locator("#copilot-orders")).not_to_contain_text("#W2000002")  # Bob's

            await expect(page.locator("#transcript li.shopper").last).to_contain_text("W1000001?")
            await page.click("#suggest")
            await expect(page.locator("#reply-text")).to_have_value(re.compile("SF123456789"))

            await page.select_option("#canned-choice", label="Tracking")
            await page.click("#canned-insert")
            filled = "Hi Alice, #W1000001 travels as SF123456789. Refund to {{coupon}}?"
            await expect(page.locator("#reply-text")).to_have_value(filled)  # {{coupon}} is no variable
            await page.select_option("#canned-choice", label="Email")
            await page.click("#canned-insert")
            await expect(page.locator("#reply-text")).to_have_value("We wrote to alice@example.com about SF123456789.")
            await page.fill("#reply-text", "We wrote to {{email}} about it.")
            await page.click("#reply button[type=submit]")
            await expect(page.locator("#canned-missing")).to_contain_text("{{email}}")
            await page.fill("#reply-text", "We wrote to alice@example.com about SF123456789, sorry!")
            await page.screenshot(path=SCREENSHOT, full_page=True)
            await page.click("#reply button[type=submit]")
            await expect(page.locator("#canned-missing")).to_have_text("")
            sent = "We wrote to alice@example.com about SF123456789, sorry!"
            texts = [(await next_reply(shopper))["text"]]
            while texts[-1] != sent and len(texts) < 5:  # the bot's own answers and notices come first
                texts.append((await next_reply(shopper))["text"])
            assert texts[-1] == sent
            await browser.close()
            assert not errors, errors
    email_id = next(r["id"] for r in CannedReplies(register(store)).all() if r["title"] == "Email")
    replies = [e for e in store.audit.entries(f"web:{web_session}") if e["action"] == "handoff.reply"]
    assert [(e["actor"], e["details"].get("via"), e["details"].get("edited")) for e in replies] == \
        [("Mei", f"canned:{email_id}", True)]  # the logged-in colleague; the canned reply it started from, edited


async def test_an_owner_writes_a_canned_reply_with_variables_in_both_languages(console, hub):
    async with console_page(console.url + "staff#canned") as page:
        await page.set_viewport_size({"width": 1000, "height": 700})
        await log_in(page, "Mei", PASSWORD)
        await page.fill("#canned-title", "Where is my parcel")
        await page.fill("#canned-en", "Hi {{name}}, order {{order_id}} travels as {{tracking}}.")
        await page.fill("#canned-zh", "{{name}}您好，订单 {{order_id}} 的运单号是 {{tracking}}。")
        await page.click("#canned-form button[type=submit]")
        await expect(page.locator("#canned-list")).to_contain_text("Where is my parcel")
        await expect(page.locator("#canned-list")).to_contain_text("Mei")
        await page.click("#canned-list button:has-text('Where is my parcel')")  # loaded back to edit
        await expect(page.locator("#canned-zh")).to_have_value("{{name}}您好，订单 {{order_id}} 的运单号是 {{tracking}}。")
        await page.screenshot(path="docs/img/console-canned.png", full_page=True)
    saved = CannedReplies(register(hub.store)).all()
    assert [(r["title"], r["text_zh"], r["updated_by"]) for r in saved] == [
        ("Where is my parcel", "{{name}}您好，订单 {{order_id}} 的运单号是 {{tracking}}。", "Mei")]
    assert [e["actor"] for e in hub.store.audit.entries(f"canned:{saved[0]['id']}")] == ["Mei"]
